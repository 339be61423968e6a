#!/usr/bin/env bash
# Install the test extras and run the whole test suite (the README's second command; CI runs it).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh test
exec .venv/bin/python -m pytest "$@"
