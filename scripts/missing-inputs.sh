#!/usr/bin/env bash
# Prints the missing-input and imputation tables of the README: Iris (generative, ./ugmm train --dataset iris)
# with each feature missing in turn, and with a Fashion-MNIST model (if given or trained here) 25 %/50 % of
# pixels missing and the bottom half missing; then speed.
# Usage: scripts/missing-inputs.sh [SEED] [FASHION_MODEL|none]   (trains what is missing into ./missing-models/;
#        IRIS_TRAIN_ARGS="--objective joint ..." trains the Iris model with other options;
#        "none" skips Fashion-MNIST and the speed figures, e.g. for: for s in $(seq 10); do ... $s none; done)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seed="${1:-1}"
mkdir -p "$here/missing-models"
# IRIS_TRAIN_ARGS: extra `ugmm train` options for the Iris model, e.g. "--objective joint --dropout 0"
extra="${IRIS_TRAIN_ARGS:-}"
tag="$(printf '%s' "$extra" | tr -c 'A-Za-z0-9.' '_')"
iris="$here/missing-models/iris-seed$seed${tag:+-$tag}.safetensors"
# shellcheck disable=SC2086
[[ -f "$iris" ]] || "$here/ugmm" train --dataset iris --seed "$seed" $extra --out "$iris" >/dev/null
fashion="${2:-$here/missing-models/fashion-2ep.safetensors}"
if [[ "$fashion" == none ]]; then
  fashion=()
else
  [[ -f "$fashion" ]] || "$here/ugmm" train --dataset fashion-mnist --epochs 2 --out "$fashion" >/dev/null
  fashion=("$fashion")
fi
if [[ -n "${JAVA_HOME:-}" ]]; then java="$JAVA_HOME/bin/java"; else java="java"; fi
"$java" --add-modules jdk.incubator.vector -cp "$here/ugmm-cli/target/ugmm-cli-0.1.0-SNAPSHOT.jar:$here/ugmm-cli/target/lib/*" \
  "$here/scripts/MissingInputsReport.java" "$iris" "$seed" "${fashion[@]}" 2> >(grep -v 'incubator' >&2)
