#!/usr/bin/env bash
# ugmm's Gaussian mixtures vs scikit-learn, side by side (see scripts/gmm_compare.py for the parts).
# Usage: scripts/gmm-compare.sh [quality] [steps] [speed] [full]    (default: all)
# Installs Debian's python3-sklearn if missing (needs root), builds ugmm on first use.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
py=/usr/bin/python3   # Debian's python, where python3-sklearn installs
if ! "$py" -c 'import sklearn' 2>/dev/null; then
  echo "installing python3-sklearn (Debian)..." >&2
  apt-get install -y -q --no-install-recommends python3-sklearn >&2
fi
"$here/../ugmm" help >/dev/null   # builds ugmm first, so no timing includes a build
exec "$py" "$here/gmm_compare.py" "$@"
