#include "src/program/parser.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "src/program/lexer.h"
#include "src/program/limits.h"
#include "src/program/name_index.h"

namespace hero {
namespace {

class Parser {
 public:
  Parser(absl::string_view text, absl::string_view file)
      : text_(text), file_(file) {}

  absl::StatusOr<Program> Parse();

 private:
  absl::Status Error(int line, int column, absl::string_view message) const {
    return absl::InvalidArgumentError(
        absl::StrCat(file_, ":", line, ":", column, ": ", message));
  }
  absl::Status ErrorAt(const Token& t, absl::string_view expected) const {
    return Error(
        line_, t.column,
        absl::StrCat("expected ", expected, ", found ", DescribeToken(t)));
  }

  // Splits line `line_` (comment stripped) into tokens_ (TokenizeLine).
  absl::Status Tokenize(absl::string_view line) {
    absl::StatusOr<std::vector<Token>> tokens =
        TokenizeLine(line, file_, line_);
    if (!tokens.ok()) return tokens.status();
    tokens_ = *std::move(tokens);
    pos_ = 0;
    return absl::OkStatus();
  }
  const Token& Peek() const { return tokens_[pos_]; }
  const Token& Next() {
    return tokens_[pos_ < tokens_.size() - 1 ? pos_++ : pos_];
  }
  bool AtPunct(absl::string_view p) const {
    return Peek().kind == Tok::kPunct && Peek().text == p;
  }
  absl::Status Expect(absl::string_view p, absl::string_view what) {
    if (!AtPunct(p)) return ErrorAt(Peek(), what);
    Next();
    return absl::OkStatus();
  }

  // The register named by token `t`, added if new; an error at `t` past the
  // name limit.
  absl::StatusOr<int> Register(const Token& t);

  absl::Status ParseHeader();
  absl::Status ParseStatement(Program& program);
  absl::Status ParseReturn(Program& program);
  absl::StatusOr<Arg> ParseArg(SourcePos& pos);

  absl::string_view text_;
  absl::string_view file_;
  NameIndex* names_ = nullptr;  // Of the program being parsed.
  int line_ = 0;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
};

absl::Status Parser::ParseHeader() {
  Token t = Next();
  if (t.kind != Tok::kName || t.text != "def") {
    return ErrorAt(t, "`def train(w, g, m, v, lr, λ):`");
  }
  t = Next();
  if (t.kind != Tok::kName || t.text != "train") {
    return ErrorAt(t, "the function name `train`");
  }
  if (absl::Status s = Expect("(", "`(`"); !s.ok()) return s;
  const char* const kParams[] = {"w", "g", "m", "v", "lr", "λ"};
  for (int i = 0; i < 6; ++i) {
    if (i == 4 && AtPunct(")")) break;  // def train(w, g, m, v):
    if (i > 0) {
      if (absl::Status s = Expect(",", i == 4 ? "`,` or `)`" : "`,`");
          !s.ok()) {
        return s;
      }
    }
    t = Next();
    const bool ok = t.kind == Tok::kName &&
                    (t.text == kParams[i] || (i == 5 && IsLambdaName(t.text)));
    if (!ok) {
      return ErrorAt(t,
                     absl::StrCat("parameter `", kParams[i],
                                  "` (the parameters are w, g, m, v, lr, λ)"));
    }
  }
  if (absl::Status s = Expect(")", "`)`"); !s.ok()) return s;
  if (absl::Status s = Expect(":", "`:`"); !s.ok()) return s;
  if (Peek().kind != Tok::kEnd) return ErrorAt(Peek(), "end of line");
  return absl::OkStatus();
}

absl::StatusOr<int> Parser::Register(const Token& t) {
  std::optional<int> reg = names_->Add(t.text);
  if (!reg.has_value()) {
    return Error(line_, t.column,
                 absl::StrCat("more than ", kMaxNames,
                              " distinct names (the name limit)"));
  }
  return *reg;
}

absl::StatusOr<Arg> Parser::ParseArg(SourcePos& pos) {
  const Token& t = Peek();
  pos = SourcePos{line_, t.column};
  bool negative = false;
  if (AtPunct("-")) {
    Next();
    if (Peek().kind != Tok::kNumber) {
      return Error(line_, t.column,
                   "unary minus applies only to numbers; write negative(x)");
    }
    negative = true;
  }
  const Token tok = Next();
  if (tok.kind == Tok::kNumber) {
    std::string digits;
    for (char c : tok.text) {
      if (c != '_') digits.push_back(c);
    }
    char* end = nullptr;
    errno = 0;
    const float value = std::strtof(digits.c_str(), &end);
    if (end != digits.c_str() + digits.size()) {
      return Error(line_, tok.column,
                   absl::StrCat("malformed number `", tok.text, "`"));
    }
    if (!std::isfinite(value) || (errno == ERANGE && std::fabs(value) > 1)) {
      return Error(
          line_, tok.column,
          absl::StrCat("number `", tok.text, "` is out of float32 range"));
    }
    return Arg::Literal(negative ? -value : value);
  }
  if (tok.kind == Tok::kName) {
    if (std::optional<OpCode> op = FindOp(tok.text);
        op.has_value() && IsConstantOp(*op)) {
      return Arg::Named(*op);
    }
    if (FindOp(tok.text).has_value()) {
      return Error(
          line_, tok.column,
          absl::StrCat("`", tok.text,
                       "` is a function; call it in its own statement"));
    }
    absl::StatusOr<int> reg = Register(tok);
    if (!reg.ok()) return reg.status();
    return Arg::Var(*reg);
  }
  return ErrorAt(tok, "a variable or a number");
}

absl::Status Parser::ParseStatement(Program& program) {
  Statement s;
  const Token out = Next();
  s.pos[0] = SourcePos{line_, out.column};
  if (std::optional<OpCode> op = FindOp(out.text); op.has_value()) {
    return Error(line_, out.column,
                 absl::StrCat("cannot assign to `", out.text, "`: it is ",
                              IsConstantOp(*op) ? "a constant" : "a function"));
  }
  if (program.statements.size() >= kMaxStatements) {
    return Error(line_, out.column,
                 absl::StrCat("more than ", kMaxStatements,
                              " statements (the statement limit)"));
  }
  absl::StatusOr<int> out_reg = Register(out);
  if (!out_reg.ok()) return out_reg.status();
  s.out = static_cast<int16_t>(*out_reg);
  if (absl::Status st = Expect("=", "`=`"); !st.ok()) return st;

  // Function call: NAME '(' ...
  if (Peek().kind == Tok::kName && tokens_[pos_ + 1].kind == Tok::kPunct &&
      tokens_[pos_ + 1].text == "(") {
    const Token fn = Next();
    std::optional<OpCode> op = FindOp(fn.text);
    if (!op.has_value()) {
      return Error(line_, fn.column,
                   absl::StrCat("unknown function `", fn.text, "`"));
    }
    if (IsConstantOp(*op)) {
      return Error(
          line_, fn.column,
          absl::StrCat("`", fn.text, "` is a constant; use it as an argument"));
    }
    s.op = *op;
    Next();  // '('
    const int arity = GetOpInfo(*op).arity;
    int n = 0;
    while (!AtPunct(")")) {
      if (n > 0) {
        if (absl::Status st = Expect(",", "`,` or `)`"); !st.ok()) return st;
      }
      SourcePos pos;
      absl::StatusOr<Arg> arg = ParseArg(pos);
      if (!arg.ok()) return arg.status();
      if (n >= arity) {
        return Error(pos.line, pos.column,
                     absl::StrCat("`", fn.text, "` takes ", arity,
                                  arity == 1 ? " argument" : " arguments",
                                  ", got more"));
      }
      s.args[n] = *arg;
      s.pos[1 + n] = pos;
      ++n;
    }
    const Token close = Next();
    if (n != arity) {
      return Error(
          line_, close.column,
          absl::StrCat("`", fn.text, "` takes ", arity,
                       arity == 1 ? " argument" : " arguments", ", got ", n));
    }
  } else {
    // Infix: a OP b.
    SourcePos pos_a, pos_b;
    absl::StatusOr<Arg> a = ParseArg(pos_a);
    if (!a.ok()) return a.status();
    const Token op_tok = Next();
    if (op_tok.kind == Tok::kPunct && op_tok.text == "**") {
      return Error(line_, op_tok.column, "write power(a, b) instead of `**`");
    }
    std::optional<OpCode> op =
        op_tok.kind == Tok::kPunct ? FindOp(op_tok.text) : std::nullopt;
    if (!op.has_value() || GetOpInfo(*op).infix == nullptr) {
      return ErrorAt(op_tok, "an operator (`+`, `-`, `*`, `/`) or a call");
    }
    absl::StatusOr<Arg> b = ParseArg(pos_b);
    if (!b.ok()) return b.status();
    s.op = *op;
    s.args[0] = *a;
    s.args[1] = *b;
    s.pos[1] = pos_a;
    s.pos[2] = pos_b;
  }
  if (Peek().kind != Tok::kEnd) {
    return ErrorAt(Peek(), "end of statement (one operation per line)");
  }
  program.statements.push_back(s);
  return absl::OkStatus();
}

absl::Status Parser::ParseReturn(Program& program) {
  const Token ret = Next();
  program.return_pos = SourcePos{line_, ret.column};
  const char* const kReturned[] = {"update", "m", "v"};
  for (int i = 0; i < 3; ++i) {
    if (i > 0) {
      if (!AtPunct(",")) {
        return ErrorAt(Peek(), "`return update, m, v`");
      }
      Next();
    }
    const Token t = Next();
    if (t.kind != Tok::kName || t.text != kReturned[i]) {
      return ErrorAt(
          t, absl::StrCat("`", kReturned[i],
                          "` (programs end with `return update, m, v`)"));
    }
  }
  if (Peek().kind != Tok::kEnd) return ErrorAt(Peek(), "end of line");
  // `update` may be new only in an invalid program (Analyze says so).
  Token update;
  update.text = "update";
  update.column = ret.column;
  absl::StatusOr<int> reg = Register(update);
  return reg.status();
}

absl::StatusOr<Program> Parser::Parse() {
  if (static_cast<int64_t>(text_.size()) > kMaxProgramBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat(file_, ": larger than the program size limit of ",
                     kMaxProgramBytes, " bytes"));
  }
  // A UTF-8 byte-order mark (some editors write one) is valid Python.
  absl::ConsumePrefix(&text_, "\xEF\xBB\xBF");
  Program program;
  NameIndex names(&program);
  names_ = &names;
  enum { kHeader, kBody, kDone } state = kHeader;
  int body_indent = -1;
  int header_indent = 0;
  for (absl::string_view raw : absl::StrSplit(text_, '\n')) {
    ++line_;
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    if (raw.size() > kMaxLineBytes) {
      return Error(line_, 1,
                   absl::StrCat("line longer than ", kMaxLineBytes,
                                " bytes (the line length limit)"));
    }
    absl::string_view line = raw.substr(0, raw.find('#'));
    if (absl::Status s = Tokenize(line); !s.ok()) return s;
    if (Peek().kind == Tok::kEnd) continue;  // Blank or comment-only.
    const int indent = Peek().column - 1;
    switch (state) {
      case kHeader:
        header_indent = indent;
        if (absl::Status s = ParseHeader(); !s.ok()) return s;
        state = kBody;
        break;
      case kBody:
        if (indent <= header_indent) {
          return Error(line_, Peek().column,
                       "expected an indented statement or "
                       "`return update, m, v`");
        }
        if (body_indent < 0) body_indent = indent;
        if (indent != body_indent) {
          return Error(line_, Peek().column,
                       absl::StrCat("inconsistent indentation (the body is "
                                    "indented by ",
                                    body_indent, ")"));
        }
        if (Peek().kind == Tok::kName && Peek().text == "return") {
          if (absl::Status s = ParseReturn(program); !s.ok()) return s;
          state = kDone;
        } else if (Peek().kind == Tok::kName) {
          if (absl::Status s = ParseStatement(program); !s.ok()) return s;
        } else {
          return ErrorAt(Peek(), "a statement `name = ...`");
        }
        break;
      case kDone:
        return Error(line_, Peek().column,
                     "unexpected text after `return update, m, v`");
    }
  }
  if (state != kDone) {
    const int column = 1;
    return Error(
        line_, column,
        state == kHeader
            ? "expected `def train(w, g, m, v, lr, λ):`, found end of file"
            : "expected `return update, m, v`, found end of file");
  }
  return program;
}

}  // namespace

absl::StatusOr<Program> ParseProgram(absl::string_view text,
                                     absl::string_view file) {
  return Parser(text, file).Parse();
}

}  // namespace hero
