#!/usr/bin/env bash
# ab.sh BEFORE.jar AFTER.jar: a paired comparison of two Gatehouse builds, for changes smaller
# than the run-to-run spread of the load comparison (on a shared 2-core VM even nginx's µs/req
# moves by ±20 % between 10 s runs, so two visits per jar cannot resolve a 5-10 % change).
#
# Both builds run at once, each pinned to CPU 0 with one event loop, in front of one nginx backend
# (100-byte body) on CPU 1; the load generator is on CPU 1 too. Only one of them is loaded at a
# time: after both are warmed up, each round measures BEFORE and AFTER back to back (order
# alternating ABBA), so both meet the same machine within seconds and slow drift cancels in the
# per-round ratio. Reported: µs of proxy CPU per request (user+sys from /proc, all threads) per
# run, the medians, and the median of the per-round ratios AFTER/BEFORE with their min-max.
#
#   gatehouse-bench/bench/ab.sh before.jar after.jar
#   ROUNDS=12 DURATION=8 WARMUP=90 SCENARIOS="h1 h2c" gatehouse-bench/bench/ab.sh a.jar b.jar
#
# Scenarios: h1 (wrk, 64 keep-alive connections), h2c (h2load, 16 connections x 4 streams),
# h1-close (wrk, 32 connections, Connection: close). Needs nginx, wrk and h2load (Debian: nginx
# wrk nghttp2-client). Every run is bounded; everything started is stopped by PID on exit.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
A=${1:?usage: ab.sh BEFORE.jar AFTER.jar}
B=${2:?usage: ab.sh BEFORE.jar AFTER.jar}
ROUNDS=${ROUNDS:-10}
DURATION=${DURATION:-8}
WARMUP=${WARMUP:-90}
SCENARIOS=${SCENARIOS:-"h1 h2c"}
JVM_OPTS=${JVM_OPTS:--Xms512m -Xmx512m -XX:+AlwaysPreTouch -XX:+UseParallelGC}
OUT=${OUT:-$(mktemp -d /tmp/gatehouse-ab.XXXXXX)}
MIN_JAVA=21
# shellcheck source=find-java.sh
source "$HERE/find-java.sh"
JAVA=$(find_java) || { echo "no JDK >= $MIN_JAVA found" >&2; exit 1; }
for t in nginx wrk h2load taskset; do
  command -v "$t" >/dev/null || { echo "missing $t (apt-get install -y nginx wrk nghttp2-client)" >&2; exit 1; }
done
mkdir -p "$OUT"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$p" 2>/dev/null || true
  done
}
trap cleanup EXIT INT TERM HUP

BODY=$(head -c 100 /dev/zero | tr '\0' 'x')
cat >"$OUT/backend.conf" <<EOF
worker_processes 1;
daemon off;
pid $OUT/backend.pid;
error_log $OUT/backend-error.log;
events { worker_connections 8192; }
http {
  access_log off;
  keepalive_requests 100000000;
  keepalive_timeout 300s;
  server { listen 127.0.0.1:19001; location / { return 200 "$BODY"; } }
}
EOF
taskset -c 1 nginx -c "$OUT/backend.conf" >"$OUT/backend.out" 2>&1 &
PIDS+=($!)

declare -A PID HTTP H2C
start() { # start NAME JAR BASEPORT
  local d=$OUT/conf-$1
  BENCH_TCP_PORT=$(($3 + 1)) bash "$HERE/gatehouse-config.sh" "$d" 127.0.0.1:19001 "$3" "$(($3 + 2))" >/dev/null
  # shellcheck disable=SC2086
  taskset -c 0 "$JAVA" $JVM_OPTS --sun-misc-unsafe-memory-access=allow -jar "$2" standalone \
    --config-dir "$d" --settings "$d.settings.yaml" --admin-port 0 --workers 1 \
    >"$OUT/$1.out" 2>&1 &
  PID[$1]=$!
  PIDS+=($!)
  HTTP[$1]=$3
  H2C[$1]=$(($3 + 2))
}
start A "$A" 18080
start B "$B" 28080
for n in A B; do
  for _ in $(seq 120); do
    curl -fsS -o /dev/null "http://127.0.0.1:${HTTP[$n]}/" 2>/dev/null && break
    sleep 0.5
  done
  curl -fsS -o /dev/null "http://127.0.0.1:${HTTP[$n]}/" || { echo "$n did not start: see $OUT/$n.out" >&2; exit 1; }
done

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
CLK=$(getconf CLK_TCK)

# load NAME SCENARIO SECONDS: runs the load, prints the requests completed
load() {
  local port=${HTTP[$1]} f=$OUT/raw-$1-$2.txt
  case $2 in
    h1) timeout $(($3 + 20)) taskset -c 1 wrk -t1 -c64 -d"${3}s" "http://127.0.0.1:$port/" >"$f" 2>&1 || true
        awk '/requests in/ {print $1}' "$f" ;;
    h1-close) timeout $(($3 + 20)) taskset -c 1 wrk -t1 -c32 -d"${3}s" -H 'Connection: close' \
          "http://127.0.0.1:$port/" >"$f" 2>&1 || true
        awk '/requests in/ {print $1}' "$f" ;;
    h2c) timeout $(($3 + 20)) taskset -c 1 h2load -c16 -m4 -D"$3" "http://127.0.0.1:${H2C[$1]}/" >"$f" 2>&1 || true
        awk '/^requests:/ {print $8}' "$f" ;;
    *) echo "unknown scenario $2" >&2; exit 1 ;;
  esac
}

echo "ab: A=$A B=$B rounds=$ROUNDS duration=${DURATION}s warmup=${WARMUP}s java=$JAVA out=$OUT"
for s in $SCENARIOS; do
  for ((t = 0; t < WARMUP; t += 20)); do load A "$s" 10 >/dev/null; load B "$s" 10 >/dev/null; done
done

measure() { # measure NAME SCENARIO: prints µs of proxy CPU per request
  local c0 c1 n
  c0=$(cpu_ticks "${PID[$1]}")
  n=$(load "$1" "$2" "$DURATION")
  c1=$(cpu_ticks "${PID[$1]}")
  awk -v c=$((c1 - c0)) -v k="$CLK" -v n="${n:-0}" 'BEGIN { if (n > 0) printf "%.2f", c / k * 1e6 / n; else print "NaN" }'
}

RES=$OUT/results.tsv
printf 'scenario\tround\tA_us_per_req\tB_us_per_req\tB_over_A\n' >"$RES"
for s in $SCENARIOS; do
  for ((r = 1; r <= ROUNDS; r++)); do
    if ((r % 2)); then a=$(measure A "$s"); b=$(measure B "$s"); else b=$(measure B "$s"); a=$(measure A "$s"); fi
    ratio=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.3f", b / a }')
    printf '%s\t%d\t%s\t%s\t%s\n' "$s" "$r" "$a" "$b" "$ratio" | tee -a "$RES"
  done
done

median() { sort -g | awk '{v[NR] = $1} END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo
{
echo "| scenario | A µs/req median | B µs/req median | B/A per round: median (min-max) |"
echo "|---|---:|---:|---|"
for s in $SCENARIOS; do
  ma=$(awk -F'\t' -v s="$s" '$1 == s {print $3}' "$RES" | median)
  mb=$(awk -F'\t' -v s="$s" '$1 == s {print $4}' "$RES" | median)
  mr=$(awk -F'\t' -v s="$s" '$1 == s {print $5}' "$RES" | median)
  lo=$(awk -F'\t' -v s="$s" '$1 == s {print $5}' "$RES" | sort -g | head -n1)
  hi=$(awk -F'\t' -v s="$s" '$1 == s {print $5}' "$RES" | sort -g | tail -n1)
  echo "| $s | $ma | $mb | $mr ($lo-$hi) |"
done
} | tee "$OUT/summary.md"
