#!/usr/bin/env bash
# The 2-D-target example of the README's "Mixture density networks" section: points on the unit circle,
# input a = the x coordinate ~ U(-1, 1), target (x, y) = (a, +-sqrt(1 - a^2)) + N(0, 0.05^2) per coordinate;
# every input has two answers (upper and lower half). Writes DIR/circle-train.csv (2000 rows) and
# DIR/circle-test.csv (2000 rows), then trains and evaluates an MDN on them.
#
#   scripts/mdn-circle-example.sh [DIR] [extra 'ugmm mdn train' options]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
dir="${1:-$(mktemp -d)}"
shift || true
mkdir -p "$dir"
generate() { # rows seed
  awk -v rows="$1" -v seed="$2" 'BEGIN {
    srand(seed); pi = atan2(0, -1); print "a,x,y";
    for (r = 0; r < rows; r++) {
      a = 2 * rand() - 1; s = (rand() < 0.5 ? -1 : 1) * sqrt(1 - a * a);
      # Box-Muller noise, sigma 0.05
      n1 = sqrt(-2 * log(1 - rand())) * cos(2 * pi * rand()); n2 = sqrt(-2 * log(1 - rand())) * cos(2 * pi * rand());
      printf "%.6f,%.6f,%.6f\n", a, a + 0.05 * n1, s + 0.05 * n2 } }'
}
generate 2000 1 > "$dir/circle-train.csv"
generate 2000 2 > "$dir/circle-test.csv"
"$here/ugmm" mdn train --dataset "csv:$dir/circle-train.csv?target=x,y&test=$dir/circle-test.csv" --components 4 "$@"
