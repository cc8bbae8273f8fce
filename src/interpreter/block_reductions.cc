#include "src/interpreter/block_reductions.h"

#include "src/interpreter/kernels.h"

namespace hero {
namespace {

constexpr int kW = kKernelWidth;

// Each function keeps kW partial sums over the whole chunks (indexed by a
// constant, so they live in vector registers) and one for the remainder,
// then combines them left to right.
template <typename T>
T Combine(const T (&acc)[kW], T tail) {
  T s = 0;
  for (int j = 0; j < kW; ++j) s += acc[j];
  return s + tail;
}

// Finiteness: x * 0 is ±0 for finite x and NaN for NaN and ±Inf, and NaN
// survives the sums.
bool IsZero(float s) { return s == 0.0f; }

}  // namespace

double SumOfSquares(const float* __restrict x, int n) {
  double acc[kW] = {};
  const int whole = n - n % kW;
  for (int i = 0; i < whole; i += kW) {
#pragma GCC unroll 16
    for (int j = 0; j < kW; ++j) {
      const double d = x[i + j];
      acc[j] += d * d;
    }
  }
  double tail = 0.0;
  for (int i = whole; i < n; ++i) {
    const double d = x[i];
    tail += d * d;
  }
  return Combine(acc, tail);
}

double DotProduct(const float* __restrict x, const float* __restrict y, int n) {
  double acc[kW] = {};
  const int whole = n - n % kW;
  for (int i = 0; i < whole; i += kW) {
#pragma GCC unroll 16
    for (int j = 0; j < kW; ++j) {
      acc[j] += static_cast<double>(x[i + j]) * static_cast<double>(y[i + j]);
    }
  }
  double tail = 0.0;
  for (int i = whole; i < n; ++i) {
    tail += static_cast<double>(x[i]) * static_cast<double>(y[i]);
  }
  return Combine(acc, tail);
}

bool AllFinite(const float* __restrict x, int n) {
  float acc[kW] = {};
  const int whole = n - n % kW;
  for (int i = 0; i < whole; i += kW) {
#pragma GCC unroll 16
    for (int j = 0; j < kW; ++j) acc[j] += x[i + j] * 0.0f;
  }
  float tail = 0.0f;
  for (int i = whole; i < n; ++i) tail += x[i] * 0.0f;
  return IsZero(Combine(acc, tail));
}

bool CopyAllFinite(float* __restrict dst, const float* __restrict src, int n) {
  float acc[kW] = {};
  const int whole = n - n % kW;
  for (int i = 0; i < whole; i += kW) {
#pragma GCC unroll 16
    for (int j = 0; j < kW; ++j) {
      dst[i + j] = src[i + j];
      acc[j] += src[i + j] * 0.0f;
    }
  }
  float tail = 0.0f;
  for (int i = whole; i < n; ++i) {
    dst[i] = src[i];
    tail += src[i] * 0.0f;
  }
  return IsZero(Combine(acc, tail));
}

bool SubtractAllFinite(float* __restrict w, const float* __restrict u, int n) {
  float acc[kW] = {};
  const int whole = n - n % kW;
  for (int i = 0; i < whole; i += kW) {
#pragma GCC unroll 16
    for (int j = 0; j < kW; ++j) {
      w[i + j] -= u[i + j];
      acc[j] += u[i + j] * 0.0f;
    }
  }
  float tail = 0.0f;
  for (int i = whole; i < n; ++i) {
    w[i] -= u[i];
    tail += u[i] * 0.0f;
  }
  return IsZero(Combine(acc, tail));
}

}  // namespace hero
