#!/usr/bin/env bash
# The extended test over real-world ONNX files (tools/onnx_corpus/corpus.json)
# fetched by tools/fetch_onnx_corpus.sh: every model analyses with exit 0,
# every node counted, and Mc as checked where the manifest gives it.
# Skipped (exit 77) when the cache is absent.
#   tests/onnx_corpus_test.sh REUSELENS [CACHE]
set -u
cli=$1
here=$(cd "$(dirname "$0")/.." && pwd)
cache=${2:-${REUSELENS_ONNX_CORPUS:-$HOME/.cache/reuselens/onnx-corpus}}
[ -d "$cache" ] || { echo "no corpus in $cache: run tools/fetch_onnx_corpus.sh"; exit 77; }
command -v node >/dev/null || { echo "node is needed to read the manifest"; exit 77; }
failures=0 ran=0
while IFS=$'\t' read -r name args mc; do
  [ "$args" = "-" ] && args=""
  [ "$mc" = "-" ] && mc=""
  file="$cache/$name.onnx"
  [ -f "$file" ] || { echo "MISSING $name (fetch again)"; failures=$((failures + 1)); continue; }
  # shellcheck disable=SC2086
  out=$("$cli" analyze "$file" $args --convention conv-fc --format json 2>&1)
  code=$?
  ran=$((ran + 1))
  if [ $code -ne 0 ]; then
    echo "FAIL $name: exit $code: $out"
    failures=$((failures + 1))
    continue
  fi
  summary=$(printf '%s' "$out" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const a=JSON.parse(s).analysis;console.log(`${a.total.mc}\t${a.coverage.counted}\t${a.coverage.total}`)})')
  IFS=$'\t' read -r got counted total <<<"$summary"
  if [ "$counted" != "$total" ]; then
    echo "FAIL $name: $counted/$total nodes counted"
    failures=$((failures + 1))
  elif [ -n "$mc" ] && [ "$mc" != "$got" ]; then
    echo "FAIL $name: Mc $got, expected $mc"
    failures=$((failures + 1))
  else
    echo "ok   $name: Mc $got, $counted/$total nodes counted"
  fi
done < <(node -e 'const m=require(process.argv[1]);for(const x of m.models)console.log([x.name,x.args||"-",x.mc??"-"].join("\t"))' "$here/tools/onnx_corpus/corpus.json")
echo "$ran models, $failures failures"
[ $failures -eq 0 ]
