#!/usr/bin/env bash
# Fetches the real-world ONNX corpus (tools/onnx_corpus/corpus.json) from the
# npm registry with `npm pack` into a cache, one file per model:
#   tools/fetch_onnx_corpus.sh [CACHE]    (default $REUSELENS_ONNX_CORPUS or
#                                          ~/.cache/reuselens/onnx-corpus)
# Packages already in the cache are not fetched again. Needs npm and node
# (Debian's nodejs/npm or the machine's). About 160 MB of downloads.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
manifest="$here/onnx_corpus/corpus.json"
cache=${1:-${REUSELENS_ONNX_CORPUS:-$HOME/.cache/reuselens/onnx-corpus}}
mkdir -p "$cache/packages"
command -v npm >/dev/null && command -v node >/dev/null || {
  echo "fetch_onnx_corpus: needs npm and node" >&2
  exit 2
}
node -e 'const m = require(process.argv[1]); for (const [p, v] of Object.entries(m.packages)) console.log(`${p}@${v}`);' "$manifest" |
  while read -r spec; do
    dir="$cache/packages/$(echo "$spec" | tr '/@' '__')"
    [ -d "$dir/package" ] && continue
    mkdir -p "$dir"
    (cd "$dir" && npm pack --silent "$spec" >/dev/null && tar xzf ./*.tgz && rm -f ./*.tgz)
    echo "fetched $spec"
  done
# One .onnx per model: a file of its package, or chunks the package lists
# (@imgly/background-removal-data splits its models over resources.json).
node - "$manifest" "$cache" <<'NODE'
const fs = require('fs');
const path = require('path');
const [manifest, cache] = process.argv.slice(2);
const m = JSON.parse(fs.readFileSync(manifest, 'utf8'));
for (const model of m.models) {
  const spec = `${model.package}@${m.packages[model.package]}`;
  const root = path.join(cache, 'packages', spec.replace(/[\/@]/g, '_'), 'package');
  const out = path.join(cache, model.name + '.onnx');
  if (fs.existsSync(out)) continue;
  if (model.file) {
    fs.copyFileSync(path.join(root, model.file), out);
  } else {
    const resources = JSON.parse(fs.readFileSync(path.join(root, 'dist', 'resources.json'), 'utf8'));
    const parts = resources[model.chunks].chunks.map(c => fs.readFileSync(path.join(root, 'dist', c.hash)));
    fs.writeFileSync(out, Buffer.concat(parts));
  }
  console.log(`wrote ${out}`);
}
NODE
echo "corpus in $cache"
