#!/usr/bin/env bash
# The main job on the shipped sample monolith: set up, then analyse it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/migrator analyze sample_monolith -o out/graph.json
echo
echo "The dependency graph is in $(pwd)/out/graph.json"
