#!/usr/bin/env bash
# Installs what IotSim's tests need on a fresh Debian 12 machine (idempotent). Needs root or sudo.
# Usage: scripts/install-deps.sh [PACKAGE...]   (default: the tests' packages; other scripts pass their own)
set -euo pipefail
packages=(lz4 clang zlib1g-dev postgresql-15 sqlite3 influxdb victoria-metrics kcat prometheus chromium)
[ $# -eq 0 ] || packages=("$@")
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
