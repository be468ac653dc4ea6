#!/usr/bin/env bash
# Load test of `ugmm serve` with Debian's `hey`, on loopback only.
#
#   scripts/load-test.sh [MODEL]      # default: a Fashion-MNIST 784 -> 128 -> 64 -> 10 model, trained if missing
#
# Measures, in one run: the model's in-process batch-256 rate (1 and 2 threads; no server running), then
# the server at 1, 16 and 64 connections with single-row and 64-row requests (real Fashion-MNIST test
# rows): requests/s, rows/s, p50/p99 latency, errors, and whether latencies show the 40 ms
# Nagle/delayed-ACK signature. Environment: SECONDS_PER_RUN (default 5), PORT (default 18080),
# JAVA_HOME (which JDK runs the server), NAGLE_CONTROL=1 (also runs single-row at 64 connections with
# -Dsun.net.httpserver.nodelay=false, to show the stall the server avoids).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${SECONDS_PER_RUN:-5}"
port="${PORT:-18080}"
if [[ -n "${JAVA_HOME:-}" ]]; then java="$JAVA_HOME/bin/java"; else java="java"; fi
work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then kill -TERM "$server_pid"; wait "$server_pid" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

if ! command -v hey >/dev/null; then
  if [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "load-test: installing hey (Debian package)" >&2
    apt-get install -y -q hey >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q hey >/dev/null; }
  else
    echo "error: hey is not installed; run 'apt-get install hey' as root" >&2
    exit 1
  fi
fi

model="${1:-$here/target/load-test/fashion-mnist.safetensors}"
"$here/ugmm" help >/dev/null # builds the project if needed
if [[ ! -f "$model" ]]; then
  echo "load-test: training $model (1 epoch of Fashion-MNIST, a minute or two)" >&2
  mkdir -p "$(dirname "$model")"
  "$here/ugmm" train --dataset fashion-mnist --epochs 1 --out "$model" >&2
fi
cp="$here/ugmm-cli/target/ugmm-cli-0.1.0-SNAPSHOT.jar:$here/ugmm-cli/target/lib/*"
jvm=("$java" --add-modules jdk.incubator.vector -cp "$cp")

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at start; $("$java" -version 2>&1 | head -1)"
echo "model: $model"
"${jvm[@]}" io.ugmm.cli.serve.ServeBench "$model" fashion-mnist "$work" "$seconds" 2>/dev/null | tee "$work/inprocess.txt"
two_thread_rate="$(awk '/2 threads/ {print $(NF-1)}' "$work/inprocess.txt")"

start_server() { # extra JVM options as arguments
  "${jvm[@]}" "$@" io.ugmm.cli.Main serve --model "$model" --port "$port" >"$work/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 300); do
    if curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then return 0; fi
    if ! kill -0 "$server_pid" 2>/dev/null; then cat "$work/server.log" >&2; echo "error: the server did not start" >&2; exit 1; fi
    sleep 0.1
  done
  echo "error: the server did not answer /healthz within 30 s" >&2
  exit 1
}

stop_server() {
  local t0 status
  t0=$(date +%s.%N)
  kill -TERM "$server_pid"
  status=0
  wait "$server_pid" || status=$?
  server_pid=""
  awk -v s="$status" -v t0="$t0" -v t1="$(date +%s.%N)" 'BEGIN {printf "server stopped on SIGTERM: exit code %s in %.1f s\n", s, t1 - t0}'
}

# one hey run: prints "connections rows req/s rows/s p50_ms p99_ms errors signature"
drive() {
  local connections=$1 rows=$2 out="$work/hey-$1-$2.txt"
  hey -z "${seconds}s" -c "$connections" -m POST -T application/json -D "$work/rows$rows.json" \
    "http://127.0.0.1:$port/v1/predict" >"$out"
  awk -v c="$connections" -v rows="$rows" '
    /Requests\/sec:/ {rps = $2}
    /% in / {sub("%", "", $1); p[$1] = $3 * 1000}
    /^  \[[0-9]+\]/ && section == "status" {code = substr($1, 2, 3); n = $2; if (code != "200") errors += n; ok += (code == "200") ? n : 0}
    /^  \[[0-9]+\]/ && section == "errors" {errors += $2}
    /Status code distribution/ {section = "status"}
    /Error distribution/ {section = "errors"}
    END {
      sig = "none"
      # the 40 ms stall: the median at ~40 ms (one connection), or most requests fast and a tenth of them piling up there
      if (p[50] >= 36 && p[50] <= 48) sig = "40ms-stall"
      for (q in p) if (q >= 90 && q < 99 && p[q] >= 36 && p[q] <= 48 && p[50] < 10) sig = "40ms-stall"
      printf "%11d %5d %10.0f %10.0f %8.2f %8.2f %7d  %s\n", c, rows, rps, rps * rows, p[50], p[99], errors + 0, sig
    }' "$out"
}

start_server
grep -m1 "^ugmm serve:" "$work/server.log"
hey -z 3s -c 16 -m POST -T application/json -D "$work/rows1.json" "http://127.0.0.1:$port/v1/predict" >/dev/null
hey -z 3s -c 16 -m POST -T application/json -D "$work/rows64.json" "http://127.0.0.1:$port/v1/predict" >/dev/null
echo
echo "connections  rows      req/s     rows/s  p50 ms   p99 ms  errors  40ms-signature"
for rows in 1 64; do
  for connections in 1 16 64; do
    drive "$connections" "$rows" | tee -a "$work/results.txt"
  done
done
curl -fsS "http://127.0.0.1:$port/metrics" >"$work/metrics.txt"
awk '/^ugmm_batch_rows_sum/ {s = $2} /^ugmm_batch_rows_count/ {n = $2} END {printf "mean rows per batched forward pass over the whole run: %.1f\n", s / n}' "$work/metrics.txt"
stop_server

awk -v two="$two_thread_rate" '
  $1 == 64 && $2 == 1 {printf "goal single-row at 64 connections: >= 10000 req/s, p99 <= 10 ms, 0 errors: %.0f req/s, p99 %.2f ms, %d errors\n", $3, $6, $7}
  $1 == 64 && $2 == 64 {printf "goal 64-row requests >= 0.6x the in-process 2-thread batch rate: %.0f / %.0f rows/s = %.2fx\n", $4, two, $4 / two}
' "$work/results.txt"

if [[ "${NAGLE_CONTROL:-0}" == 1 ]]; then
  echo
  echo "control: the same server with -Dsun.net.httpserver.nodelay=false (Nagle on), single-row requests"
  start_server -Dsun.net.httpserver.nodelay=false
  hey -z 2s -c 16 -m POST -T application/json -D "$work/rows1.json" "http://127.0.0.1:$port/v1/predict" >/dev/null
  echo "connections  rows      req/s     rows/s  p50 ms   p99 ms  errors  40ms-signature"
  drive 1 1
  drive 64 1
  stop_server
fi
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
