# find-java.sh: sourced by compare.sh and grpc.sh (not run on its own). Needs MIN_JAVA set.
# find_java prints a java of a JDK >= MIN_JAVA, looked for the way ./gatehouse does: JAVA, then
# JAVA_HOME, then the java on PATH, then the newest JDK under the usual install directories.

java_major() {
  local v
  v=$("$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -n1)
  case "$v" in 1.*|''|*[!0-9]*) echo 0 ;; *) echo "$v" ;; esac
}

find_java() {
  local c v best="" best_v=0
  for c in "${JAVA:-}" "${JAVA_HOME:+$JAVA_HOME/bin/java}" "$(command -v java 2>/dev/null || true)"; do
    if [ -n "$c" ] && [ -x "$c" ] && [ "$(java_major "$c")" -ge "$MIN_JAVA" ]; then echo "$c"; return 0; fi
  done
  for c in /usr/lib/jvm/*/bin/java /usr/java/*/bin/java /opt/java/*/bin/java \
           "$HOME"/.sdkman/candidates/java/*/bin/java; do
    [ -x "$c" ] || continue
    v=$(java_major "$c")
    if [ "$v" -ge "$MIN_JAVA" ] && [ "$v" -gt "$best_v" ]; then best=$c; best_v=$v; fi
  done
  [ -n "$best" ] && echo "$best"
}
