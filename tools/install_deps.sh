#!/usr/bin/env bash
# Installs hero's build, test and data dependencies from Debian packages.
# Idempotent: installs only what is missing, and does nothing (no apt-get
# update, no root needed) when everything is already there.
set -euo pipefail

PACKAGES=(
  bazel-bootstrap       # Bazel 4.2.3 (as /usr/bin/bazel-4; see tools/bazel)
  g++
  pkg-config
  libeigen3-dev
  libprotobuf-dev
  protobuf-compiler
  libgrpc++-dev
  protobuf-compiler-grpc
  libabsl-dev
  libgtest-dev
  libgmock-dev
  libbenchmark-dev
  zlib1g-dev
  dataset-fashion-mnist # /usr/share/datasets/fashion-mnist/*-idx?-ubyte.gz
  libopenblas-dev       # optional BLAS backend for Eigen (measured, see docs/PERFORMANCE.md)
  libopenblas0-pthread
  python3-numpy         # tests of exported NumPy/PyTorch code, and the PyTorch peer benchmark
  python3-torch
  clang                 # clang 14: --config=asan and --config=fuzz (.bazelrc)
  libclang-rt-14-dev    # its ASan, UBSan and libFuzzer runtimes
  llvm-14               # llvm-symbolizer-14, for symbolized sanitizer reports
)

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
