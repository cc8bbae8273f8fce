// Helpers shared by the interpreter tests: programs from text, buffers, and
// distances in units in the last place.
#ifndef HERO_TESTS_INTERPRETER_TEST_UTIL_H_
#define HERO_TESTS_INTERPRETER_TEST_UTIL_H_

#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <limits>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "gtest/gtest.h"
#include "src/interpreter/interpreter.h"
#include "src/interpreter/parameter_layout.h"
#include "src/program/parser.h"
#include "src/program/program.h"

namespace hero {
namespace testing_util {

// A program from the body of `def train(w, g, m, v, lr, λ):` (two-space
// indented lines, without the return).
inline Program Body(const std::string& body) {
  absl::StatusOr<Program> p = ParseProgram(
      "def train(w, g, m, v, lr, λ):\n" + body + "  return update, m, v\n",
      "test.py");
  EXPECT_TRUE(p.ok()) << p.status();
  return p.ok() ? *std::move(p) : Program();
}

// A shipped program (configs/programs/NAME.py, from the runfiles).
inline Program Shipped(const std::string& name) {
  const std::string path = "configs/programs/" + name + ".py";
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  absl::StatusOr<Program> p = ParseProgram(text.str(), path);
  EXPECT_TRUE(p.ok()) << path << ": " << p.status();
  return p.ok() ? *std::move(p) : Program();
}

inline std::unique_ptr<Interpreter> Make(const Program& program,
                                         const ParameterLayout& layout,
                                         int block_size = 512) {
  Interpreter::Options options;
  options.block_size = block_size;
  absl::StatusOr<std::unique_ptr<Interpreter>> interp =
      Interpreter::Create(program, layout, options);
  EXPECT_TRUE(interp.ok()) << interp.status();
  return interp.ok() ? *std::move(interp) : nullptr;
}

// The buffers of one step, owned.
struct Buffers {
  explicit Buffers(int64_t n) : w(n), g(n), m(n), v(n), update(n) {}

  // Random w, g, m and v (v >= 0), from a fixed seed.
  static Buffers Random(int64_t n, uint32_t seed) {
    Buffers b(n);
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal;
    for (int64_t i = 0; i < n; ++i) {
      b.w[i] = normal(rng);
      b.g[i] = normal(rng);
      b.m[i] = 0.1f * normal(rng);
      b.v[i] = 0.01f * std::fabs(normal(rng));
    }
    return b;
  }

  StepBuffers step(bool with_update = true) {
    return StepBuffers{w.data(), g.data(), m.data(), v.data(),
                       with_update ? update.data() : nullptr};
  }

  std::vector<float> w, g, m, v, update;
};

inline bool SameBits(float a, float b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}

inline bool SameBits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() &&
         std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

// How far `got` is from `want` in units of the spacing of floats at `want`
// (subnormal spacing near zero). 0 if both are NaN or the same infinity;
// infinite if only one is NaN or infinite.
inline double Ulps(float got, double want) {
  if (std::isnan(want) || std::isnan(got)) {
    return std::isnan(want) && std::isnan(got)
               ? 0.0
               : std::numeric_limits<double>::infinity();
  }
  const float w = static_cast<float>(want);
  if (std::isinf(w) || std::isinf(got)) {
    return w == got ? 0.0 : std::numeric_limits<double>::infinity();
  }
  const float a = std::fabs(w);
  const double spacing =
      std::max<double>(std::nextafter(a, std::numeric_limits<float>::max()) - a,
                       std::numeric_limits<float>::denorm_min());
  return std::fabs(static_cast<double>(got) - want) / spacing;
}

}  // namespace testing_util
}  // namespace hero

#endif  // HERO_TESTS_INTERPRETER_TEST_UTIL_H_
