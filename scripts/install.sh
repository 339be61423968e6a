#!/usr/bin/env bash
# Install what the project needs on a Debian machine with Python ≥ 3.11: a JRE for HermiT
# (owlready2's reasoner) and the package in .venv. Pass "test" to add the test extras, Chromium
# and a CJK font.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_install() {
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

packages=()
command -v java >/dev/null 2>&1 || packages+=(default-jre-headless)
if [ "${1:-}" = "test" ]; then
  # The browser test drives Debian's Chromium; the notebook draws Korean labels with a CJK font.
  command -v chromium >/dev/null 2>&1 || packages+=(chromium)
  [ -d /usr/share/fonts/opentype/noto ] && ls /usr/share/fonts/opentype/noto | grep -q CJK || packages+=(fonts-noto-cjk)
fi
[ ${#packages[@]} -eq 0 ] || apt_install "${packages[@]}"

PYTHON="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
if [ "${1:-}" = "test" ]; then
  .venv/bin/python -m pip install -q -e ".[test]"
else
  .venv/bin/python -m pip install -q -e .
fi
