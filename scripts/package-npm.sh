#!/usr/bin/env bash
# Usage: scripts/package-npm.sh OUTDIR
# Builds the release binary for this machine and writes the npm packages `forcelint` (the
# launcher) and this platform's @forcelint/cli-* as .tgz files into OUTDIR, so that
# `npm install OUTDIR/*.tgz` gives a working `npx forcelint`.
# FORCELINT_PREBUILT=PATH packages that binary instead of building one.
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 OUTDIR" >&2; exit 2; }
mkdir -p "$1"
out=$(cd "$1" && pwd)
cd "$(dirname "$0")/.."

target=$(rustc -vV | sed -n 's/^host: //p')
binary=${FORCELINT_PREBUILT:-}
if [ -z "$binary" ]; then
  cargo build --release --locked --quiet
  binary=target/release/forcelint
fi
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
for dir in "$(node scripts/npm-packages.mjs launcher "$stage")" \
           "$(node scripts/npm-packages.mjs platform "$target" "$binary" "$stage")"; do
  (cd "$dir" && npm pack --silent --pack-destination "$out" >/dev/null)
done
ls "$out"/*.tgz
