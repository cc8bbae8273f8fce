#include "src/util/json_writer.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace hero {
namespace {

// Misuse is a bug in the caller; abort loudly rather than emit invalid JSON.
void Require(bool condition, const char* message) {
  if (!condition) {
    std::fprintf(stderr, "JsonWriter misuse: %s\n", message);
    std::abort();
  }
}

// Length of the valid UTF-8 sequence starting at s[i] (per RFC 3629: no
// overlongs, no surrogates, at most U+10FFFF), or 0 if it is invalid.
size_t Utf8SequenceLength(absl::string_view s, size_t i) {
  const auto byte = [&](size_t k) -> unsigned {
    return k < s.size() ? static_cast<unsigned char>(s[k]) : 0u;
  };
  const auto cont = [&](size_t k) { return (byte(k) & 0xC0u) == 0x80u; };
  const unsigned b0 = byte(i);
  const unsigned b1 = byte(i + 1);
  if (b0 < 0x80) return 1;
  if (b0 >= 0xC2 && b0 <= 0xDF) return cont(i + 1) ? 2 : 0;
  if (b0 >= 0xE0 && b0 <= 0xEF) {
    if (b0 == 0xE0 && b1 < 0xA0) return 0;  // Overlong.
    if (b0 == 0xED && b1 > 0x9F) return 0;  // Surrogate.
    return cont(i + 1) && cont(i + 2) ? 3 : 0;
  }
  if (b0 >= 0xF0 && b0 <= 0xF4) {
    if (b0 == 0xF0 && b1 < 0x90) return 0;  // Overlong.
    if (b0 == 0xF4 && b1 > 0x8F) return 0;  // Beyond U+10FFFF.
    return cont(i + 1) && cont(i + 2) && cont(i + 3) ? 4 : 0;
  }
  return 0;
}

void AppendQuoted(absl::string_view s, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '"':
        out->append("\\\"");
        ++i;
        continue;
      case '\\':
        out->append("\\\\");
        ++i;
        continue;
      case '\b':
        out->append("\\b");
        ++i;
        continue;
      case '\f':
        out->append("\\f");
        ++i;
        continue;
      case '\n':
        out->append("\\n");
        ++i;
        continue;
      case '\r':
        out->append("\\r");
        ++i;
        continue;
      case '\t':
        out->append("\\t");
        ++i;
        continue;
      default:
        break;
    }
    if (c < 0x20) {
      out->append("\\u00");
      out->push_back(kHex[c >> 4]);
      out->push_back(kHex[c & 0xF]);
      ++i;
      continue;
    }
    const size_t n = Utf8SequenceLength(s, i);
    if (n == 0) {
      out->append("\\ufffd");
      ++i;
    } else {
      out->append(s.data() + i, n);
      i += n;
    }
  }
  out->push_back('"');
}

void AppendNumber(double value, std::string* out) {
  if (!std::isfinite(value)) {
    out->append("null");
    return;
  }
  // std::to_chars without a precision gives the shortest representation that
  // round-trips exactly; 32 bytes hold any double.
  char buffer[32];
  const std::to_chars_result r =
      std::to_chars(buffer, buffer + sizeof(buffer), value);
  out->append(buffer, r.ptr);
}

}  // namespace

std::string JsonQuote(absl::string_view value) {
  std::string out;
  AppendQuoted(value, &out);
  return out;
}

std::string JsonNumber(double value) {
  std::string out;
  AppendNumber(value, &out);
  return out;
}

void JsonWriter::NewlineAndIndent() {
  if (!pretty_) return;
  out_.push_back('\n');
  out_.append(2 * stack_.size(), ' ');
}

void JsonWriter::BeforeValue() {
  if (stack_.empty()) {
    Require(!done_, "more than one top-level value");
    return;
  }
  Frame& top = stack_.back();
  if (top.scope == Scope::kObject) {
    Require(key_pending_, "value inside an object without Key()");
    key_pending_ = false;
    return;
  }
  if (top.count++ > 0) out_.push_back(',');
  NewlineAndIndent();
}

void JsonWriter::AfterValue() {
  if (stack_.empty()) done_ = true;
}

JsonWriter& JsonWriter::Key(absl::string_view key) {
  Require(!stack_.empty() && stack_.back().scope == Scope::kObject,
          "Key() outside an object");
  Require(!key_pending_, "Key() after Key() without a value");
  if (stack_.back().count++ > 0) out_.push_back(',');
  NewlineAndIndent();
  AppendQuoted(key, &out_);
  out_.append(pretty_ ? ": " : ":");
  key_pending_ = true;
  return *this;
}

JsonWriter& JsonWriter::BeginObject() {
  BeforeValue();
  out_.push_back('{');
  stack_.push_back(Frame{Scope::kObject, 0});
  return *this;
}

JsonWriter& JsonWriter::BeginArray() {
  BeforeValue();
  out_.push_back('[');
  stack_.push_back(Frame{Scope::kArray, 0});
  return *this;
}

JsonWriter& JsonWriter::End(Scope scope, char close) {
  Require(!stack_.empty() && stack_.back().scope == scope,
          scope == Scope::kObject
              ? "EndObject() without a matching BeginObject()"
              : "EndArray() without a matching BeginArray()");
  Require(!key_pending_, "EndObject() right after Key()");
  const bool empty = stack_.back().count == 0;
  stack_.pop_back();
  if (!empty) NewlineAndIndent();
  out_.push_back(close);
  AfterValue();
  return *this;
}

JsonWriter& JsonWriter::EndObject() { return End(Scope::kObject, '}'); }
JsonWriter& JsonWriter::EndArray() { return End(Scope::kArray, ']'); }

JsonWriter& JsonWriter::String(absl::string_view value) {
  BeforeValue();
  AppendQuoted(value, &out_);
  AfterValue();
  return *this;
}

JsonWriter& JsonWriter::Int(int64_t value) {
  BeforeValue();
  absl::StrAppend(&out_, value);
  AfterValue();
  return *this;
}

JsonWriter& JsonWriter::Double(double value) {
  BeforeValue();
  AppendNumber(value, &out_);
  AfterValue();
  return *this;
}

JsonWriter& JsonWriter::Bool(bool value) {
  BeforeValue();
  out_.append(value ? "true" : "false");
  AfterValue();
  return *this;
}

JsonWriter& JsonWriter::Null() {
  BeforeValue();
  out_.append("null");
  AfterValue();
  return *this;
}

JsonWriter& JsonWriter::Raw(absl::string_view json) {
  BeforeValue();
  out_.append(json.data(), json.size());
  AfterValue();
  return *this;
}

}  // namespace hero
