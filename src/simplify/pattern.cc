#include "src/simplify/pattern.h"

#include <cstdlib>
#include <optional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace hero {
namespace {

// Recursive descent over `text`: expr = term (('+'|'-') term)*,
// term = atom (('*'|'/') atom)*, atom = number | '-' number | letter |
// name '(' expr (',' expr)* ')' | '(' expr ')'.
class PatternParser {
 public:
  explicit PatternParser(absl::string_view text) : text_(text) {}

  absl::StatusOr<Pattern> Parse() {
    absl::StatusOr<Pattern> p = Expr();
    if (!p.ok()) return p;
    SkipSpace();
    if (pos_ != text_.size()) return Error("expected the end");
    return p;
  }

 private:
  absl::Status Error(absl::string_view what) const { return Error(pos_, what); }
  absl::Status Error(size_t pos, absl::string_view what) const {
    return absl::InvalidArgumentError(
        absl::StrCat("pattern `", text_, "`, column ", pos + 1, ": ", what));
  }
  void SkipSpace() {
    while (pos_ < text_.size() && text_[pos_] == ' ') ++pos_;
  }
  bool Eat(char c) {
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  static Pattern Binary(char op, Pattern a, Pattern b) {
    Pattern p;
    p.kind = Pattern::Kind::kOp;
    p.op = *FindOp(std::string(1, op));
    p.args.push_back(std::move(a));
    p.args.push_back(std::move(b));
    return p;
  }

  absl::StatusOr<Pattern> Expr() {
    absl::StatusOr<Pattern> left = Term();
    while (left.ok()) {
      const char op = Eat('+') ? '+' : Eat('-') ? '-' : 0;
      if (op == 0) break;
      absl::StatusOr<Pattern> right = Term();
      if (!right.ok()) return right;
      left = Binary(op, *std::move(left), *std::move(right));
    }
    return left;
  }

  absl::StatusOr<Pattern> Term() {
    absl::StatusOr<Pattern> left = Atom();
    while (left.ok()) {
      const char op = Eat('*') ? '*' : Eat('/') ? '/' : 0;
      if (op == 0) break;
      absl::StatusOr<Pattern> right = Atom();
      if (!right.ok()) return right;
      left = Binary(op, *std::move(left), *std::move(right));
    }
    return left;
  }

  absl::StatusOr<Pattern> Atom() {
    SkipSpace();
    if (Eat('(')) {
      absl::StatusOr<Pattern> inner = Expr();
      if (inner.ok() && !Eat(')')) return Error("expected `)`");
      return inner;
    }
    if (pos_ >= text_.size()) return Error("expected an operand");
    const char c = text_[pos_];
    if (absl::ascii_isdigit(c) || c == '-' || c == '.') {
      const std::string rest(text_.substr(pos_));
      char* end = nullptr;
      Pattern p;
      p.number = std::strtof(rest.c_str(), &end);
      if (end == rest.c_str()) return Error("expected a number");
      pos_ += end - rest.c_str();
      return p;
    }
    const size_t start = pos_;
    while (pos_ < text_.size() &&
           (absl::ascii_isalnum(text_[pos_]) || text_[pos_] == '_')) {
      ++pos_;
    }
    const absl::string_view name = text_.substr(start, pos_ - start);
    if (name.empty()) return Error("expected an operand");
    if (!Eat('(')) {
      if (name.size() != 1 || name[0] < 'x' || name[0] > 'z') {
        return Error(start,
                     absl::StrCat("`", name, "` is not a variable (x, y, z)"));
      }
      Pattern p;
      p.kind = Pattern::Kind::kVariable;
      p.variable = name[0] - 'x';
      return p;
    }
    std::optional<OpCode> op = FindOp(name);
    if (!op.has_value() || IsConstantOp(*op)) {
      return Error(start, absl::StrCat("unknown function `", name, "`"));
    }
    Pattern p;
    p.kind = Pattern::Kind::kOp;
    p.op = *op;
    do {
      absl::StatusOr<Pattern> arg = Expr();
      if (!arg.ok()) return arg;
      p.args.push_back(*std::move(arg));
    } while (Eat(','));
    if (!Eat(')')) return Error("expected `)`");
    if (static_cast<int>(p.args.size()) != GetOpInfo(*op).arity) {
      return Error(start, absl::StrCat("`", name, "` takes ",
                                       GetOpInfo(*op).arity, " arguments"));
    }
    return p;
  }

  absl::string_view text_;
  size_t pos_ = 0;
};

bool MatchArgs(const Dataflow& df, const Pattern& pattern, const Node& n,
               bool swapped, Bindings& bindings) {
  for (size_t i = 0; i < pattern.args.size(); ++i) {
    const int arg = n.args[swapped ? 1 - i : i];
    if (!MatchPattern(df, pattern.args[i], arg, bindings)) return false;
  }
  return true;
}

ValueType ResultTypeOf(const Dataflow& df, const Node& n) {
  switch (GetOpInfo(n.op).result) {
    case ResultType::kTensor:
      return ValueType::kTensor;
    case ResultType::kScalar:
      return ValueType::kScalar;
    case ResultType::kBroadcast:
      break;
  }
  for (int i = 0; i < n.arity(); ++i) {
    if (df.nodes[n.args[i]].type == ValueType::kTensor)
      return ValueType::kTensor;
  }
  return ValueType::kScalar;
}

}  // namespace

int Pattern::VariableMask() const {
  if (kind == Kind::kVariable) return 1 << variable;
  int mask = 0;
  for (const Pattern& a : args) mask |= a.VariableMask();
  return mask;
}

absl::StatusOr<Pattern> ParsePattern(absl::string_view text) {
  return PatternParser(text).Parse();
}

bool MatchPattern(const Dataflow& df, const Pattern& pattern, int node,
                  Bindings& bindings) {
  const Node& n = df.nodes[node];
  switch (pattern.kind) {
    case Pattern::Kind::kVariable: {
      int& bound = bindings[pattern.variable];
      if (bound >= 0) return bound == node;
      bound = node;
      return true;
    }
    case Pattern::Kind::kNumber:
      return n.is_constant() && n.constant.value == pattern.number;
    case Pattern::Kind::kOp:
      break;
  }
  if (!n.is_op() || n.op != pattern.op) return false;
  const Bindings saved = bindings;
  if (MatchArgs(df, pattern, n, /*swapped=*/false, bindings)) return true;
  bindings = saved;
  if (GetOpInfo(n.op).commutative && pattern.args.size() == 2 &&
      MatchArgs(df, pattern, n, /*swapped=*/true, bindings)) {
    return true;
  }
  bindings = saved;
  return false;
}

BuiltResult BuildResult(Dataflow& df, const Pattern& result,
                        const Bindings& bindings, int root) {
  BuiltResult out;
  switch (result.kind) {
    case Pattern::Kind::kVariable:
      out.copy_of = bindings[result.variable];
      return out;
    case Pattern::Kind::kNumber:
      out.copy_of = df.AddConstant(result.number);
      return out;
    case Pattern::Kind::kOp:
      break;
  }
  Node n;
  n.kind = Node::Kind::kOp;
  n.op = result.op;
  n.name = df.nodes[root].name;
  for (size_t i = 0; i < result.args.size(); ++i) {
    const Pattern& a = result.args[i];
    n.args[i] = a.kind == Pattern::Kind::kVariable ? bindings[a.variable]
                                                   : df.AddConstant(a.number);
  }
  n.type = ResultTypeOf(df, n);
  out.node = std::move(n);
  return out;
}

}  // namespace hero
