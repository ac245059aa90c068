#!/usr/bin/env bash
# Sets up, then runs the whole test suite (unit, functional, the sample monolith's own suite).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --tests
exec .venv/bin/python -m pytest -q "$@"
