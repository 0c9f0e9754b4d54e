#!/usr/bin/env bash
# Usage: scripts/package-release.sh RUST_TARGET BINARY OUTDIR
# Writes the release archive of one platform and its SHA-256 checksum into OUTDIR:
#   forcelint-<version>-<target>.tar.gz (.zip for Windows) holding forcelint-<version>-<target>/
#   with the binary, README.md and the rule pages, and <archive>.sha256 (`sha256sum` format).
set -euo pipefail
[ $# -eq 3 ] || { echo "usage: $0 RUST_TARGET BINARY OUTDIR" >&2; exit 2; }
target=$1 binary=$2
mkdir -p "$3"
out=$(cd "$3" && pwd)
binary=$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")
cd "$(dirname "$0")/.."
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
name=forcelint-$version-$target
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/$name"
case $target in
  *windows*) exe=forcelint.exe ;;
  *) exe=forcelint ;;
esac
cp "$binary" "$stage/$name/$exe"
chmod 755 "$stage/$name/$exe"
cp README.md "$stage/$name/"
cp -R rules "$stage/$name/rules"
case $target in
  *windows*)
    archive=$name.zip
    (cd "$stage" && 7z a -tzip -bd "$out/$archive" "$name" >/dev/null 2>&1 || zip -qr "$out/$archive" "$name")
    ;;
  *)
    archive=$name.tar.gz
    tar -C "$stage" -czf "$out/$archive" "$name"
    ;;
esac
cd "$out"
if command -v sha256sum >/dev/null; then sha256sum "$archive"; else shasum -a 256 "$archive"; fi > "$archive.sha256"
echo "$out/$archive"
