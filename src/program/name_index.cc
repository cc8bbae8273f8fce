#include "src/program/name_index.h"

#include <cstdio>
#include <cstdlib>

#include "src/program/limits.h"

namespace hero {

NameIndex::NameIndex(Program* program) : program_(program) {
  if (program->num_registers() > kMaxNames) {
    std::fprintf(stderr, "NameIndex: program has %d names, limit %d\n",
                 program->num_registers(), kMaxNames);
    std::abort();
  }
  for (int r = 0; r < program->num_registers(); ++r) {
    index_.emplace(program->names[r], r);
  }
  index_.emplace("lam", kLam);
}

std::optional<int> NameIndex::Add(absl::string_view name) {
  if (auto it = index_.find(name); it != index_.end()) return it->second;
  if (program_->num_registers() >= kMaxNames) return std::nullopt;
  const int reg = program_->num_registers();
  program_->names.emplace_back(name);
  index_.emplace(std::string(name), reg);
  return reg;
}

}  // namespace hero
