#include "src/program/printer.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "absl/strings/str_cat.h"

namespace hero {
namespace {

std::string FormatArg(const Program& program, const Arg& a) {
  if (a.is_var()) return program.names[a.reg];
  if (a.named) return GetOpInfo(a.constant_op).name;
  return FormatConstant(a.value);
}

}  // namespace

std::string FormatConstant(float value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  // Shortest scientific form that round-trips through float32 (Ryu).
  char buf[32];
  const std::to_chars_result r = std::to_chars(buf, buf + sizeof buf, value,
                                               std::chars_format::scientific);
  // buf is "[-]d[.ddd]e[+-]XX": split into sign, digits and exponent.
  const std::string_view s(buf, r.ptr - buf);
  const size_t e = s.find('e');
  int exponent = 0;
  std::from_chars(s.data() + e + (s[e + 1] == '+' ? 2 : 1), s.data() + s.size(),
                  exponent);
  std::string_view mantissa = s.substr(0, e);
  std::string sign;
  if (mantissa[0] == '-') {
    sign = "-";
    mantissa.remove_prefix(1);
  }
  std::string digits;
  for (char c : mantissa) {
    if (c != '.') digits.push_back(c);
  }
  if (exponent < -4 || exponent >= 16) {
    // Python repr style: 1e-08, 2.5e+20.
    std::string out = sign + digits.substr(0, 1);
    if (digits.size() > 1) out += "." + digits.substr(1);
    char exp_buf[16];
    std::snprintf(exp_buf, sizeof exp_buf, "e%c%02d", exponent < 0 ? '-' : '+',
                  std::abs(exponent));
    return out + exp_buf;
  }
  std::string int_part, frac_part;
  if (exponent >= 0) {
    if (static_cast<int>(digits.size()) <= exponent + 1) {
      int_part = digits + std::string(exponent + 1 - digits.size(), '0');
    } else {
      int_part = digits.substr(0, exponent + 1);
      frac_part = digits.substr(exponent + 1);
    }
  } else {
    int_part = "0";
    frac_part = std::string(-exponent - 1, '0') + digits;
  }
  if (frac_part.empty()) frac_part = "0";
  return sign + int_part + "." + frac_part;
}

std::string PrintStatement(const Program& program, const Statement& s) {
  const OpInfo& info = GetOpInfo(s.op);
  std::string out = absl::StrCat(program.names[s.out], " = ");
  if (info.infix != nullptr) {
    absl::StrAppend(&out, FormatArg(program, s.args[0]), " ", info.infix, " ",
                    FormatArg(program, s.args[1]));
    return out;
  }
  absl::StrAppend(&out, info.name, "(");
  for (int i = 0; i < info.arity; ++i) {
    if (i > 0) out += ", ";
    out += FormatArg(program, s.args[i]);
  }
  out += ")";
  return out;
}

std::string PrintProgram(const Program& program) {
  std::string out = "def train(w, g, m, v, lr, λ):\n";
  for (const Statement& s : program.statements) {
    absl::StrAppend(&out, "  ", PrintStatement(program, s), "\n");
  }
  out += "  return update, m, v\n";
  return out;
}

}  // namespace hero
