#include "src/util/csv.h"

#include <string>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace hero {

std::string CsvEscape(absl::string_view field) {
  if (field.find_first_of(",\"\r\n") == absl::string_view::npos) {
    return std::string(field);
  }
  std::string out;
  out.reserve(field.size() + 2);
  out.push_back('"');
  for (const char c : field) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

std::string CsvJoin(absl::Span<const std::string> fields) {
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out.push_back(',');
    out += CsvEscape(fields[i]);
  }
  return out;
}

}  // namespace hero
