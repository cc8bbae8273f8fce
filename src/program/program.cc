#include "src/program/program.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "src/program/limits.h"

namespace hero {
namespace {

constexpr absl::string_view kInputNames[kNumInputs] = {"w", "g",  "m",
                                                       "v", "lr", "λ"};

bool SameBits(float a, float b) { return std::memcmp(&a, &b, sizeof a) == 0; }

}  // namespace

Arg Arg::Named(OpCode constant) {
  Arg a;
  a.named = true;
  a.constant_op = constant;
  a.value = static_cast<float>(GetOpInfo(constant).constant);
  return a;
}

bool Arg::operator==(const Arg& o) const {
  if (reg != o.reg) return false;
  if (is_var()) return true;
  if (named != o.named) return false;
  if (named) return constant_op == o.constant_op;
  return SameBits(value, o.value);
}

Statement Statement::Make(OpCode op, int out, std::initializer_list<Arg> args) {
  Statement s;
  s.op = op;
  s.out = static_cast<int16_t>(out);
  int i = 0;
  for (const Arg& a : args) s.args[i++] = a;
  return s;
}

bool Statement::SameAs(const Statement& o) const {
  if (op != o.op || out != o.out) return false;
  for (int i = 0; i < arity(); ++i) {
    if (args[i] != o.args[i]) return false;
  }
  return true;
}

Program::Program() : names(std::begin(kInputNames), std::end(kInputNames)) {}

int Program::FindVariable(absl::string_view name) const {
  if (IsLambdaName(name)) return kLam;
  for (int r = 0; r < num_registers(); ++r) {
    if (names[r] == name) return r;
  }
  return -1;
}

int Program::AddVariable(absl::string_view name) {
  int r = FindVariable(name);
  if (r >= 0) return r;
  if (num_registers() >= kMaxNames) {
    // A bug in the caller: readers refuse input past the name limit, and
    // code that builds programs stays below it. Past it, register indices
    // (int16_t) would wrap.
    std::fprintf(stderr, "Program::AddVariable: more than %d names\n",
                 kMaxNames);
    std::abort();
  }
  names.emplace_back(name);
  return num_registers() - 1;
}

bool Program::operator==(const Program& o) const {
  if (names != o.names || statements.size() != o.statements.size()) {
    return false;
  }
  for (size_t i = 0; i < statements.size(); ++i) {
    if (!statements[i].SameAs(o.statements[i])) return false;
  }
  return true;
}

absl::string_view InputName(int reg) { return kInputNames[reg]; }

bool IsLambdaName(absl::string_view name) {
  return name == "λ" || name == "lam";
}

}  // namespace hero
