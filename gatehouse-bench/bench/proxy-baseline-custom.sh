#!/usr/bin/env bash
# proxy-baseline-custom.sh: Gatehouse as the CUSTOM_CMD of the reference harness (proxy-baseline.sh),
# on its BENCH_* ports (HTTP, h2c, HTTPS with the harness's RSA and ECDSA certificates) with one
# worker per BENCH_WORKERS, and TLS session resumption off (the settings file gatehouse-config.sh
# writes), as the harness configures nginx and HAProxy.
#   CUSTOM_CMD=/path/to/proxy-baseline-custom.sh GH_JAR=/path/to/gatehouse.jar bash proxy-baseline.sh
# GH_JAR_SEQ="a.jar b.jar b.jar a.jar" (paths) makes the Nth start use the Nth jar, for a before/after
# comparison within one run; each start's jar is appended to $BENCH_OUT/custom-starts.txt.
# GH_JAVA and GH_JVM_OPTS override the JVM and its flags.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
D=$BENCH_OUT/conf/gatehouse
rm -rf "$D" "$D.settings.yaml"
bash "$HERE/gatehouse-config.sh" "$D" "$BENCH_UPSTREAM" "$BENCH_HTTP_PORT" "$BENCH_H2C_PORT" >/dev/null
JAR=${GH_JAR:-$HERE/../../gatehouse-app/target/gatehouse.jar}
if [ -n "${GH_JAR_SEQ:-}" ]; then
  n=$( (cat "$BENCH_OUT/custom-starts.txt" 2>/dev/null || true) | wc -l)
  read -r -a seq <<<"$GH_JAR_SEQ"
  JAR=${seq[$(( n % ${#seq[@]} ))]}
fi
echo "$JAR" >>"$BENCH_OUT/custom-starts.txt"
export GATEHOUSE_ACCESS_LOG=OFF
JAVA=${GH_JAVA:-java}
# shellcheck disable=SC2086
exec "$JAVA" ${GH_JVM_OPTS:--Xms512m -Xmx512m -XX:+AlwaysPreTouch -XX:+UseParallelGC} \
  --sun-misc-unsafe-memory-access=allow -jar "$JAR" standalone --config-dir "$D" \
  --settings "$D.settings.yaml" --admin-port 0 --workers "$BENCH_WORKERS"
