// JsonWriter: a small streaming writer of valid JSON text.
//
// For run summaries, progress records and journal lines. Values are appended
// in document order; the writer inserts separators, indentation and quotes.
//
//   hero::JsonWriter w;  // or hero::JsonWriter w(hero::JsonStyle::kPretty);
//   w.BeginObject();
//   w.Key("status").String("ok");
//   w.Key("val_accuracy").Double(0.85);
//   w.Key("steps").BeginArray().Int(1).Int(2).EndArray();
//   w.EndObject();
//   std::string s = w.str();  //
//   {"status":"ok","val_accuracy":0.85,"steps":[1,2]}
//
// Output guarantees:
//  - Strings are escaped per RFC 8259: `"` `\` and control characters
//    (\b \f \n \r \t, others as \u00XX); valid UTF-8 passes through unchanged;
//    each byte of invalid UTF-8 becomes \ufffd, so the output is always valid.
//  - Doubles use the shortest text that parses back (strtod) to the same
//    double, e.g. 0.1 -> "0.1", 1e300 -> "1e+300". NaN and +-Inf, which JSON
//    cannot express, are written as null.
//  - Pretty style indents by 2 spaces and writes `"key": value`; empty
//    containers print as {} and [].
//
// Misuse (a value in an object without Key(), Key() outside an object,
// unbalanced End*(), a second top-level value) is a programming bug: the
// writer aborts with a message, in every build mode.
// Thread-safety: none; one writer per thread.
#ifndef HERO_UTIL_JSON_WRITER_H_
#define HERO_UTIL_JSON_WRITER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace hero {

enum class JsonStyle { kCompact, kPretty };

class JsonWriter {
 public:
  explicit JsonWriter(JsonStyle style = JsonStyle::kCompact)
      : pretty_(style == JsonStyle::kPretty) {}

  JsonWriter(const JsonWriter&) = delete;
  JsonWriter& operator=(const JsonWriter&) = delete;
  JsonWriter(JsonWriter&&) = default;
  JsonWriter& operator=(JsonWriter&&) = default;

  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();

  // The name of the next member. REQUIRES: inside an object, and the previous
  // Key() has received its value.
  JsonWriter& Key(absl::string_view key);

  JsonWriter& String(absl::string_view value);
  JsonWriter& Int(int64_t value);
  JsonWriter& Double(double value);  // NaN and +-Inf become null.
  JsonWriter& Bool(bool value);
  JsonWriter& Null();
  // A complete JSON value rendered elsewhere (e.g. by another JsonWriter),
  // inserted as is. REQUIRES: `json` is one valid JSON value.
  JsonWriter& Raw(absl::string_view json);

  // True iff exactly one complete top-level value has been written.
  bool complete() const { return done_; }

  // The text so far; valid JSON iff complete().
  const std::string& str() const { return out_; }

 private:
  enum class Scope : uint8_t { kObject, kArray };
  struct Frame {
    Scope scope;
    int64_t count;  // Members or elements written so far.
  };

  void BeforeValue();
  void AfterValue();
  JsonWriter& End(Scope scope, char close);
  void NewlineAndIndent();

  bool pretty_;
  bool key_pending_ = false;  // Key() written, its value not yet.
  bool done_ = false;
  std::vector<Frame> stack_;
  std::string out_;
};

// `value` as a quoted, escaped JSON string literal.
std::string JsonQuote(absl::string_view value);

// `value` as a JSON number (shortest round-trip form), or "null" if not
// finite.
std::string JsonNumber(double value);

}  // namespace hero

#endif  // HERO_UTIL_JSON_WRITER_H_
