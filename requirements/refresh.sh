#!/usr/bin/env bash
# Lock the toolchain: the exact version and the hashes of everything the site build (build.txt: the docs extra) and
# the tests and checks (test.txt: the docs, test and lint extras) install, one version of each package for
# every Python from 3.11 on, and the numpy and matplotlib they pin into reluviz/toolchain.json.
#
#   bash requirements/refresh.sh            follow pyproject.toml: add and drop what its extras changed, keep every
#                                           other pin (run it after editing the dependencies; safe to rerun)
#   bash requirements/refresh.sh --upgrade  move every package to its newest version (the weekly "newest" workflow
#                                           shows beforehand which published files that changes)
#
# Commit a refresh on its own, after reading what changed: git diff requirements reluviz/toolchain.json
set -euo pipefail
cd "$(dirname "$0")/.."

UV_VERSION=0.13.9
SITE_PYTHON=3.11  # the oldest Python supported, and the one the site is built with (.github/workflows/ci.yml)
upgrade=()
case "${1:-}" in
  "") ;;
  --upgrade) upgrade=(--upgrade) ;;
  *) echo "usage: bash requirements/refresh.sh [--upgrade]" >&2; exit 2 ;;
esac

tools=$(mktemp -d)
trap 'rm -rf "$tools"' EXIT
python3 -m venv "$tools"
"$tools/bin/python" -m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION"

lock() {  # lock OUT [uv options]: compile pyproject.toml's extras into requirements/OUT
  local out=$1
  shift
  "$tools/bin/uv" pip compile pyproject.toml "$@" "${upgrade[@]}" --universal --python-version "$SITE_PYTHON" \
    --fork-strategy fewest --generate-hashes --custom-compile-command "bash requirements/refresh.sh" --quiet \
    -o "requirements/$out"
}
# test.txt first, then build.txt within it: the site is built with exactly the versions the tests run.
lock test.txt --extra docs --extra test --extra lint
lock build.txt --extra docs --constraint requirements/test.txt
# -P: run the file alone, without the package (and numpy) it belongs to
"$tools/bin/python" -P reluviz/toolchain.py --python "$SITE_PYTHON" requirements/build.txt requirements/test.txt
echo "requirements/refresh.sh: $(tr -d '\n ' < reluviz/toolchain.json)"
