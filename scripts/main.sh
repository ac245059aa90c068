#!/usr/bin/env bash
# The main job on the shipped sample monolith: set up, then migrate it into ./out.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/migrator migrate sample_monolith -o out --services 10
