#include "src/export/export_format.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "src/program/printer.h"

namespace hero {

std::string PythonFloat(float value) {
  if (std::isnan(value)) return "float(\"nan\")";
  if (std::isinf(value))
    return value > 0 ? "float(\"inf\")" : "-float(\"inf\")";
  const std::string shortest = FormatConstant(value);
  // Python parses the literal as a double; the code rounds it to float32.
  const float back = static_cast<float>(std::strtod(shortest.c_str(), nullptr));
  if (std::memcmp(&back, &value, sizeof value) == 0) return shortest;
  // The float's exact value as a double: parsing gives exactly that double.
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", static_cast<double>(value));
  std::string exact = buf;
  if (exact.find_first_of(".e") == std::string::npos) exact += ".0";
  return exact;
}

std::string CppFloat(float value) {
  if (std::isnan(value)) return "std::numeric_limits<float>::quiet_NaN()";
  if (std::isinf(value)) {
    return value > 0 ? "std::numeric_limits<float>::infinity()"
                     : "-std::numeric_limits<float>::infinity()";
  }
  return FormatConstant(value) + "f";
}

std::string Commented(absl::string_view text, absl::string_view prefix) {
  std::string out;
  std::vector<absl::string_view> lines = absl::StrSplit(text, '\n');
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  for (absl::string_view line : lines) {
    std::string l = absl::StrCat(prefix, line);
    while (!l.empty() && l.back() == ' ') l.pop_back();
    absl::StrAppend(&out, l, "\n");
  }
  return out;
}

std::string CppHelperName(OpCode op) {
  std::string name = GetOpInfo(op).name;
  std::string out;
  bool upper = true;
  for (char c : name) {
    if (c == '_') {
      upper = true;
      continue;
    }
    out += upper ? absl::ascii_toupper(static_cast<unsigned char>(c)) : c;
    upper = false;
  }
  return out;
}

std::string ClassNameFromPath(absl::string_view path) {
  absl::string_view base = path.substr(path.find_last_of('/') + 1);
  base = base.substr(0, base.find('.'));
  std::string out;
  bool upper = true;
  for (char c : base) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c))) {
      upper = true;
      continue;
    }
    out += upper ? absl::ascii_toupper(static_cast<unsigned char>(c)) : c;
    upper = false;
  }
  if (out.empty() || absl::ascii_isdigit(static_cast<unsigned char>(out[0]))) {
    out = "Hero" + out;
  }
  return out;
}

bool IsIdentifier(absl::string_view name) {
  if (name.empty() ||
      absl::ascii_isdigit(static_cast<unsigned char>(name[0]))) {
    return false;
  }
  for (char c : name) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_') {
      return false;
    }
  }
  return true;
}

}  // namespace hero
