#!/usr/bin/env bash
# Usage: scripts/npm-from-release.sh DIST OUTDIR
# The npm packages of a release, from its archives (scripts/package-release.sh): OUTDIR/forcelint
# (the launcher) and OUTDIR/cli-<platform> for each archive in DIST. The release workflow
# publishes them; nothing is built here.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 DIST OUTDIR" >&2; exit 2; }
dist=$(cd "$1" && pwd)
mkdir -p "$2"
out=$(cd "$2" && pwd)
cd "$(dirname "$0")/.."
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
node scripts/npm-packages.mjs launcher "$out"
for archive in "$dist"/forcelint-"$version"-*.tar.gz "$dist"/forcelint-"$version"-*.zip; do
  [ -e "$archive" ] || continue
  name=$(basename "$archive")
  name=${name%.tar.gz}
  name=${name%.zip}
  target=${name#forcelint-"$version"-}
  case $archive in
    *.zip) unzip -q -o "$archive" -d "$stage"; exe=forcelint.exe ;;
    *) tar -C "$stage" -xzf "$archive"; exe=forcelint ;;
  esac
  node scripts/npm-packages.mjs platform "$target" "$stage/$name/$exe" "$out"
done
