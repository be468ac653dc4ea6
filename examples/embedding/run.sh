#!/usr/bin/env bash
# Trains a model with ./ugmm, predicts with ./ugmm, then runs this separate Maven project, which depends on
# io.ugmm:ugmm-model by coordinate, and checks that it predicts the same classes on two threads.
# Needs ugmm installed in the local Maven repository first: (cd ../.. && mvn -q install -DskipTests).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
iris="$root/ugmm-datasets/src/main/resources/io/ugmm/datasets/iris.csv"

"$root/ugmm" train --dataset iris --out "$work/iris.safetensors" >/dev/null
"$root/ugmm" predict --model "$work/iris.safetensors" --input "$iris" --output "$work/predicted.csv"
mvn -q -B -f "$here/pom.xml" package
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
# on the module path: io.ugmm.model and io.ugmm.simd are named modules; the example itself is on the class path
"$java" --add-modules jdk.incubator.vector,io.ugmm.model -p "$here/target/lib" -cp "$here/target/classes" \
  io.ugmm.examples.Embedding "$work/iris.safetensors" "$iris" "$work/predicted.csv" 2>&1 \
  | grep -v '^WARNING: Using incubator modules'
# and on the plain class path
"$java" -cp "$here/target/classes:$here/target/lib/*" \
  io.ugmm.examples.Embedding "$work/iris.safetensors" "$iris" "$work/predicted.csv" 2>&1 \
  | grep -v 'scalar.*fallback\|MixtureKernels'
