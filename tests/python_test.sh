#!/usr/bin/env bash
# The Python module's pytest suite, run by ctest; skipped (exit 77) when the
# module was not built or pytest is absent.
#   tests/python_test.sh PYTHON BUILD_DIR CLI
set -u
python=$1 build=$2 cli=$3
here=$(cd "$(dirname "$0")/.." && pwd)
[ -d "$build/python/reuselens" ] || { echo "the Python module was not built"; exit 77; }
"$python" -c "import pytest" 2>/dev/null || { echo "pytest is absent (python3-pytest)"; exit 77; }
cd "$here" && PYTHONPATH="$build/python" REUSELENS_CLI="$cli" \
  "$python" -m pytest -q -p no:cacheprovider python/tests examples
