// CSV output per RFC 4180: escaping one field and joining a row.
//
// For result tables (tuning grids, ablations) that people open in a
// spreadsheet or pandas.
//
//   std::string line = hero::CsvJoin({"program", "val acc"}) + "\n";
//   line += hero::CsvJoin({"lion, tuned", "0.85"}) + "\n";
//   // program,val acc
//   // "lion, tuned",0.85
//
// A field is quoted iff it contains a comma, a double quote, CR or LF;
// inside quotes a double quote is doubled. Other text is written unchanged.
// Thread-safety: pure functions.
#ifndef HERO_UTIL_CSV_H_
#define HERO_UTIL_CSV_H_

#include <string>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace hero {

// `field` as one CSV field: unchanged, or quoted with inner quotes doubled.
std::string CsvEscape(absl::string_view field);

// The escaped fields joined with commas, without a line terminator (append
// "\n", or "\r\n" for strict RFC 4180).
std::string CsvJoin(absl::Span<const std::string> fields);

}  // namespace hero

#endif  // HERO_UTIL_CSV_H_
