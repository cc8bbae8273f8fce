// Helpers shared by the optimizer tests: a model-like set of parameter
// tensors in parameter groups, gradients with special values, the
// interpreter as the reference, and bitwise comparison.
#ifndef HERO_TESTS_OPTIM_OPTIM_TEST_UTIL_H_
#define HERO_TESTS_OPTIM_OPTIM_TEST_UTIL_H_

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

#include "absl/strings/str_cat.h"
#include "absl/types/span.h"
#include "gtest/gtest.h"
#include "src/interpreter/interpreter.h"
#include "src/optim/optimizer.h"
#include "src/program/parser.h"
#include "src/program/program.h"

namespace hero {
namespace optim {
namespace testing_util {

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

// Parameter tensors of the given sizes in groups, their weights in one flat
// buffer and their gradients in another, group after group.
struct TestParams {
  struct GroupSpec {
    std::vector<int64_t> sizes;
    float lr_scale = 1.0f;
    float weight_decay = 0.0f;
  };

  explicit TestParams(std::vector<GroupSpec> specs) : specs(std::move(specs)) {
    int64_t total = 0;
    for (const GroupSpec& s : this->specs) {
      for (int64_t n : s.sizes) total += n;
    }
    w.assign(total, 0.0f);
    g.assign(total, 0.0f);
  }

  // ParamGroups over w and g; tensors are named "t<flat index>".
  std::vector<ParamGroup> Groups() {
    std::vector<ParamGroup> groups;
    int64_t offset = 0;
    int index = 0;
    for (const GroupSpec& s : specs) {
      ParamGroup group;
      group.lr_scale = s.lr_scale;
      group.weight_decay = s.weight_decay;
      for (int64_t n : s.sizes) {
        ParamTensor t;
        t.name = absl::StrCat("t", index++);
        t.weights = absl::MakeSpan(w.data() + offset, n);
        t.grads = absl::MakeConstSpan(g.data() + offset, n);
        group.tensors.push_back(t);
        offset += n;
      }
      groups.push_back(group);
    }
    return groups;
  }

  int64_t group_offset(int k) const {
    int64_t offset = 0;
    for (int i = 0; i < k; ++i) {
      for (int64_t n : specs[i].sizes) offset += n;
    }
    return offset;
  }
  int64_t group_size(int k) const {
    int64_t n = 0;
    for (int64_t s : specs[k].sizes) n += s;
    return n;
  }

  std::vector<GroupSpec> specs;
  std::vector<float> w, g;
};

// Values that exercise the arithmetic's corners: mostly normal, with zeros,
// ±subnormals, ±tiny, ±huge and, if `with_nan`, NaN.
inline float SpecialValue(std::mt19937& rng, float scale, bool with_nan) {
  std::uniform_int_distribution<int> kind(0, 19);
  std::normal_distribution<float> normal;
  std::uniform_real_distribution<float> unit(1.0f, 2.0f);
  const float sign = (rng() & 1) ? 1.0f : -1.0f;
  switch (kind(rng)) {
    case 0:
    case 1:
      return sign * 0.0f;
    case 2:
      return sign * std::numeric_limits<float>::denorm_min() *
             static_cast<float>(1 + rng() % 1000);
    case 3:
      return sign * 1e-38f * unit(rng);
    case 4:
      return sign * 1e30f * unit(rng);
    case 5:
      return with_nan ? std::numeric_limits<float>::quiet_NaN()
                      : normal(rng) * scale;
    default:
      return normal(rng) * scale;
  }
}

inline void FillSpecial(std::mt19937& rng, std::vector<float>& x, float scale,
                        bool with_nan) {
  for (float& v : x) v = SpecialValue(rng, scale, with_nan);
}

inline void FillNormal(std::mt19937& rng, std::vector<float>& x, float scale) {
  std::normal_distribution<float> normal;
  for (float& v : x) v = normal(rng) * scale;
}

// The reference: one interpreter per group, over a copy of the weights,
// with its own m and v, run as hero trace runs a program.
class InterpretedReference {
 public:
  InterpretedReference(const Program& program, const TestParams& params)
      : params_(params), w_(params.w) {
    for (size_t k = 0; k < params.specs.size(); ++k) {
      ParameterLayout layout;
      for (int64_t n : params.specs[k].sizes) layout.Add("t", n);
      absl::StatusOr<std::unique_ptr<Interpreter>> interp =
          Interpreter::Create(program, layout);
      EXPECT_TRUE(interp.ok()) << interp.status();
      interpreters_.push_back(*std::move(interp));
      m_.emplace_back(layout.size(), 0.0f);
      v_.emplace_back(layout.size(), 0.0f);
    }
  }

  // One step with the gradients currently in params.g; returns finiteness.
  bool Step(float lr) {
    bool finite = true;
    for (size_t k = 0; k < interpreters_.size(); ++k) {
      const int64_t off = params_.group_offset(static_cast<int>(k));
      StepBuffers b;
      b.w = w_.data() + off;
      b.g = params_.g.data() + off;
      b.m = m_[k].data();
      b.v = v_[k].data();
      const TestParams::GroupSpec& spec = params_.specs[k];
      finite &= interpreters_[k]
                    ->Step(b, {lr * spec.lr_scale, spec.weight_decay}, true)
                    .finite;
    }
    return finite;
  }

  const std::vector<float>& w() const { return w_; }
  std::vector<float>& m(int group) { return m_[group]; }
  std::vector<float>& v(int group) { return v_[group]; }

 private:
  const TestParams& params_;
  std::vector<float> w_;
  std::vector<std::unique_ptr<Interpreter>> interpreters_;
  std::vector<std::vector<float>> m_, v_;
};

inline uint32_t Bits(float x) {
  uint32_t b;
  std::memcpy(&b, &x, sizeof b);
  return b;
}

// The index of the first element whose bits differ, or -1.
inline int64_t FirstBitDifference(absl::Span<const float> a,
                                  absl::Span<const float> b) {
  if (a.size() != b.size()) return 0;
  for (size_t i = 0; i < a.size(); ++i) {
    if (Bits(a[i]) != Bits(b[i])) return static_cast<int64_t>(i);
  }
  return -1;
}

}  // namespace testing_util
}  // namespace optim
}  // namespace hero

#endif  // HERO_TESTS_OPTIM_OPTIM_TEST_UTIL_H_
