#!/usr/bin/env bash
# The main job: install missing Debian packages, build, and compare the
# built-in model zoo (the 25 networks of Jha & Mittal's Table 7).
# Extra arguments go to `reuselens compare`, e.g. --format csv --sort di.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build --target reuselens_cli
./build/reuselens compare zoo:all "$@"
