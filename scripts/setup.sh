#!/usr/bin/env bash
# Installs what building and testing need: libcurl's and SQLite's headers (Debian packages),
# and the test peers from PyPI (the providers' official SDKs, botocore, the moto AWS emulator)
# into a virtualenv .venv (scripts/test.sh and scripts/demo.sh put .venv/bin first on PATH;
# the Swift tests look for .venv/bin/moto_server). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
for package in libcurl4-openssl-dev libsqlite3-dev libssl-dev; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

[ -x .venv/bin/python3 ] || python3 -m venv .venv
# Only into the virtualenv, never the system Python: the test peers' versions are pinned there, and
# nothing outside this project's folder changes. Scripts run by hand put .venv/bin first on PATH too.
.venv/bin/python3 -m pip install -q --disable-pip-version-check -r scripts/requirements.txt -c scripts/constraints.txt
