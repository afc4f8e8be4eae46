#!/usr/bin/env bash
# compare.sh — load comparison of Gatehouse with nginx and HAProxy on this machine.
#
# One nginx backend serves a fixed body (GET / -> 100 bytes, GET /4k -> 4096 bytes). Then each
# proxy in PROXIES is started in turn in front of it, with equivalent settings (one worker or
# event loop, a keep-alive pool of upstream connections, no access log unless ACCESS_LOG=on),
# and the same load is sent through it:
#
#   h1        HTTP/1.1 keep-alive, 64 connections, 100-byte body          (wrk)
#   h1-4k     the same with a 4 KiB body                                  (wrk)
#   h1-close  HTTP/1.1 with "Connection: close", 32 connections           (wrk)
#   h2c       h2c with prior knowledge, 16 connections x 4 streams        (h2load)
#   lat       fixed 4,000 requests/s over 16 HTTP/1.1 connections: p50/p99 (h2load --rps)
#   tls-h1    TLS + HTTP/1.1 keep-alive, 64 connections, RSA-2048 certificate (wrk)
#   tls-h2    TLS + h2 (ALPN), 16 connections x 4 streams, RSA-2048 (h2load)
#   tls-hs-rsa    new TLS connections, one request each ("Connection: close"), 32 connections,
#   tls-hs-ecdsa  RSA-2048 / ECDSA P-256 certificate: full handshakes, µs/req is µs/handshake (wrk)
#   The certificates are self-signed, made with openssl for each run ($OUT/certs). Every proxy
#   offers TLS 1.2 and 1.3 and ALPN h2,http/1.1, and resumes no session (nginx: ssl_session_cache
#   and ssl_session_tickets off; HAProxy: tune.ssl.cachesize 0 and no-tls-tickets; Gatehouse:
#   tls.sessionResumption false in its settings file), so each new connection is a full handshake,
#   as in the reference harness. TCP passthrough is not measured here.
#
# CPU placement (2 cores or more): the proxy on PROXY_CPU (default 0) alone; the backend and
# the load generator share LOAD_CPU (default 1). Each proxy's own CPU time (user+sys of its
# processes and threads, from /proc/PID/stat) is read before and after every run and divided
# by the requests served: "µs/req", the fairest figure, since the load generator's core is
# often the limit. RSS and PSS are read from /proc after each run.
#
# The summary gives medians over REPEATS with min–max, and the ratios Gatehouse/nginx and
# Gatehouse/HAProxy from the medians of this same run. Alternating the proxies (the default
# order visits Gatehouse twice) spreads machine drift over all of them.
#
# Usage:  gatehouse-bench/bench/compare.sh                 (~35 min with the defaults)
#         DURATION=5 REPEATS=2 PROXY_WARMUP=30 gatehouse-bench/bench/compare.sh
#         PROXIES="nginx gatehouse-parallel gatehouse-g1 gatehouse-zgc haproxy" SCENARIOS="h1 lat" ...
#
# Knobs (environment):
#   DURATION=10  seconds per measured run        WARMUP=2     seconds of load before each scenario
#   REPEATS=3    measured runs per scenario      PROXY_WARMUP=60  seconds of h1+h2c load after a
#                                                             Gatehouse start (JIT warm-up)
#   NATIVE_WARMUP=5  the same for nginx/HAProxy
#   SCENARIOS="h1 h1-4k h1-close h2c tls-h1 tls-h2 tls-hs-rsa tls-hs-ecdsa lat"
#   PROXIES="direct nginx gatehouse haproxy gatehouse"  (direct = no proxy, the harness's ceiling;
#            gatehouse-parallel | gatehouse-g1 | gatehouse-zgc | gatehouse-serial pick the GC)
#   JVM_OPTS="-Xms256m -Xmx256m -XX:+AlwaysPreTouch"  (heap and other flags for every Gatehouse)
#   GC_OPTS="-XX:+UseParallelGC"                     (GC of the plain "gatehouse" entry)
#   ACCESS_LOG=off|on  (on: all three proxies write one line per request to a file)
#   CONNS=64 CLOSE_CONNS=32 H2_CONNS=16 H2_STREAMS=4 LAT_CONNS=16 LAT_RPS=4000 HS_CONNS=32
#   PROXY_CPU=0 LOAD_CPU=1   HTTP_PORT=8080 H2C_PORT=8082 BACKEND_PORT=9001 BACKEND_H2C_PORT=9003
#   TLS_RSA_PORT=8443 TLS_ECDSA_PORT=8444 BACKEND_TLS_RSA_PORT=9443 BACKEND_TLS_ECDSA_PORT=9444
#   ADMIN_PORT=19090  READY_TIMEOUT=90  OUT=gatehouse-bench/target/compare/<UTC time>
#   GATEHOUSE_JAR (default: gatehouse-app/target/gatehouse.jar, built when missing or stale)
#   JAVA (default: JAVA_HOME, then PATH, then the newest JDK >= 21 found, like ./gatehouse)
#   MVN_ARGS (extra Maven flags for the build, e.g. -o)
#
# Re-print the tables of an earlier run: compare.sh --summarize OUT/results.tsv (SCENARIOS and
# PROXIES give the row order).
# Output in $OUT: results.tsv (one row per measured run), summary.md (the tables), env.txt
# (machine and versions), raw/ (tool output), logs/, conf/. Every process this script starts is
# stopped by PID when it ends, also on Ctrl-C. It talks to 127.0.0.1 only.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-2}
REPEATS=${REPEATS:-3}
PROXY_WARMUP=${PROXY_WARMUP:-60}
NATIVE_WARMUP=${NATIVE_WARMUP:-5}
SCENARIOS=${SCENARIOS:-"h1 h1-4k h1-close h2c tls-h1 tls-h2 tls-hs-rsa tls-hs-ecdsa lat"}
PROXIES=${PROXIES:-"direct nginx gatehouse haproxy gatehouse"}
JVM_OPTS=${JVM_OPTS:-"-Xms256m -Xmx256m -XX:+AlwaysPreTouch"}
GC_OPTS=${GC_OPTS:-"-XX:+UseParallelGC"}
ACCESS_LOG=${ACCESS_LOG:-off}
CONNS=${CONNS:-64}
CLOSE_CONNS=${CLOSE_CONNS:-32}
H2_CONNS=${H2_CONNS:-16}
H2_STREAMS=${H2_STREAMS:-4}
LAT_CONNS=${LAT_CONNS:-16}
LAT_RPS=${LAT_RPS:-4000}
HS_CONNS=${HS_CONNS:-32}
PROXY_CPU=${PROXY_CPU:-0}
LOAD_CPU=${LOAD_CPU:-1}
HTTP_PORT=${HTTP_PORT:-8080}
H2C_PORT=${H2C_PORT:-8082}
BACKEND_PORT=${BACKEND_PORT:-9001}
BACKEND_H2C_PORT=${BACKEND_H2C_PORT:-9003}
TLS_RSA_PORT=${TLS_RSA_PORT:-8443}
TLS_ECDSA_PORT=${TLS_ECDSA_PORT:-8444}
BACKEND_TLS_RSA_PORT=${BACKEND_TLS_RSA_PORT:-9443}
BACKEND_TLS_ECDSA_PORT=${BACKEND_TLS_ECDSA_PORT:-9444}
ADMIN_PORT=${ADMIN_PORT:-19090}
READY_TIMEOUT=${READY_TIMEOUT:-90}
OUT=${OUT:-$ROOT/gatehouse-bench/target/compare/$(date -u +%Y%m%dT%H%M%SZ)}
MVN_ARGS=${MVN_ARGS:-}
MIN_JAVA=21

say() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" | tee -a "$OUT/compare.log" >&2; }
fail() { say "error: $*"; exit 1; }


# ------------------------------------------------------------------------------------- tools
need_tools() {
  local missing="" t pkgs=""
  for t in nginx haproxy wrk h2load curl taskset ss timeout ps openssl; do
    command -v "$t" >/dev/null 2>&1 || missing+=" $t"
  done
  [ -z "$missing" ] && return 0
  for t in $missing; do
    case $t in
      h2load) pkgs+=" nghttp2-client" ;; taskset) pkgs+=" util-linux" ;; ss) pkgs+=" iproute2" ;;
      timeout) pkgs+=" coreutils" ;; ps) pkgs+=" procps" ;; *) pkgs+=" $t" ;;
    esac
  done
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing from Debian:$pkgs"
    DEBIAN_FRONTEND=noninteractive apt-get update -q >>"$OUT/logs/apt.log" 2>&1
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q $pkgs >>"$OUT/logs/apt.log" 2>&1 \
      || fail "apt-get install$pkgs failed (see $OUT/logs/apt.log)"
  else
    fail "missing:$missing. Install them with: sudo apt-get install -y$pkgs"
  fi
}

# java_major, find_java: a JDK >= MIN_JAVA found the way the launcher finds one.
. "$(dirname "${BASH_SOURCE[0]}")/find-java.sh"

locate_jar() {                    # sets JAR to a frozen copy in $OUT
  local src=${GATEHOUSE_JAR:-$ROOT/gatehouse-app/target/gatehouse.jar}
  if [ -z "${GATEHOUSE_JAR:-}" ]; then
    if [ ! -f "$src" ] || [ -n "$(find "$ROOT" -path "$ROOT/.git" -prune -o \( -name pom.xml -o -path '*/src/main/*' \) \
         -type f -newer "$src" -print -quit 2>/dev/null)" ]; then
      command -v mvn >/dev/null 2>&1 || fail "Maven (mvn) is needed to build $src"
      say "building $src ..."
      # shellcheck disable=SC2086
      (cd "$ROOT" && JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$JAVA")")") \
         mvn -B -q $MVN_ARGS -DskipTests -pl gatehouse-app -am package) >>"$OUT/logs/build.log" 2>&1 \
        || fail "build failed (see $OUT/logs/build.log)"
    fi
  fi
  [ -f "$src" ] || fail "no Gatehouse jar at $src"
  cp "$src" "$OUT/gatehouse.jar" || fail "cannot copy $src"
  JAR=$OUT/gatehouse.jar          # a copy, so a rebuild during the run cannot change what is measured
}

# --------------------------------------------------------------------------------- processes
declare -a STARTED=()
LOADGEN_PID=""

descendants() {                   # the PID and all its descendants
  local p=$1 c
  [ -d "/proc/$p" ] || return 0
  echo "$p"
  for c in $(ps -o pid= --ppid "$p" 2>/dev/null); do descendants "$c"; done
}

stop_tree() {                     # TERM the PID and its descendants, wait up to 5 s, then KILL
  local p=$1 tree q i alive
  [ -n "$p" ] && [ -d "/proc/$p" ] || return 0
  tree=$(descendants "$p")
  # shellcheck disable=SC2086
  kill -TERM $tree 2>/dev/null
  for (( i=0; i<50; i++ )); do
    alive=0
    for q in $tree; do [ -d "/proc/$q" ] && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.1
  done
  for q in $tree; do [ -d "/proc/$q" ] && kill -KILL "$q" 2>/dev/null; done
  wait "$p" 2>/dev/null
  local -a keep=(); for q in "${STARTED[@]}"; do [ "$q" != "$p" ] && keep+=("$q"); done
  STARTED=("${keep[@]}")
}

on_exit() {
  local rc=$? i
  trap - EXIT INT TERM HUP
  [ -n "$LOADGEN_PID" ] && stop_tree "$LOADGEN_PID"
  for (( i=${#STARTED[@]}-1; i>=0; i-- )); do stop_tree "${STARTED[$i]}"; done
  exit $rc
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
running() {                       # the process exists and has not exited (a zombie has)
  local st
  st=$(awk '{sub(/^.*\) /, ""); print $1}' "/proc/$1/stat" 2>/dev/null)
  [ -n "$st" ] && [ "$st" != Z ]
}
wait_port() {                     # wait_port PORT SECONDS PID: 0 once it accepts, 1 on timeout or exit
  local i
  for (( i=0; i<$2*10; i++ )); do
    port_open "$1" && return 0
    running "$3" || return 1
    sleep 0.1
  done
  return 1
}

# ------------------------------------------------------------------------------ configuration
make_certs() {                    # self-signed RSA-2048 and ECDSA P-256 certificates for localhost
  local d=$OUT/certs
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$d/rsa.key" -out "$d/rsa.crt" -days 30 \
    -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 2>>"$OUT/logs/openssl.log" \
    || fail "openssl could not make the RSA certificate"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$d/ecdsa.key" \
    -out "$d/ecdsa.crt" -days 30 -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 \
    2>>"$OUT/logs/openssl.log" || fail "openssl could not make the ECDSA certificate"
  cat "$d/rsa.crt" "$d/rsa.key" >"$d/rsa.pem"       # HAProxy wants certificate and key in one file
  cat "$d/ecdsa.crt" "$d/ecdsa.key" >"$d/ecdsa.pem"
}

nginx_tls_server() {              # nginx_tls_server PORT KIND BODY: a TLS server block (h2 + http/1.1)
  cat <<EOF
  server {
    listen 127.0.0.1:$1 ssl http2 reuseport backlog=4096;
    ssl_certificate $OUT/certs/$2.crt; ssl_certificate_key $OUT/certs/$2.key;
$3
  }
EOF
}

nginx_common() {                  # settings shared by the backend and the nginx proxy
  local name=$1
  cat <<EOF
worker_processes 1;
worker_rlimit_nofile 16384;
pid $OUT/run/$name.pid;
error_log $OUT/logs/$name-error.log warn;
events { worker_connections 8192; }
EOF
}

nginx_http_common() {
  local name=$1
  cat <<EOF
  client_body_temp_path $OUT/tmp/$name-body;
  proxy_temp_path $OUT/tmp/$name-proxy;
  fastcgi_temp_path $OUT/tmp/$name-fastcgi;
  uwsgi_temp_path $OUT/tmp/$name-uwsgi;
  scgi_temp_path $OUT/tmp/$name-scgi;
  keepalive_requests 1000000000;
  keepalive_timeout 600s;
  ssl_protocols TLSv1.2 TLSv1.3;
  ssl_session_cache off;          # every new TLS connection is a full handshake
  ssl_session_tickets off;
EOF
}

write_backend() {
  head -c 99 /dev/zero | tr '\0' 'a' >"$OUT/www/small"; echo >>"$OUT/www/small"
  head -c 4096 /dev/zero | tr '\0' 'b' >"$OUT/www/4k"
  { nginx_common backend
    echo "http {"
    nginx_http_common backend
    cat <<EOF
  access_log off;
  default_type text/plain;
  sendfile on;
  open_file_cache max=16 inactive=600s;
  server {
    listen 127.0.0.1:$BACKEND_PORT reuseport backlog=4096;
    listen 127.0.0.1:$BACKEND_H2C_PORT http2 reuseport backlog=4096;
    root $OUT/www;
    location = /4k { try_files /4k =404; }
    location / { try_files /small =404; }
  }
EOF
    local files="    root $OUT/www;
    location = /4k { try_files /4k =404; }
    location / { try_files /small =404; }"
    nginx_tls_server "$BACKEND_TLS_RSA_PORT" rsa "$files"
    nginx_tls_server "$BACKEND_TLS_ECDSA_PORT" ecdsa "$files"
    echo "}"
  } >"$OUT/conf/backend.conf"
}

write_nginx_proxy() {
  local log="access_log off;"
  [ "$ACCESS_LOG" = on ] && log="access_log $OUT/logs/nginx-access.log;"
  { nginx_common nginx-proxy
    echo "http {"
    nginx_http_common nginx-proxy
    cat <<EOF
  $log
  upstream backend {
    server 127.0.0.1:$BACKEND_PORT;
    keepalive 128;
    keepalive_requests 1000000000;
    keepalive_timeout 600s;
  }
  server {
    listen 127.0.0.1:$HTTP_PORT reuseport backlog=4096;
    listen 127.0.0.1:$H2C_PORT http2 reuseport backlog=4096;
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
EOF
    local pass='    location / { proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection ""; }'
    nginx_tls_server "$TLS_RSA_PORT" rsa "$pass"
    nginx_tls_server "$TLS_ECDSA_PORT" ecdsa "$pass"
    echo "}"
  } >"$OUT/conf/nginx-proxy.conf"
}

write_haproxy() {
  local glog="" dlog=""
  if [ "$ACCESS_LOG" = on ]; then glog="  log stdout format raw local0"; dlog=$'  log global\n  option httplog'; fi
  cat >"$OUT/conf/haproxy.cfg" <<EOF
global
  nbthread 1
  maxconn 8000
  tune.ssl.cachesize 0            # no session cache and no tickets: full handshakes
  ssl-default-bind-options ssl-min-ver TLSv1.2 no-tls-tickets
$glog
defaults
  mode http
$dlog
  timeout connect 5s
  timeout client 600s
  timeout server 600s
  timeout http-keep-alive 600s
  http-reuse always
frontend proxy
  bind 127.0.0.1:$HTTP_PORT backlog 4096
  bind 127.0.0.1:$H2C_PORT proto h2 backlog 4096
  bind 127.0.0.1:$TLS_RSA_PORT ssl crt $OUT/certs/rsa.pem alpn h2,http/1.1 backlog 4096
  bind 127.0.0.1:$TLS_ECDSA_PORT ssl crt $OUT/certs/ecdsa.pem alpn h2,http/1.1 backlog 4096
  default_backend backend
backend backend
  server b1 127.0.0.1:$BACKEND_PORT
EOF
}

write_gatehouse() {              # conf/gatehouse (Gateway API objects) and conf/gatehouse.settings.yaml
  rm -rf "$OUT/conf/gatehouse"
  BENCH_RSA_CERT=$OUT/certs/rsa.crt BENCH_RSA_KEY=$OUT/certs/rsa.key BENCH_TLS_RSA_PORT=$TLS_RSA_PORT \
  BENCH_ECDSA_CERT=$OUT/certs/ecdsa.crt BENCH_ECDSA_KEY=$OUT/certs/ecdsa.key BENCH_TLS_ECDSA_PORT=$TLS_ECDSA_PORT \
    bash "$ROOT/gatehouse-bench/bench/gatehouse-config.sh" "$OUT/conf/gatehouse" \
    "127.0.0.1:$BACKEND_PORT" "$HTTP_PORT" "$H2C_PORT" >/dev/null || fail "gatehouse-config.sh failed"
}

gc_flags() {                      # gc_flags NAME -> the JVM flags selecting that collector
  case $1 in
    parallel) echo "-XX:+UseParallelGC" ;;
    g1) echo "-XX:+UseG1GC" ;;
    serial) echo "-XX:+UseSerialGC" ;;
    zgc) # generational ZGC: the only mode from JDK 23 on; JDK 21-22 need the switch
      if [ "$JAVA_MAJOR" -lt 23 ]; then echo "-XX:+UseZGC -XX:+ZGenerational"; else echo "-XX:+UseZGC"; fi ;;
    *) return 1 ;;
  esac
}

# ------------------------------------------------------------------------------ start/stop
BACKEND_PID=""; PROXY_PID=""

start_backend() {
  write_backend
  taskset -c "$LOAD_CPU" nginx -e "$OUT/logs/backend-error.log" -c "$OUT/conf/backend.conf" \
    -g 'daemon off; master_process on;' >>"$OUT/logs/backend.out" 2>&1 &
  BACKEND_PID=$!; STARTED+=("$BACKEND_PID")
  wait_port "$BACKEND_PORT" 15 "$BACKEND_PID" || fail "backend nginx did not start (see $OUT/logs)"
  say "backend: nginx pid $BACKEND_PID on cpu $LOAD_CPU"
}

start_proxy() {                   # start_proxy LABEL -> 0 when it serves; sets PROXY_PID
  local label=$1 gc opts
  PROXY_PID=""
  case $label in
    direct) return 0 ;;
    nginx)
      write_nginx_proxy
      taskset -c "$PROXY_CPU" nginx -e "$OUT/logs/nginx-proxy-error.log" -c "$OUT/conf/nginx-proxy.conf" \
        -g 'daemon off; master_process on;' >>"$OUT/logs/nginx-proxy.out" 2>&1 &
      PROXY_PID=$! ;;
    haproxy)
      write_haproxy
      taskset -c "$PROXY_CPU" haproxy -db -f "$OUT/conf/haproxy.cfg" >>"$OUT/logs/haproxy.out" 2>&1 &
      PROXY_PID=$! ;;
    gatehouse|gatehouse-*)
      if [ "$label" = gatehouse ]; then gc=$GC_OPTS; else gc=$(gc_flags "${label#gatehouse-}") || fail "unknown GC in $label"; fi
      opts="$JVM_OPTS $gc"
      # as ./gatehouse does: from Java 23 Netty needs this to use sun.misc.Unsafe (direct buffers)
      [ "$JAVA_MAJOR" -ge 23 ] && opts="$opts --sun-misc-unsafe-memory-access=allow"
      write_gatehouse
      echo "$label: $JAVA $opts" >>"$OUT/env.txt"
      local level=OFF; [ "$ACCESS_LOG" = on ] && level=INFO
      # shellcheck disable=SC2086
      GATEHOUSE_ACCESS_LOG=$level taskset -c "$PROXY_CPU" "$JAVA" $opts -jar "$JAR" standalone \
        --config-dir "$OUT/conf/gatehouse" --settings "$OUT/conf/gatehouse.settings.yaml" \
        --admin-port "$ADMIN_PORT" --workers 1 \
        >>"$OUT/logs/$label.access.log" 2>>"$OUT/logs/$label.err" &
      PROXY_PID=$! ;;
    *) fail "unknown proxy $label (direct, nginx, haproxy, gatehouse, gatehouse-<parallel|g1|zgc|serial>)" ;;
  esac
  STARTED+=("$PROXY_PID")
  if ! wait_port "$HTTP_PORT" "$READY_TIMEOUT" "$PROXY_PID"; then
    say "$label did not listen on $HTTP_PORT within ${READY_TIMEOUT}s (see $OUT/logs)"
    stop_tree "$PROXY_PID"; PROXY_PID=""; return 1
  fi
  say "$label: pid $PROXY_PID on cpu $PROXY_CPU"
}

# ------------------------------------------------------------------------------ measuring
jiffies() {                       # user+sys clock ticks of the given PIDs (all their threads)
  local p s=0 v
  for p in "$@"; do
    v=$(awk '{sub(/^.*\) /, ""); print $12 + $13}' "/proc/$p/stat" 2>/dev/null)
    s=$(( s + ${v:-0} ))
  done
  echo "$s"
}

memory() {                        # "RSS PSS" in KiB summed over the given PIDs
  local p r=0 q=0 a b
  for p in "$@"; do
    a=$(awk '/^VmRSS:/{print $2}' "/proc/$p/status" 2>/dev/null)
    b=$(awk '/^Pss:/{print $2}' "/proc/$p/smaps_rollup" 2>/dev/null)
    r=$(( r + ${a:-0} )); q=$(( q + ${b:-0} ))
  done
  echo "$r $q"
}

cpu_ticks() {                     # "busy total" of one CPU from /proc/stat
  awk -v c="cpu$1" '$1==c{print $2+$3+$4+$7+$8, $2+$3+$4+$5+$6+$7+$8+$9}' /proc/stat
}

scenario_url() {                  # scenario_url SCENARIO PROXY -> URL
  local host=127.0.0.1 http=$HTTP_PORT h2c=$H2C_PORT rsa=$TLS_RSA_PORT ecdsa=$TLS_ECDSA_PORT
  if [ "$2" = direct ]; then
    http=$BACKEND_PORT; h2c=$BACKEND_H2C_PORT; rsa=$BACKEND_TLS_RSA_PORT; ecdsa=$BACKEND_TLS_ECDSA_PORT
  fi
  case $1 in
    h1|h1-close|lat) echo "http://$host:$http/" ;;
    h1-4k) echo "http://$host:$http/4k" ;;
    h2c) echo "http://$host:$h2c/" ;;
    tls-h1|tls-h2|tls-hs-rsa) echo "https://$host:$rsa/" ;;
    tls-hs-ecdsa) echo "https://$host:$ecdsa/" ;;
  esac
}

scenario_check() {                # does this proxy answer the scenario correctly? (size check)
  local sc=$1 url=$2 want=100 got args=()
  [ "$sc" = h1-4k ] && want=4096
  case $sc in
    h2c) args=(--http2-prior-knowledge) ;;
    tls-h2) args=(-k --http2) ;;                  # must negotiate h2 by ALPN
    tls-*) args=(-k --http1.1) ;;
  esac
  if [ "$sc" = tls-h2 ]; then
    got=$(curl -s -m 5 -o /dev/null -w '%{http_code} %{size_download} %{http_version}' "${args[@]}" "$url" 2>/dev/null)
    [ "$got" = "200 $want 2" ]; return
  fi
  got=$(curl -s -m 5 -o /dev/null -w '%{http_code} %{size_download}' "${args[@]}" "$url" 2>/dev/null)
  [ "$got" = "200 $want" ]
}

# load SCENARIO URL SECONDS RAWFILE -> sets REQS RPS P50 P99 ERRS
load() {
  local sc=$1 url=$2 secs=$3 raw=$4 lat=$OUT/tmp/latency.log
  local -a cmd
  rm -f "$lat"
  case $sc in
    h1|h1-4k) cmd=(wrk -t1 -c"$CONNS" -d"${secs}s" --latency "$url") ;;
    h1-close) cmd=(wrk -t1 -c"$CLOSE_CONNS" -d"${secs}s" --latency -H 'Connection: close' "$url") ;;
    h2c|tls-h2) cmd=(h2load -t1 -c"$H2_CONNS" -m"$H2_STREAMS" -D "$secs" --log-file="$lat" "$url") ;;
    tls-h1) cmd=(wrk -t1 -c"$CONNS" -d"${secs}s" --latency "$url") ;;
    tls-hs-*) cmd=(wrk -t1 -c"$HS_CONNS" -d"${secs}s" --latency -H 'Connection: close' "$url") ;;
    lat) cmd=(h2load --h1 -t1 -c"$LAT_CONNS" --rps=$(( LAT_RPS / LAT_CONNS )) -D "$secs" --log-file="$lat" "$url") ;;
  esac
  timeout -k 5 $(( secs + 30 )) taskset -c "$LOAD_CPU" "${cmd[@]}" >"$raw" 2>&1 &
  LOADGEN_PID=$!
  wait "$LOADGEN_PID"; LOADGEN_PID=""
  REQS=0; RPS=NA; P50=NA; P99=NA; ERRS=NA
  case $sc in
    h1|h1-4k|h1-close|tls-h1|tls-hs-*)
      REQS=$(awk '/ requests in /{print $1 + 0}' "$raw")
      RPS=$(awk '/^Requests\/sec:/{printf "%.0f", $2}' "$raw")
      P50=$(awk '$1=="50%"{print $2}' "$raw" | wrk_ms)
      P99=$(awk '$1=="99%"{print $2}' "$raw" | wrk_ms)
      ERRS=$(awk '/Non-2xx or 3xx/{e += $NF} /Socket errors:/{gsub(/,/, ""); e += $4 + $6 + $8 + $10} END{print e + 0}' "$raw") ;;
    h2c|tls-h2|lat)
      # "requests: N total, N started, N done, N succeeded, N failed, N errored, N timeout"
      REQS=$(awk '/^requests:/{gsub(/,/, ""); print $8 + 0}' "$raw")
      RPS=$(awk '/^finished in/{gsub(/,/, ""); printf "%.0f", $4}' "$raw")
      ERRS=$(awk '/^requests:/{gsub(/,/, ""); e += $10 + $12 + $14} /^status codes:/{gsub(/,/, ""); e += $7 + $9}
                  END{print e + 0}' "$raw")
      if [ -s "$lat" ]; then       # per-request log: start time, status, duration in µs
        read -r P50 P99 < <(awk -F'\t' '$2 == 200 {print $3}' "$lat" | sort -n | awk '
          {v[NR] = $1} END { if (NR == 0) { print "NA NA"; exit }
            a = int(NR * 0.50 + 0.5); if (a < 1) a = 1; b = int(NR * 0.99 + 0.5); if (b < 1) b = 1; if (b > NR) b = NR
            printf "%.3f %.3f\n", v[a] / 1000, v[b] / 1000 }')
      fi ;;
  esac
  REQS=${REQS:-0}; RPS=${RPS:-NA}
  rm -f "$lat"
}

wrk_ms() {                        # wrk latency (850.00us, 1.20ms, 1.05s) -> milliseconds
  awk '{v = $1 + 0; if ($1 ~ /us$/) v /= 1000; else if ($1 ~ /ms$/) ; else if ($1 ~ /s$/) v *= 1000; printf "%.3f", v} END{if (NR == 0) print "NA"}'
}

measure() {                       # measure LABEL SCENARIO REP URL -> appends a row to results.tsv
  local label=$1 sc=$2 rep=$3 url=$4 tree="" j0=0 j1=0 b0 b1 a0 a1 l0 l1 t0 t1 mem="0 0"
  [ -n "$PROXY_PID" ] && tree=$(descendants "$PROXY_PID")
  local btree; btree=$(descendants "$BACKEND_PID")
  # shellcheck disable=SC2086
  { [ -n "$tree" ] && j0=$(jiffies $tree); b0=$(jiffies $btree); a0=$(cpu_ticks "$PROXY_CPU"); l0=$(cpu_ticks "$LOAD_CPU"); t0=$(date +%s.%N); }
  load "$sc" "$url" "$DURATION" "$OUT/raw/$label.$sc.$rep.txt"
  # shellcheck disable=SC2086
  { t1=$(date +%s.%N); a1=$(cpu_ticks "$PROXY_CPU"); l1=$(cpu_ticks "$LOAD_CPU"); b1=$(jiffies $btree); [ -n "$tree" ] && j1=$(jiffies $tree) && mem=$(memory $tree); }
  awk -v label="$label" -v sc="$sc" -v rep="$rep" -v reqs="$REQS" -v rps="$RPS" -v p50="$P50" -v p99="$P99" \
      -v errs="$ERRS" -v pj=$(( j1 - j0 )) -v bj=$(( b1 - b0 )) -v hz="$CLK_TCK" -v t0="$t0" -v t1="$t1" \
      -v a0="$a0" -v a1="$a1" -v l0="$l0" -v l1="$l1" -v mem="$mem" -v proxy="${tree:+1}" 'BEGIN {
    wall = t1 - t0; split(a0, x, " "); split(a1, y, " "); split(l0, u, " "); split(l1, w, " "); split(mem, m, " ")
    c0 = (y[2] > x[2]) ? 100 * (y[1] - x[1]) / (y[2] - x[2]) : 0
    c1 = (w[2] > u[2]) ? 100 * (w[1] - u[1]) / (w[2] - u[2]) : 0
    pcpu = 100 * pj / hz / wall
    us = (proxy && reqs > 0) ? sprintf("%.2f", 1e6 * pj / hz / reqs) : "NA"
    other = proxy ? c0 - pcpu : c0; if (other < 0) other = 0
    printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%.0f\t%.0f\t%.0f\t%.1f\n", label, sc, rep, rps, reqs, p50, p99, errs,
      proxy ? sprintf("%.1f", pcpu) : "NA", us, proxy ? sprintf("%.1f", m[1] / 1024) : "NA",
      proxy ? sprintf("%.1f", m[2] / 1024) : "NA", c0, c1, other, 100 * bj / hz / wall }' >>"$OUT/results.tsv"
  say "$(tail -n1 "$OUT/results.tsv" | awk -F'\t' '{printf "%-18s %-8s #%s %7s req/s p99 %s ms  %s µs/req  cpu %s%%  rss %s MiB  cpu0/1 %s/%s%%  other-on-proxy-cpu %s%%  errors %s", $1, $2, $3, $4, $7, $10, $9, $11, $13, $14, $15, $8}')"
}

warm() {                          # warm LABEL SECONDS: h1, h2c and (when measured) TLS load, discarded
  local label=$1 secs=$2 part kinds="h1 h2c" k
  [ "$secs" -gt 0 ] || return 0
  case " $SCENARIOS " in *" tls-"*) kinds="h1 h2c tls-h1" ;; esac
  part=$(( (secs + 2) / 3 )); [ "$kinds" = "h1 h2c" ] && part=$(( (secs + 1) / 2 ))
  say "$label: warm-up ${secs}s ($kinds)"
  for k in $kinds; do
    scenario_check "$k" "$(scenario_url "$k" "$label")" || continue
    load "$k" "$(scenario_url "$k" "$label")" "$part" "$OUT/raw/$label.warmup-$k.$PASS.txt"
  done
}

# ------------------------------------------------------------------------------ summary
summarize() {                     # summarize results.tsv -> markdown
  awk -F'\t' -v scs="$SCENARIOS" -v order="$PROXIES" '
    NR == 1 { next }
    { k = $2 SUBSEP $1; n[k]++; i = n[k]
      rps[k, i] = $4; p50[k, i] = $6; p99[k, i] = $7; cpu[k, i] = $9; us[k, i] = $10; rss[k, i] = $11; pss[k, i] = $12
      c0[k, i] = $13; c1[k, i] = $14; oth[k, i] = $15; err[k] += ($8 == "NA" ? 0 : $8) }
    function med(a, k, c,   i, j, t, v, m) { m = 0
      for (i = 1; i <= c; i++) if (a[k, i] != "NA" && a[k, i] != "") v[++m] = a[k, i] + 0
      if (m == 0) return "NA"
      for (i = 2; i <= m; i++) { t = v[i]; for (j = i - 1; j >= 1 && v[j] > t; j--) v[j + 1] = v[j]; v[j + 1] = t }
      return (m % 2) ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2 }
    function lo(a, k, c,   i, r) { r = "NA"; for (i = 1; i <= c; i++) if (a[k, i] != "NA" && (r == "NA" || a[k, i] + 0 < r)) r = a[k, i] + 0; return r }
    function hi(a, k, c,   i, r) { r = "NA"; for (i = 1; i <= c; i++) if (a[k, i] != "NA" && (r == "NA" || a[k, i] + 0 > r)) r = a[k, i] + 0; return r }
    function f(x, fmt) { return x == "NA" ? "–" : sprintf(fmt, x) }
    function rng(a, k, c, fmt,   m) { m = med(a, k, c); if (m == "NA") return "–"
      return sprintf(fmt " (" fmt "–" fmt ")", m, lo(a, k, c), hi(a, k, c)) }
    function ratio(a, b, fmt) { return (a == "NA" || b == "NA" || b + 0 == 0) ? "–" : sprintf(fmt, a / b) }
    END {
      ns = split(scs, S, " "); np = 0
      split(order, O, " "); for (i = 1; i in O; i++) if (!(O[i] in seen)) { seen[O[i]] = 1; P[++np] = O[i] }
      print "| scenario | proxy | req/s median (min–max) | ÷ direct | p50 ms | p99 ms (min–max) | proxy CPU µs/req (min–max) | proxy CPU % | RSS MiB (PSS) | cpu0/cpu1 busy % | other load on cpu0 % | errors | n |"
      print "|---|---|---|---:|---:|---|---|---:|---|---|---:|---:|---:|"
      for (s = 1; s <= ns; s++) for (p = 1; p <= np; p++) {
        k = S[s] SUBSEP P[p]; c = n[k]; if (!c) continue
        if (med(rps, k, c) == "NA") { printf "| %s | %s | n/a | | | | | | | | | | %d |\n", S[s], P[p], c; continue }
        kd = S[s] SUBSEP "direct"; vs = (P[p] != "direct" && n[kd]) ? ratio(med(rps, k, c), med(rps, kd, n[kd]), "%.2f") : "–"
        printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s (%s) | %s/%s | %s | %d | %d |\n", S[s], P[p],
          rng(rps, k, c, "%.0f"), vs, f(med(p50, k, c), "%.2f"), rng(p99, k, c, "%.2f"), rng(us, k, c, "%.1f"),
          f(med(cpu, k, c), "%.0f"), f(med(rss, k, c), "%.0f"), f(med(pss, k, c), "%.0f"),
          f(med(c0, k, c), "%.0f"), f(med(c1, k, c), "%.0f"), f(med(oth, k, c), "%.0f"), err[k], c
      }
      print ""
      print "Ratios of the medians above (same run). req/s: higher is better for Gatehouse; µs/req and p99: lower is better."
      print ""
      print "| scenario | Gatehouse | req/s ÷ nginx | req/s ÷ HAProxy | µs/req ÷ nginx | µs/req ÷ HAProxy | p99 ÷ nginx | p99 ÷ HAProxy |"
      print "|---|---|---:|---:|---:|---:|---:|---:|"
      for (s = 1; s <= ns; s++) for (p = 1; p <= np; p++) {
        if (P[p] !~ /^gatehouse/) continue
        k = S[s] SUBSEP P[p]; kn = S[s] SUBSEP "nginx"; kh = S[s] SUBSEP "haproxy"; if (!n[k]) continue
        g = med(rps, k, n[k]); gu = med(us, k, n[k]); gp = med(p99, k, n[k])
        nr = n[kn] ? med(rps, kn, n[kn]) : "NA"; nu = n[kn] ? med(us, kn, n[kn]) : "NA"; np9 = n[kn] ? med(p99, kn, n[kn]) : "NA"
        hr = n[kh] ? med(rps, kh, n[kh]) : "NA"; hu = n[kh] ? med(us, kh, n[kh]) : "NA"; hp9 = n[kh] ? med(p99, kh, n[kh]) : "NA"
        printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", S[s], P[p], ratio(g, nr, "%.2f"), ratio(g, hr, "%.2f"),
          ratio(gu, nu, "%.2f"), ratio(gu, hu, "%.2f"), ratio(gp, np9, "%.2f"), ratio(gp, hp9, "%.2f")
      }
      print ""
      print "In tls-hs-rsa and tls-hs-ecdsa every request is a new connection with a full handshake: µs/req is µs per handshake. TCP passthrough is not measured by this script."
    }' "$1"
}

# ------------------------------------------------------------------------------ main
if [ "${1:-}" = --summarize ]; then   # compare.sh --summarize results.tsv: the tables again
  [ -f "${2:-}" ] || { echo "usage: compare.sh --summarize RESULTS.tsv" >&2; exit 2; }
  summarize "$2"; exit 0
fi
mkdir -p "$OUT"/{raw,logs,conf,run,www,tmp,certs} || { echo "compare.sh: cannot create $OUT" >&2; exit 1; }
OUT=$(cd "$OUT" && pwd)
CLK_TCK=$(getconf CLK_TCK)
need_tools
JAVA=$(find_java) || fail "no JDK >= $MIN_JAVA found (set JAVA_HOME or JAVA)"
JAVA_MAJOR=$(java_major "$JAVA")
case " $PROXIES " in *" gatehouse"*) locate_jar ;; esac
[ "$(nproc)" -ge 2 ] || say "warning: fewer than 2 CPUs; the proxy and the load generator will share one"
for p in "$HTTP_PORT" "$H2C_PORT" "$BACKEND_PORT" "$BACKEND_H2C_PORT" "$ADMIN_PORT" "$TLS_RSA_PORT" \
         "$TLS_ECDSA_PORT" "$BACKEND_TLS_RSA_PORT" "$BACKEND_TLS_ECDSA_PORT"; do
  if ss -Hltn "sport = :$p" 2>/dev/null | grep -q .; then fail "port $p is already in use"; fi
done
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

{
  echo "date: $(date -u +%FT%TZ)"
  echo "machine: $(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo), $(nproc) CPUs, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM, kernel $(uname -r)"
  echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "nginx: $(nginx -v 2>&1 | sed 's/.*: //')  haproxy: $(haproxy -v 2>&1 | head -n1 | awk '{print $3}')  wrk: $(wrk -v 2>&1 | head -n1 | awk '{print $2}')  h2load: $(h2load --version 2>&1 | head -n1 | awk '{print $2}')"
  echo "java: $JAVA ($("$JAVA" -version 2>&1 | head -n1))"
  echo "settings: DURATION=$DURATION WARMUP=$WARMUP REPEATS=$REPEATS PROXY_WARMUP=$PROXY_WARMUP NATIVE_WARMUP=$NATIVE_WARMUP ACCESS_LOG=$ACCESS_LOG"
  echo "load: h1 and tls-h1 ${CONNS} conns, h1-close ${CLOSE_CONNS} conns, h2c and tls-h2 ${H2_CONNS}x${H2_STREAMS}, tls-hs-* ${HS_CONNS} conns, lat ${LAT_RPS} req/s over ${LAT_CONNS} conns"
  echo "tls: nginx/HAProxy with the system OpenSSL ($(openssl version)); Gatehouse: BoringSSL (netty-tcnative) or the JDK's TLS, see its log line in logs/"
  echo "pinning: proxy on cpu $PROXY_CPU; backend and load generator on cpu $LOAD_CPU"
  echo "proxies: $PROXIES; scenarios: $SCENARIOS"
} >"$OUT/env.txt"
printf 'proxy\tscenario\trep\trps\trequests\tp50_ms\tp99_ms\terrors\tproxy_cpu_pct\tproxy_cpu_us_per_req\trss_mib\tpss_mib\tcpu0_busy_pct\tcpu1_busy_pct\tother_on_proxy_cpu_pct\tbackend_cpu_pct\n' >"$OUT/results.tsv"
say "output in $OUT"

make_certs
start_backend
PASS=0
for label in $PROXIES; do
  PASS=$((PASS + 1))
  start_proxy "$label" || continue
  case $label in
    gatehouse*) warm "$label" "$PROXY_WARMUP" ;;
    nginx|haproxy) warm "$label" "$NATIVE_WARMUP" ;;
  esac
  for sc in $SCENARIOS; do
    url=$(scenario_url "$sc" "$label")
    if [ -z "$url" ]; then say "unknown scenario $sc"; continue; fi
    if ! scenario_check "$sc" "$url"; then
      say "$label/$sc: $url does not answer 200 with the expected body -> n/a"
      printf '%s\t%s\t-\tNA\t0\tNA\tNA\tNA\tNA\tNA\tNA\tNA\tNA\tNA\tNA\tNA\n' "$label" "$sc" >>"$OUT/results.tsv"
      continue
    fi
    [ "$WARMUP" -gt 0 ] && load "$sc" "$url" "$WARMUP" "$OUT/raw/$label.$sc.warmup.$PASS.txt"
    for (( rep=1; rep<=REPEATS; rep++ )); do measure "$label" "$sc" "p$PASS.$rep" "$url"; done
  done
  [ -n "$PROXY_PID" ] && stop_tree "$PROXY_PID"; PROXY_PID=""
done
stop_tree "$BACKEND_PID"; BACKEND_PID=""

summarize "$OUT/results.tsv" >"$OUT/summary.md"
{ echo; echo '```'; cat "$OUT/env.txt"; echo '```'; } >>"$OUT/summary.md"
cat "$OUT/summary.md"
say "done: $OUT/summary.md"
