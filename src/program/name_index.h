// NameIndex: registers by name while a program is being built from input,
// in constant time per lookup and within the name limit (limits.h).
//
// The readers (the paper-syntax parser and the proto form) see every name of
// a program once per use; Program::FindVariable scans all names, which is
// quadratic for a program with many names. NameIndex keeps a hash map beside
// the program's `names` and refuses the name that would pass kMaxNames.
//
//   Program program;
//   NameIndex index(&program);
//   std::optional<int> reg = index.Add("m2");
//   if (!reg.has_value()) { /* report the name limit */ }
//
// Invariants: every name of `program` is in the index, "lam" and "λ" both
// map to kLam, and program->num_registers() <= kMaxNames.
// Ownership: `program` is not owned and must outlive the index; add names
// only through the index while it lives. Not thread-safe.
#ifndef HERO_PROGRAM_NAME_INDEX_H_
#define HERO_PROGRAM_NAME_INDEX_H_

#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "src/program/program.h"

namespace hero {

class NameIndex {
 public:
  // Indexes the names `program` already has. REQUIRES: at most kMaxNames.
  explicit NameIndex(Program* program);

  NameIndex(const NameIndex&) = delete;
  NameIndex& operator=(const NameIndex&) = delete;

  // The register named `name`, added to the program if new; nullopt iff the
  // name is new and the program already has kMaxNames names.
  std::optional<int> Add(absl::string_view name);

 private:
  Program* program_;
  absl::flat_hash_map<std::string, int> index_;
};

}  // namespace hero

#endif  // HERO_PROGRAM_NAME_INDEX_H_
