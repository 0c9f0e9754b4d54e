#!/usr/bin/env bash
# The install step of action.yml: downloads the release archive of forcelint for the runner,
# checks its SHA-256 against the release's checksum file, and puts the binary on GITHUB_PATH.
# No build. The version is INPUT_VERSION, else the version of the action's own Cargo.toml (the
# release the action's tag belongs to). FORCELINT_RELEASES replaces the download address (the
# tests point it at a local folder with a file:// URL).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
field() { sed -n "s/^$1 = \"\(.*\)\"$/\1/p" "$here/Cargo.toml" | head -n 1; }
version=${INPUT_VERSION:-}
version=${version#v}
[ -n "$version" ] || version=$(field version)
releases=${FORCELINT_RELEASES:-$(field repository)/releases/download}

case "${RUNNER_OS:-}/${RUNNER_ARCH:-}" in
  Linux/X64) target=x86_64-unknown-linux-musl ;;
  Linux/ARM64) target=aarch64-unknown-linux-musl ;;
  macOS/X64) target=x86_64-apple-darwin ;;
  macOS/ARM64) target=aarch64-apple-darwin ;;
  Windows/X64) target=x86_64-pc-windows-msvc ;;
  Windows/ARM64) target=aarch64-pc-windows-msvc ;;
  *) echo "::error::forcelint: no release binary for runner ${RUNNER_OS:-?}/${RUNNER_ARCH:-?}"; exit 1 ;;
esac
case $target in *windows*) archive=forcelint-$version-$target.zip ;; *) archive=forcelint-$version-$target.tar.gz ;; esac

dir=${RUNNER_TEMP:-${TMPDIR:-/tmp}}/forcelint-$version
mkdir -p "$dir"
cd "$dir"
url=$releases/v$version/$archive
echo "forcelint: downloading $url"
curl --fail --silent --show-error --location --retry 3 --output "$archive" "$url"
curl --fail --silent --show-error --location --retry 3 --output "$archive.sha256" "$url.sha256"
if command -v sha256sum >/dev/null; then check=(sha256sum --check --status); else check=(shasum -a 256 --check --status); fi
if ! "${check[@]}" "$archive.sha256"; then
  echo "::error::forcelint: $archive does not match its SHA-256 checksum"
  exit 1
fi
case $archive in *.zip) unzip -q -o "$archive" ;; *) tar -xzf "$archive" ;; esac
bin=$dir/forcelint-$version-$target
echo "$bin" >> "${GITHUB_PATH:?GITHUB_PATH is not set}"
"$bin/forcelint" --version
