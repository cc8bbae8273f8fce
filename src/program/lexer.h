// The paper-syntax lexer: one source line into tokens. An implementation
// detail of the parser (private to its Bazel target), not part of the
// program layer's contract.
//
// Thread-safety: pure functions.
#ifndef HERO_PROGRAM_LEXER_H_
#define HERO_PROGRAM_LEXER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace hero {

enum class Tok { kName, kNumber, kPunct, kEnd };

struct Token {
  Tok kind = Tok::kEnd;
  std::string text;
  int column = 0;  // 1-based, in characters (code points).
};

// "`text`", or "end of line" for the end token: how messages name a token.
std::string DescribeToken(const Token& t);

// The tokens of `line` (its comment already stripped), ending with one
// Tok::kEnd token whose column is just past the line. Names are ASCII
// identifiers or `λ`; a number is a run of digits, letters, `.`, `_` and
// exponent signs starting with a digit or `.digit` (the parser checks it);
// `**` is one token. An error is InvalidArgument "FILE:LINE:COLUMN:
// message" (columns in characters).
absl::StatusOr<std::vector<Token>> TokenizeLine(absl::string_view line,
                                                absl::string_view file,
                                                int line_number);

}  // namespace hero

#endif  // HERO_PROGRAM_LEXER_H_
