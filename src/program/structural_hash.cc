#include "src/program/structural_hash.h"

#include <cstdio>
#include <cstring>
#include <utility>
#include <vector>

#include "src/util/mix64.h"

namespace hero {
namespace {

uint64_t Combine(uint64_t seed, uint64_t v) { return HashCombine(seed, v); }

uint64_t ConstantHash(float value) {
  if (value == 0.0f) value = 0.0f;  // -0 and +0 are the same constant.
  uint32_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  return Combine(0xc0575a47ULL, bits);
}

}  // namespace

uint64_t StructuralHash(const Program& program, const Analysis& analysis) {
  // value[r] = hash of the expression currently held by register r.
  std::vector<uint64_t> value(program.num_registers(), 0);
  for (int r = 0; r < kNumInputs; ++r) value[r] = Combine(0x1a907, r);
  for (size_t i = 0; i < program.statements.size(); ++i) {
    if (!analysis.live[i]) continue;
    const Statement& s = program.statements[i];
    const OpInfo& info = GetOpInfo(s.op);
    uint64_t args[kMaxArity] = {};
    for (int a = 0; a < info.arity; ++a) {
      const Arg& arg = s.args[a];
      args[a] = arg.is_var() ? value[arg.reg] : ConstantHash(arg.value);
    }
    if (info.commutative) {
      // Insertion sort of at most kMaxArity values.
      for (int a = 1; a < info.arity; ++a) {
        for (int b = a; b > 0 && args[b] < args[b - 1]; --b) {
          std::swap(args[b], args[b - 1]);
        }
      }
    }
    uint64_t h = Combine(0x0b5eed, static_cast<uint64_t>(s.op));
    for (int a = 0; a < info.arity; ++a) h = Combine(h, args[a]);
    value[s.out] = h;
  }
  uint64_t h = Combine(0x7e70, value[analysis.update_register]);
  for (int k = 0; k < 2; ++k) {
    h = Combine(h, analysis.state_is_live[k] ? value[kStateSlots[k]] : 0xdead);
  }
  return h;
}

std::string HashToHex(uint64_t hash) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx",
                static_cast<unsigned long long>(hash));
  return buf;
}

}  // namespace hero
