#!/usr/bin/env bash
# Makes a private CA and one certificate (for the workers, also used as the
# coordinator's client certificate) for the Kubernetes deployment, plus a
# bearer token, into DIR (default deploy/k8s/overlays/mtls/tls):
#   ca.crt tls.crt tls.key token      (ca.key stays out of the cluster)
#
#   deploy/make-certs.sh [DIR] [NAMESPACE]
set -euo pipefail
DIR="${1:-$(dirname "$0")/k8s/overlays/mtls/tls}"
NS="${2:-hero}"
SVC="hero-workers.${NS}.svc.cluster.local"
mkdir -p "$DIR"
cd "$DIR"
umask 077
# openssl's chatter goes to a log shown only on failure (not to /dev/null,
# which some sandboxes make a read-only regular file).
log=$(mktemp)
trap 'rm -f "$log"' EXIT
quiet() { "$@" 2> "$log" || { cat "$log" >&2; return 1; }; }
quiet openssl req -x509 -newkey rsa:3072 -nodes -keyout ca.key -out ca.crt \
  -days 825 -subj "/CN=hero CA"
quiet openssl req -newkey rsa:3072 -nodes -keyout tls.key -out tls.csr \
  -subj "/CN=${SVC}"
quiet openssl x509 -req -in tls.csr -CA ca.crt -CAkey ca.key -CAcreateserial \
  -out tls.crt -days 825 -extfile <(printf '%s\n' \
    "subjectAltName = DNS:${SVC}, DNS:*.${SVC}, DNS:localhost, IP:127.0.0.1" \
    "extendedKeyUsage = serverAuth, clientAuth")
rm -f tls.csr ca.srl
head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > token
echo >> token
echo "wrote $(pwd)/{ca.crt,tls.crt,tls.key,token} (keep ca.key private)"
