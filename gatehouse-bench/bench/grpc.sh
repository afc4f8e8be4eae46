#!/usr/bin/env bash
# grpc.sh — gRPC through Gatehouse against the backend called directly (the ceiling), issue 8.
#
# Runs io.gatehouse.bench.GrpcBench (see its javadoc and docs/benchmarks.md, "gRPC"): a grpc-java
# echo backend (h2c, loopback) and the packaged Gatehouse (java -jar gatehouse.jar standalone, one
# HTTP listener, an HTTPRoute to a Service port of appProtocol kubernetes.io/h2c) are started as
# separate processes; this script's JVM is the grpc-java load client. Scenarios, alternating
# direct / via Gatehouse (ABBA) over REPEATS:
#   unary    INFLIGHT unary calls in flight over CHANNELS h2c connections: calls/s
#   stream   STREAMS bidirectional streams echoing PAYLOAD-byte messages, sending only when the
#            call is ready (flow control) and fewer than STREAM_WINDOW messages are unanswered
#            (0: only HTTP/2 flow control bounds them, ~1 MiB per stream): echoed messages/s
#   latency  unary calls at RATE/s (default 1000; 0 = a quarter of the median unary throughput
#            via Gatehouse), each with a 10 s deadline: p50/p99
# plus the proxy's and the backend's CPU µs per call/message (user+sys from /proc/PID/stat over
# each measured window). Medians and ratios (via Gatehouse / direct) go to $OUT/summary.md.
#
# CPU placement: the proxy alone on PROXY_CPU (default 0, WORKERS=1 event loop); the backend and
# the load client share LOAD_CPU (default 1), as in compare.sh.
#
# Usage:  gatehouse-bench/bench/grpc.sh                       (~6 min with the defaults)
#         DURATION=5 REPEATS=2 PROXY_WARMUP=30 gatehouse-bench/bench/grpc.sh
# Knobs: DURATION=10 WARMUP=3 REPEATS=3 PROXY_WARMUP=45 INFLIGHT=64 CHANNELS=4 STREAMS=4
#        STREAM_WINDOW=100 PAYLOAD=100 RATE=1000 SCENARIOS=unary,stream,latency PROXY_CPU=0 LOAD_CPU=1 WORKERS=1
#        JVM_OPTS="-Xms512m -Xmx512m -XX:+AlwaysPreTouch -XX:+UseParallelGC" (the proxy's)
#        GATEHOUSE_JAR (default gatehouse-app/target/gatehouse.jar) BENCH_JAR (default
#        gatehouse-bench/target/gatehouse-bench.jar), both built when missing (MVN_ARGS, e.g. -o)
#        JAVA (default: JAVA_HOME, then PATH, then the newest JDK >= 21 found, like ./gatehouse)
#        OUT=gatehouse-bench/target/grpc/<UTC time>
# The run holds /tmp/gatehouse-bench.lock (flock) for its whole duration and is bounded by
# `timeout`; every process it starts is stopped by PID when it ends (also on Ctrl-C).
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-3}
REPEATS=${REPEATS:-3}
PROXY_WARMUP=${PROXY_WARMUP:-45}
INFLIGHT=${INFLIGHT:-64}
CHANNELS=${CHANNELS:-4}
STREAMS=${STREAMS:-4}
STREAM_WINDOW=${STREAM_WINDOW:-100}
PAYLOAD=${PAYLOAD:-100}
RATE=${RATE:-1000}
SCENARIOS=${SCENARIOS:-unary,stream,latency}
PROXY_CPU=${PROXY_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}
WORKERS=${WORKERS:-1}
JVM_OPTS=${JVM_OPTS:-"-Xms512m -Xmx512m -XX:+AlwaysPreTouch -XX:+UseParallelGC"}
OUT=${OUT:-$ROOT/gatehouse-bench/target/grpc/$(date -u +%Y%m%dT%H%M%SZ)}
MVN_ARGS=${MVN_ARGS:-}
LOCK=${LOCK:-/tmp/gatehouse-bench.lock}
MIN_JAVA=21

fail() { echo "grpc.sh: $*" >&2; exit 1; }

# java_major, find_java: a JDK >= MIN_JAVA found the way the launcher finds one.
. "$(dirname "${BASH_SOURCE[0]}")/find-java.sh"

stale() {                         # stale JAR MODULE...: missing, or older than a source of the modules
  local jar=$1 m; shift
  [ -f "$jar" ] || return 0
  for m in "$@" ; do
    [ -n "$(find "$ROOT/$m" \( -name pom.xml -o -path '*/src/main/*' \) -type f -newer "$jar" -print -quit 2>/dev/null)" ] && return 0
  done
  [ "$ROOT/pom.xml" -nt "$jar" ]
}

build() {                         # build MODULE: package it and what it needs, no tests
  command -v mvn >/dev/null 2>&1 || fail "Maven (mvn) is needed to build $1"
  echo "grpc.sh: building $1 ..." >&2
  # shellcheck disable=SC2086
  (cd "$ROOT" && JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$JAVA")")") \
     mvn -B -q $MVN_ARGS -DskipTests -pl "$1" -am package) >>"$OUT/build.log" 2>&1 \
    || fail "build of $1 failed (see $OUT/build.log)"
}

for t in taskset timeout flock; do command -v "$t" >/dev/null 2>&1 || fail "missing $t (util-linux / coreutils)"; done
JAVA=$(find_java) || true
[ -n "${JAVA:-}" ] || fail "no JDK >= $MIN_JAVA found (set JAVA or JAVA_HOME)"
mkdir -p "$OUT" || fail "cannot create $OUT"

APP_MODULES="gatehouse-app gatehouse-proxy gatehouse-standalone gatehouse-translator gatehouse-model"
if [ -z "${GATEHOUSE_JAR:-}" ]; then
  GATEHOUSE_JAR=$ROOT/gatehouse-app/target/gatehouse.jar
  # shellcheck disable=SC2086
  stale "$GATEHOUSE_JAR" $APP_MODULES && build gatehouse-app
fi
if [ -z "${BENCH_JAR:-}" ]; then
  BENCH_JAR=$ROOT/gatehouse-bench/target/gatehouse-bench.jar
  # shellcheck disable=SC2086
  stale "$BENCH_JAR" gatehouse-bench $APP_MODULES && build gatehouse-bench
fi
[ -f "$GATEHOUSE_JAR" ] || fail "no Gatehouse jar at $GATEHOUSE_JAR"
[ -f "$BENCH_JAR" ] || fail "no benchmark jar at $BENCH_JAR"
# Frozen copies, so that a rebuild during the run cannot change what is measured.
cp "$GATEHOUSE_JAR" "$OUT/gatehouse.jar" && cp "$BENCH_JAR" "$OUT/gatehouse-bench.jar" || fail "cannot copy the jars"

# Bound: the proxy warm-up, 2 targets x 3 scenarios x repeats x (warm-up + window + 30 s of
# draining slack), start-up and summary.
LIMIT=$(( PROXY_WARMUP + 60 + 2 * 3 * REPEATS * (${WARMUP%.*} + ${DURATION%.*} + 30) + 120 ))
{
  echo "date: $(date -u +%FT%TZ)"; echo "host: $(uname -srm), $(nproc) cpus"
  echo "java: $JAVA ($("$JAVA" -version 2>&1 | head -n1))"; echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "gatehouse jar: $GATEHOUSE_JAR"; echo "commit: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null)"
} >"$OUT/env.txt"
echo "grpc.sh: waiting for $LOCK, then at most $LIMIT s; output in $OUT" >&2

# timeout TERMs the client JVM at the limit; its shutdown hook stops the backend and the proxy by PID.
flock "$LOCK" timeout -k 20 "$LIMIT" taskset -c "$LOAD_CPU" "$JAVA" -Xms256m -Xmx256m -XX:+UseParallelGC \
  --enable-native-access=ALL-UNNAMED -cp "$OUT/gatehouse-bench.jar" io.gatehouse.bench.GrpcBench \
  --gatehouse-jar "$OUT/gatehouse.jar" --proxy-java "$JAVA" --proxy-jvm-opts "$JVM_OPTS" \
  --proxy-cpus "$PROXY_CPU" --backend-cpus "$LOAD_CPU" --workers "$WORKERS" \
  --proxy-warmup "$PROXY_WARMUP" --warmup "$WARMUP" --duration "$DURATION" --repeats "$REPEATS" \
  --inflight "$INFLIGHT" --channels "$CHANNELS" --streams "$STREAMS" --stream-window "$STREAM_WINDOW" --payload "$PAYLOAD" \
  --rate "$RATE" --scenarios "$SCENARIOS" --out "$OUT" 2>"$OUT/client.err" | tee "$OUT/run.log"
rc=${PIPESTATUS[0]}
[ "$rc" = 0 ] || echo "grpc.sh: the harness ended with status $rc (see $OUT/client.err, $OUT/proxy.log)" >&2
exit "$rc"
