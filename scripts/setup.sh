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
    # the generated monitoring: promtool and a Prometheus that scrapes the services, amtool
    command -v promtool >/dev/null || need_apt+=(prometheus)
    command -v amtool >/dev/null || need_apt+=(prometheus-alertmanager)
    command -v java >/dev/null || need_apt+=(default-jre-headless)   # npm-groovy-lint runs CodeNarc
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
    # the generated deployment artifacts: npm-groovy-lint, the Gateway API and prometheus-operator schemas
    lock_digest="$(sha256sum tools/deploy-lint/package-lock.json | cut -d' ' -f1)"
    if [ "$(cat tools/deploy-lint/node_modules/.migrator-lock 2>/dev/null)" != "$lock_digest" ]; then
        (cd tools/deploy-lint && npm ci --silent --no-audit --no-fund >/dev/null && echo "$lock_digest" > node_modules/.migrator-lock)
    fi
    # checkov pins old versions of common libraries: it gets a venv of its own
    if [ ! -x .venv-checkov/bin/checkov ]; then
        python3 -m venv .venv-checkov
        .venv-checkov/bin/python -m pip install -q "checkov>=3.2,<4"
    fi
    # a Docker engine and the locally built Python base image for the image builds
    bash scripts/docker-engine.sh
else
    .venv/bin/python -m pip install -q -e .
fi
