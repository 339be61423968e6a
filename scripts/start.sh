#!/usr/bin/env bash
# Quick start: install, build the store from the curated data, and serve it on 127.0.0.1:8000.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
.venv/bin/urbanai-kg build
exec .venv/bin/urbanai-kg serve "$@"
