// Small text helpers shared by the code generators: float literals that
// read back as the exact float32, comment blocks, names.
//
//   PythonFloat(0.9f)  // "0.9": float32(0.9) is 0.9f
//   CppFloat(0.9f)     // "0.9f"
//   Commented("def train(...):\n  ...\n", "# ")
//
// Thread-safety: pure functions.
#ifndef HERO_EXPORT_EXPORT_FORMAT_H_
#define HERO_EXPORT_EXPORT_FORMAT_H_

#include <string>

#include "absl/strings/string_view.h"
#include "src/program/ops.h"

namespace hero {

// A Python float literal whose value, rounded to float32, is `value`: the
// shortest decimal when that survives Python's double parsing and the
// rounding to float32, else the value's exact 17-digit form;
// float("inf") / float("nan") for non-finite values.
std::string PythonFloat(float value);

// A C++ float literal with the value (`0.9f`, `1e-08f`), or a
// std::numeric_limits expression for non-finite values.
std::string CppFloat(float value);

// Every line of `text` prefixed with `prefix` (trailing spaces trimmed).
std::string Commented(absl::string_view text, absl::string_view prefix);

// The C++ helper name of an op: "interpolate" → "Interpolate",
// "log1p" → "Log1p".
std::string CppHelperName(OpCode op);

// "HeroLion" for "hero_lion.py" or "configs/programs/hero_lion.py".
std::string ClassNameFromPath(absl::string_view path);

// True iff `name` is an ASCII identifier (letters, digits, `_`, not starting
// with a digit).
bool IsIdentifier(absl::string_view name);

}  // namespace hero

#endif  // HERO_EXPORT_EXPORT_FORMAT_H_
