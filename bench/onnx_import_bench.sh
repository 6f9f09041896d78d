#!/usr/bin/env bash
# Import + analyse of ResNet-50 with full weights (~100 MB) by reuselens,
# against Python's onnx.load + onnx.shape_inference.infer_shapes on the same
# file in the same run; and peak memory against the file size. Twice: with
# the weights as initializers (PyTorch's export), and with every weight in a
# Constant node (as Paddle2ONNX writes them).
# Needs Debian's python3-onnx (and python3-torch/torchvision to make the model).
#   bench/onnx_import_bench.sh [build/reuselens] [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
cli=${1:-build/reuselens}
runs=${2:-5}
full=build/bench-data/resnet50_full.onnx
constants=build/bench-data/resnet50_constant_nodes.onnx
if [ ! -f "$full" ]; then
  mkdir -p build/bench-data
  /usr/bin/python3 tools/onnx_fixtures/export.py --full-resnet50 "$full"
fi
if [ ! -f "$constants" ]; then
  /usr/bin/python3 tools/onnx_fixtures/to_constant_nodes.py "$full" "$constants"
fi
for model in "$full" "$constants"; do
size=$(stat -c %s "$model")
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# "seconds peak-KiB" of one run: wall time from the clock in nanoseconds (GNU
# time's own is in 10 ms steps), peak resident set from GNU time.
timed() {
  local start end rss
  start=$(date +%s%N)
  rss=$(/usr/bin/time -f "%M" "$@" 2>&1 >/dev/null | tail -1)
  end=$(date +%s%N)
  awk -v s="$start" -v e="$end" -v r="$rss" 'BEGIN {printf "%.4f %s\n", (e - s) / 1e9, r}'
}
ours=$(for _ in $(seq "$runs"); do
  timed "$cli" analyze "$model" --format json -o /dev/null
done)
py=$(for _ in $(seq "$runs"); do
  timed /usr/bin/python3 -c "
import onnx, onnx.shape_inference
m = onnx.load('$model')
onnx.shape_inference.infer_shapes(m, data_prop=True)"
done)
py_start=$(for _ in $(seq "$runs"); do /usr/bin/time -f "%e" /usr/bin/python3 -c "import onnx, onnx.shape_inference" 2>&1 | tail -1; done | median)
t_ours=$(echo "$ours" | awk '{print $1}' | median)
t_py=$(echo "$py" | awk '{print $1}' | median)
rss_ours=$(echo "$ours" | awk '{print $2}' | median)
rss_py=$(echo "$py" | awk '{print $2}' | median)
echo "model: $model, $size bytes"
echo "reuselens analyze (import + shape inference + analysis): median ${t_ours} s, peak RSS ${rss_ours} KiB"
echo "python onnx.load + infer_shapes:                     median ${t_py} s, peak RSS ${rss_py} KiB (interpreter start-up alone ${py_start} s)"
awk -v a="$t_py" -v b="$t_ours" 'BEGIN {printf "speed ratio (python / reuselens): %.1fx\n", (b > 0 ? a / b : 0)}'
awk -v r="$rss_ours" -v s="$size" 'BEGIN {printf "reuselens peak memory / file size: %.2f\n", r * 1024 / s}'
done
