#!/usr/bin/env bash
# Installs hero's dependencies from Debian packages. Idempotent: installs
# only what is missing, and does nothing (no apt-get update, no root
# needed) when everything is already there.
#
#   tools/install_deps.sh            # everything: build, tests, data, peers
#   tools/install_deps.sh --build    # only what `bazel build //src/cli:hero` needs
#   tools/install_deps.sh --runtime  # only what the hero binary needs to run
#                                    # (the container image's second stage)
set -euo pipefail

BUILD=(
  bazel-bootstrap       # Bazel 4.2.3 (as /usr/bin/bazel-4; see tools/bazel)
  g++
  pkg-config
  libeigen3-dev
  libprotobuf-dev
  protobuf-compiler
  libgrpc++-dev
  protobuf-compiler-grpc
  libabsl-dev
  libssl-dev            # TLS certificate checks (distributed/security.cc)
  zlib1g-dev
)
# What `ldd hero` resolves to (tests/deploy checks this list against it).
RUNTIME=(
  libabsl20220623
  libatomic1
  libc-ares2
  libgrpc++1.51
  libgrpc29
  libprotobuf32
  libre2-9
  libssl3
  libstdc++6
  zlib1g
  dataset-fashion-mnist # /usr/share/datasets/fashion-mnist/*-idx?-ubyte.gz
)
TESTS=(
  libgtest-dev
  libgmock-dev
  libbenchmark-dev
  libopenblas-dev       # optional BLAS backend for Eigen (measured, see docs/PERFORMANCE.md)
  libopenblas0-pthread
  python3-numpy         # tests of exported NumPy/PyTorch code, and the PyTorch peer benchmark
  python3-torch
  python3-yaml          # deploy/check_manifests.py
  openssl               # deploy/make-certs.sh
  clang                 # clang 14: --config=asan and --config=fuzz (.bazelrc)
  libclang-rt-14-dev    # its ASan, UBSan and libFuzzer runtimes
  llvm-14               # llvm-symbolizer-14, for symbolized sanitizer reports
  clang-format          # tools/check_format.sh (run by tools/test.sh)
)

case "${1:-}" in
  --build) PACKAGES=("${BUILD[@]}") ;;
  --runtime) PACKAGES=("${RUNTIME[@]}") ;;
  "") PACKAGES=("${BUILD[@]}" "${RUNTIME[@]}" "${TESTS[@]}")
      # kubectl renders the Kubernetes manifests in the tests; Debian's is
      # kubernetes-client. Keep any kubectl that is already installed.
      if ! command -v kubectl >/dev/null; then PACKAGES+=(kubernetes-client); fi ;;
  *) echo "usage: $0 [--build|--runtime]" >&2; exit 2 ;;
esac

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "hero: installing missing packages: ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
