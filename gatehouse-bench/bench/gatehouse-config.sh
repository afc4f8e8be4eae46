#!/usr/bin/env bash
# gatehouse-config.sh DIR [UPSTREAM] [HTTP_PORT] [H2C_PORT]
# Writes the Gatehouse configuration used by the load comparison into DIR: one Gateway on
# 127.0.0.1 with plain HTTP listeners on HTTP_PORT (HTTP/1.1) and H2C_PORT (served as h2c with
# prior knowledge; every Gatehouse HTTP listener accepts both), one HTTPRoute sending everything
# to one Service whose single endpoint is UPSTREAM (host:port). Defaults follow the BENCH_*
# variables of proxy-baseline.sh: upstream 127.0.0.1:9001, ports 8080 and 8082.
# When BENCH_RSA_CERT/BENCH_RSA_KEY (PEM files) are set, an HTTPS listener on BENCH_TLS_RSA_PORT
# (default 8443) serves that certificate; likewise BENCH_ECDSA_CERT/BENCH_ECDSA_KEY on
# BENCH_TLS_ECDSA_PORT (default 8444). Both offer ALPN h2 and http/1.1.
# It also writes the settings file DIR.settings.yaml (outside DIR, which holds only Gateway API
# objects; pass it with --settings): TLS session resumption off, so that every benchmarked TLS
# connection is a full handshake, as nginx and HAProxy are configured by the harnesses
# (ssl_session_cache/ssl_session_tickets off, tune.ssl.cachesize 0 + no-tls-tickets).
# BENCH_TLS_RESUMPTION=true keeps Gatehouse's default (resumption on) instead.
# A TCP listener on BENCH_TCP_PORT (default 8081) relays connections to UPSTREAM through a
# TCPRoute (the harness's L4 "tcp" scenario).
set -euo pipefail
DIR=${1:?usage: gatehouse-config.sh DIR [UPSTREAM] [HTTP_PORT] [H2C_PORT]}
UPSTREAM=${2:-${BENCH_UPSTREAM:-127.0.0.1:9001}}
HTTP_PORT=${3:-${BENCH_HTTP_PORT:-8080}}
H2C_PORT=${4:-${BENCH_H2C_PORT:-8082}}
TCP_PORT=${BENCH_TCP_PORT:-8081}
UP_HOST=${UPSTREAM%:*}
UP_PORT=${UPSTREAM##*:}
mkdir -p "$DIR"
cat >"${DIR%/}.settings.yaml" <<YAML
tls:
  sessionResumption: ${BENCH_TLS_RESUMPTION:-false}
YAML
b64() { base64 -w0 <"$1"; }
TLS_LISTENERS=""
tls_listener() { # tls_listener NAME PORT CERT KEY: an HTTPS listener and its Secret
  TLS_LISTENERS+="
  - name: $1
    protocol: HTTPS
    port: $2
    tls:
      certificateRefs:
      - name: $1"
  cat >"$DIR/secret-$1.yaml" <<YAML
apiVersion: v1
kind: Secret
metadata:
  name: $1
  namespace: default
type: kubernetes.io/tls
data:
  tls.crt: $(b64 "$3")
  tls.key: $(b64 "$4")
YAML
}
if [ -n "${BENCH_RSA_CERT:-}" ] && [ -n "${BENCH_RSA_KEY:-}" ]; then
  tls_listener tls-rsa "${BENCH_TLS_RSA_PORT:-8443}" "$BENCH_RSA_CERT" "$BENCH_RSA_KEY"
fi
if [ -n "${BENCH_ECDSA_CERT:-}" ] && [ -n "${BENCH_ECDSA_KEY:-}" ]; then
  tls_listener tls-ecdsa "${BENCH_TLS_ECDSA_PORT:-8444}" "$BENCH_ECDSA_CERT" "$BENCH_ECDSA_KEY"
fi
cat >"$DIR/bench.yaml" <<YAML
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata:
  name: gatehouse
spec:
  controllerName: gatehouse.io/gateway-controller
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: bench
  namespace: default
spec:
  gatewayClassName: gatehouse
  addresses:
  - type: IPAddress
    value: 127.0.0.1
  listeners:
  - name: http
    protocol: HTTP
    port: $HTTP_PORT
  - name: h2c
    protocol: HTTP
    port: $H2C_PORT
  - name: tcp
    protocol: TCP
    port: $TCP_PORT$TLS_LISTENERS
---
apiVersion: gateway.networking.k8s.io/v1alpha2
kind: TCPRoute
metadata:
  name: backend-tcp
  namespace: default
spec:
  parentRefs:
  - name: bench
    sectionName: tcp
  rules:
  - backendRefs:
    - name: backend
      port: 80
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: backend
  namespace: default
spec:
  parentRefs:
  - name: bench
  rules:
  - backendRefs:
    - name: backend
      port: 80
---
apiVersion: v1
kind: Service
metadata:
  name: backend
  namespace: default
spec:
  ports:
  - name: http
    port: 80
    targetPort: $UP_PORT
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: backend-1
  namespace: default
  labels:
    kubernetes.io/service-name: backend
addressType: IPv4
ports:
- name: http
  port: $UP_PORT
  protocol: TCP
endpoints:
- addresses:
  - $UP_HOST
  conditions:
    ready: true
YAML
echo "$DIR"
