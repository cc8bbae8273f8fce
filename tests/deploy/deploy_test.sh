#!/usr/bin/env bash
# The deployment files, validated offline with what Debian offers: both
# kustomize overlays render with kubectl (certificates made by
# deploy/make-certs.sh), every object passes deploy/check_manifests.py, the
# flags the manifests pass exist in the hero binary, and the Dockerfile
# builds on Debian 12 with the install script, runs as a non-root user and
# installs every library the binary links.
set -euo pipefail
# Nothing here writes to /dev/null: in some sandboxes it is a read-only file.
fail() { echo "FAIL: $*" >&2; exit 1; }
HERO=src/cli/hero
CHECK="/usr/bin/python3 deploy/check_manifests.py"
KUBECTL=$(command -v kubectl) ||
  fail "kubectl not found (tools/install_deps.sh installs kubernetes-client)"
work="$TEST_TMPDIR/deploy"
mkdir -p "$work"
cp -rL deploy/k8s "$work/"
deploy/make-certs.sh "$work/k8s/overlays/mtls/tls" > "$work/make-certs.out"
for f in ca.crt tls.crt tls.key token; do
  [ -s "$work/k8s/overlays/mtls/tls/$f" ] || fail "make-certs.sh made no $f"
done
openssl verify -CAfile "$work/k8s/overlays/mtls/tls/ca.crt" \
  "$work/k8s/overlays/mtls/tls/tls.crt" > "$work/verify.out" ||
  fail "make-certs.sh: tls.crt does not verify against ca.crt"
openssl x509 -in "$work/k8s/overlays/mtls/tls/tls.crt" -noout -text |
  grep -q "DNS:hero-workers.hero.svc.cluster.local" ||
  fail "make-certs.sh: no SAN for the headless Service"

for overlay in mtls loopback; do
  "$KUBECTL" kustomize "$work/k8s/overlays/$overlay" 2> "$work/$overlay.err" > "$work/$overlay.yaml" ||
    fail "kubectl kustomize $overlay: $(cat "$work/$overlay.err")"
  $CHECK < "$work/$overlay.yaml" > "$work/$overlay.objects" ||
    fail "$overlay: manifests have problems"
done
objects() { awk '{print $1, $2, $3}' "$1" | sed -E 's/(hero-tls)-[a-z0-9]+$/\1-HASH/' | sort; }
diff <(objects "$work/mtls.objects") - <<'OBJECTS' || fail "mtls objects"
apps/v1 Deployment hero-worker
batch/v1 Job hero-search
v1 Namespace hero
v1 PersistentVolumeClaim hero-runs
v1 Secret hero-tls-HASH
v1 Service hero-workers
OBJECTS
diff <(objects "$work/loopback.objects") - <<'OBJECTS' || fail "loopback objects"
batch/v1 Job hero-search
v1 Namespace hero
v1 PersistentVolumeClaim hero-runs
OBJECTS

# The checker finds problems (it is not a rubber stamp).
/usr/bin/python3 - "$work/mtls.yaml" > "$work/broken.yaml" <<'PY'
import sys, yaml
docs = list(yaml.safe_load_all(open(sys.argv[1])))
for d in docs:
    if d and d["kind"] == "Deployment":
        d["spec"]["template"]["metadata"]["labels"]["app.kubernetes.io/component"] = "wrker"
print(yaml.safe_dump_all(docs))
PY
if $CHECK < "$work/broken.yaml" > "$work/broken.out" 2> "$work/broken.err"; then
  fail "check_manifests.py accepted a selector that matches nothing"
fi
grep -q "problem: Deployment/hero-worker: the selector does not match the template's labels" \
  "$work/broken.err" || fail "unexpected problems: $(cat "$work/broken.err")"

# Every --flag the manifests pass to hero exists.
for overlay in mtls loopback; do
  for flag in $(grep -oE -- '--[a-z_]+=' "$work/$overlay.yaml" | sort -u | tr -d '='); do
    if ! "$HERO" worker --help | grep -q -- "^  $flag" &&
       ! "$HERO" search --help | grep -q -- "^  $flag"; then
      fail "$overlay passes $flag, which hero does not have"
    fi
  done
done
grep -q -- "--workers=dns:///hero-workers.hero.svc.cluster.local:50051" "$work/mtls.yaml" ||
  fail "the coordinator does not use the headless Service"

# The Dockerfile.
D=deploy/Dockerfile
[ "$(grep -c '^FROM debian:12' "$D")" = 2 ] || fail "Dockerfile: two debian:12 stages"
grep -q 'tools/install_deps.sh --build' "$D" || fail "Dockerfile: build with install_deps.sh --build"
grep -q 'install_deps.sh --runtime' "$D" || fail "Dockerfile: runtime with install_deps.sh --runtime"
grep -qE '^USER [1-9][0-9]*$' "$D" || fail "Dockerfile: not a non-root numeric USER"
grep -q '^ENTRYPOINT \["hero", "worker"\]' "$D" || fail "Dockerfile: entrypoint"
# The runtime stage installs every package the binary's libraries come from.
runtime=$(sed -n '/^RUNTIME=(/,/^)/p' tools/install_deps.sh | awk 'NR > 1 && $1 != ")" {print $1}')
for lib in $(ldd "$HERO" | awk '$3 ~ /^\// {print $3}'); do
  pkg=$(dpkg -S "$(readlink -f "$lib")" 2> "$work/dpkg.err" || dpkg -S "$lib" 2> "$work/dpkg.err" || true)
  pkg=${pkg%%:*}
  [ -n "$pkg" ] || fail "no package owns $lib"
  case "$pkg" in libc6|libgcc-s1) continue ;; esac
  grep -qx "$pkg" <<< "$runtime" || fail "$lib comes from $pkg, missing from install_deps.sh --runtime"
done
echo "PASS"
