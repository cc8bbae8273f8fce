// ParseProgram: reads an optimizer program written in the paper's syntax.
//
//   def train(w, g, m, v, lr, λ):
//     m = interpolate(g, m, 0.9)
//     update = sign(m)
//     update = update * lr
//     return update, m, v
//
// Accepts `def train(w, g, m, v):` (lr and λ then implicitly available) and
// `def train(w, g, m, v, lr, λ):`, with `lam` as the ASCII spelling of λ.
// Each body line is `name = fn(arg, ...)` or `name = a OP b` (OP one of
// + - * /); an argument is a variable, a numeric literal (optionally negative)
// or a named constant (pi, e, eps). `#` starts a comment. The last statement is
// `return update, m, v`.
//
// This checks syntax, function names and arity only: whether names are
// defined before use and types agree is for Analyze() (analysis.h), which
// reports with the positions recorded here.
//
// Errors are InvalidArgument with a message `file:line:col: what was expected`.
// Input past a limit of limits.h (text size, line length, name length,
// statements, distinct names, literal range) is such an error too, naming
// the limit. A leading UTF-8 byte-order mark is skipped.
#ifndef HERO_PROGRAM_PARSER_H_
#define HERO_PROGRAM_PARSER_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "src/program/program.h"

namespace hero {

// `file` is used only in error messages.
absl::StatusOr<Program> ParseProgram(absl::string_view text,
                                     absl::string_view file);

}  // namespace hero

#endif  // HERO_PROGRAM_PARSER_H_
