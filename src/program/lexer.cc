#include "src/program/lexer.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "src/program/limits.h"

namespace hero {
namespace {

bool IsNameStart(unsigned char c) { return absl::ascii_isalpha(c) || c == '_'; }
bool IsNameChar(unsigned char c) { return absl::ascii_isalnum(c) || c == '_'; }

}  // namespace

std::string DescribeToken(const Token& t) {
  if (t.kind == Tok::kEnd) return "end of line";
  return absl::StrCat("`", t.text, "`");
}

absl::StatusOr<std::vector<Token>> TokenizeLine(absl::string_view line,
                                                absl::string_view file,
                                                int line_number) {
  auto error = [&](int column, absl::string_view message) {
    return absl::InvalidArgumentError(
        absl::StrCat(file, ":", line_number, ":", column, ": ", message));
  };
  std::vector<Token> tokens;
  int column = 1;
  size_t i = 0;
  while (i < line.size()) {
    const unsigned char c = line[i];
    if (c == ' ' || c == '\t') {
      ++i;
      ++column;
      continue;
    }
    Token t;
    t.column = column;
    const size_t start = i;
    if (line.substr(i, 2) == "λ") {
      t.kind = Tok::kName;
      i += 2;
      column += 1;
    } else if (IsNameStart(c)) {
      t.kind = Tok::kName;
      while (i < line.size() && IsNameChar(line[i])) ++i;
      if (i - start > kMaxNameBytes) {
        return error(column, absl::StrCat("name longer than ", kMaxNameBytes,
                                          " bytes (the name length limit)"));
      }
      column += static_cast<int>(i - start);
    } else if (absl::ascii_isdigit(c) || (c == '.' && i + 1 < line.size() &&
                                          absl::ascii_isdigit(line[i + 1]))) {
      t.kind = Tok::kNumber;
      while (i < line.size() &&
             (absl::ascii_isalnum(line[i]) || line[i] == '.' ||
              line[i] == '_' ||
              ((line[i] == '+' || line[i] == '-') &&
               (line[i - 1] == 'e' || line[i - 1] == 'E')))) {
        ++i;
      }
      column += static_cast<int>(i - start);
    } else if (absl::string_view("()=,:+-*/").find(c) !=
               absl::string_view::npos) {
      t.kind = Tok::kPunct;
      ++i;
      // `**` is a single token so the error can say what to write instead.
      if (c == '*' && i < line.size() && line[i] == '*') ++i;
      column += static_cast<int>(i - start);
    } else {
      // Count the bytes of one UTF-8 character for a readable message.
      size_t n = 1;
      while (start + n < line.size() &&
             (static_cast<unsigned char>(line[start + n]) & 0xC0) == 0x80) {
        ++n;
      }
      return error(column, absl::StrCat("unexpected character `",
                                        line.substr(start, n), "`"));
    }
    t.text = std::string(line.substr(start, i - start));
    tokens.push_back(std::move(t));
  }
  Token end;
  end.column = column;
  tokens.push_back(end);
  return tokens;
}

}  // namespace hero
