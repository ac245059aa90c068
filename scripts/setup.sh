#!/usr/bin/env bash
# Sets up everything migrator and its tests need on a fresh Debian machine; safe to rerun.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v git >/dev/null || need_apt+=(git)
command -v dot >/dev/null || need_apt+=(graphviz)   # static pictures of the service graph
if [ "${1:-}" = "--tests" ]; then
    # the report's browser test drives Debian's Chromium (playwright's own download is not reachable)
    [ -x /usr/bin/chromium ] || need_apt+=(chromium)
    command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need_apt+=(nginx-light)   # the generated gateway
fi
if [ ${#need_apt[@]} -gt 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}"
fi

if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
if [ "${1:-}" = "--tests" ]; then
    .venv/bin/python -m pip install -q -e ".[test]"
    # the official AsyncAPI parser validates the generated event contracts
    command -v npm >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm; }
    (cd tools/asyncapi && npm ci --silent --no-audit --no-fund >/dev/null)
else
    .venv/bin/python -m pip install -q -e .
fi
