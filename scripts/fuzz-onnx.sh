#!/usr/bin/env bash
# Fuzzes the ONNX importer with libFuzzer for SECONDS (default 300), seeded
# with the test fixtures. Needs clang and libclang-rt-14-dev (Debian); not run
# by CI. Crashes land in build-fuzz/crashes/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-300}
scripts/install-deps.sh
for p in clang libclang-rt-14-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || apt-get install -y -qq "$p"
done
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DREUSELENS_BUILD_TESTS=OFF -DREUSELENS_BUILD_BENCHMARKS=OFF -DREUSELENS_FUZZ=ON >/dev/null
cmake --build build-fuzz --target onnx_import_fuzzer
mkdir -p build-fuzz/corpus build-fuzz/crashes
cp tests/data/onnx/*.onnx tests/data/onnx/formats/*.onnx tests/data/onnx/real/*.onnx build-fuzz/corpus/
./build-fuzz/onnx_import_fuzzer build-fuzz/corpus -max_total_time="$seconds" -max_len=1048576 \
  -rss_limit_mb=4096 -artifact_prefix=build-fuzz/crashes/ -print_final_stats=1
