#!/usr/bin/env bash
# Searches every conv/FC layer of the 25 networks of Table 7 on the
# Eyeriss-like preset (200,000 mappings per distinct layer shape, all cores)
# and prints the wall time; target: under a minute on 2 cores.
#   bench/map_zoo_bench.sh [build/reuselens]
set -euo pipefail
cd "$(dirname "$0")/.."
cli=${1:-build/reuselens}
start=$(date +%s%N)
evaluated=0 networks=0
for model in $("$cli" zoo --format csv | awk -F, 'NR > 1 && $3 == "cnn" && $1 != "lenet5" {print "zoo:" $1}'); do
  n=$("$cli" map "$model" --arch eyeriss-like --search --format json |
    grep -o '"evaluated": [0-9]*' | tail -1 | grep -o '[0-9]*$')
  evaluated=$((evaluated + n))
  networks=$((networks + 1))
done
end=$(date +%s%N)
seconds=$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.1f", (b - a) / 1e9}')
echo "${networks} networks on eyeriss-like: ${seconds} s wall, ${evaluated} mappings evaluated, $(nproc) cores"
