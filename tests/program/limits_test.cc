// The program limits (src/program/limits.h), each at its value and just past
// it, in every form a program is read: paper syntax, textproto, the proto
// form and files. Past a limit the error is an ordinary InvalidArgument that
// names the limit.
#include "src/program/limits.h"

#include <cstdio>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "src/program/analysis.h"
#include "src/program/parser.h"
#include "src/program/program_proto.h"

namespace hero {
namespace {

constexpr char kHeader[] = "def train(w, g, m, v, lr, λ):\n";
constexpr char kReturn[] = "  return update, m, v\n";

// A valid program of `n` statements: update = g * lr, then copies of it.
std::string ProgramWithStatements(int n) {
  std::string text = absl::StrCat(kHeader, "  update = g * lr\n");
  for (int i = 1; i < n; ++i)
    absl::StrAppend(&text, "  t", i, " = update * 1.0\n");
  return text + kReturn;
}

// `text` grown to exactly `bytes` bytes with whole comment lines before the
// return (each at most kMaxLineBytes long).
std::string PaddedTo(std::string body, int64_t bytes) {
  int64_t missing =
      bytes - static_cast<int64_t>(body.size() + sizeof kReturn - 1);
  EXPECT_GE(missing, 2);
  while (missing > 0) {
    const int64_t line = std::min<int64_t>(missing, kMaxLineBytes + 1);
    // A one-byte remainder cannot be a comment line with its newline.
    const int64_t take = (missing - line == 1) ? line - 1 : line;
    body += "#" + std::string(take - 2, 'x') + "\n";
    missing -= take;
  }
  return body + kReturn;
}

void ExpectError(const absl::StatusOr<Program>& p, const std::string& message) {
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::string(p.status().message()), message);
}

TEST(ProgramLimitsTest, ProgramBytesPaperSyntax) {
  const std::string body = absl::StrCat(kHeader, "  update = g * lr\n");
  const std::string at = PaddedTo(body, kMaxProgramBytes);
  ASSERT_EQ(static_cast<int64_t>(at.size()), kMaxProgramBytes);
  EXPECT_TRUE(ParseProgramText(at, "at.py").ok());
  const std::string past = PaddedTo(body, kMaxProgramBytes + 1);
  ExpectError(ParseProgramText(past, "past.py"),
              "past.py: larger than the program size limit of 4194304 bytes");
}

TEST(ProgramLimitsTest, ProgramBytesTextProto) {
  std::string at =
      "statements { output: \"update\" op: \"*\" args { var: \"g\" } "
      "args { var: \"lr\" } }\n";
  const std::string comment = "#" + std::string(998, 'x') + "\n";
  while (at.size() + comment.size() <= kMaxProgramBytes) at += comment;
  at += "#" + std::string(kMaxProgramBytes - at.size() - 2, 'x') + "\n";
  ASSERT_EQ(static_cast<int64_t>(at.size()), kMaxProgramBytes);
  EXPECT_TRUE(ParseProgramText(at, "at.textproto").ok());
  ExpectError(ParseProgramText(at + " ", "past.textproto"),
              "past.textproto: larger than the program size limit of 4194304 "
              "bytes");
}

TEST(ProgramLimitsTest, ProgramBytesFile) {
  const std::string dir = std::getenv("TEST_TMPDIR");
  const std::string body = absl::StrCat(kHeader, "  update = g * lr\n");
  for (int64_t extra : {0, 1}) {
    const std::string path = absl::StrCat(dir, "/size", extra, ".py");
    const std::string text = PaddedTo(body, kMaxProgramBytes + extra);
    std::FILE* f = std::fopen(path.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    ASSERT_EQ(std::fwrite(text.data(), 1, text.size(), f), text.size());
    std::fclose(f);
    absl::StatusOr<Program> p = ReadProgramFile(path);
    if (extra == 0) {
      EXPECT_TRUE(p.ok()) << p.status();
    } else {
      ExpectError(p, path +
                         ": larger than the program size limit of 4194304 "
                         "bytes");
    }
  }
}

TEST(ProgramLimitsTest, LineLength) {
  // "  update = g * lr  #xxx...": exactly kMaxLineBytes bytes.
  std::string line = "  update = g * lr  #";
  line += std::string(kMaxLineBytes - line.size(), 'x');
  ASSERT_EQ(line.size(), 4096u);
  EXPECT_TRUE(
      ParseProgram(absl::StrCat(kHeader, line, "\n", kReturn), "at.py").ok());
  EXPECT_TRUE(
      ParseProgram(absl::StrCat(kHeader, line, "\r\n", kReturn), "crlf.py")
          .ok());
  ExpectError(
      ParseProgram(absl::StrCat(kHeader, line, "x\n", kReturn), "past.py"),
      "past.py:2:1: line longer than 4096 bytes (the line length limit)");
}

TEST(ProgramLimitsTest, Statements) {
  absl::StatusOr<Program> at =
      ParseProgram(ProgramWithStatements(10000), "at.py");
  ASSERT_TRUE(at.ok()) << at.status();
  EXPECT_EQ(at->statements.size(), 10000u);
  EXPECT_TRUE(Analyze(*at, "at.py").ok());
  ExpectError(ParseProgram(ProgramWithStatements(10001), "past.py"),
              "past.py:10002:3: more than 10000 statements (the statement "
              "limit)");

  // The proto form: the same programs.
  EXPECT_TRUE(FromProto(ToProto(*at), "at").ok());
  ProgramProto past = ToProto(*at);
  *past.add_statements() = past.statements(1);
  ExpectError(FromProto(past, "past"),
              "past: statements: 10001 statements, more than 10000 (the "
              "statement limit)");
}

// A program naming exactly `names` registers (the six inputs and `update`
// included): after `update = g * lr`, statements `nA = nB + nC` with three
// fresh names each, then one with the remaining 1 or 2. Undefined names are
// for Analyze; the parser only counts them.
std::string ProgramWithNames(int names) {
  std::string text = absl::StrCat(kHeader, "  update = g * lr\n");
  int next = 0;
  int left = names - 7;
  while (left > 0) {
    const int k = std::min(left, 3);
    absl::StrAppend(&text, "  n", next, " = ", k >= 2 ? "n" : "",
                    k >= 2 ? absl::StrCat(next + 1) : "g", " + ",
                    k >= 3 ? "n" : "", k >= 3 ? absl::StrCat(next + 2) : "m",
                    "\n");
    next += k;
    left -= k;
  }
  return text + kReturn;
}

TEST(ProgramLimitsTest, DistinctNames) {
  absl::StatusOr<Program> at = ParseProgram(ProgramWithNames(16384), "at.py");
  ASSERT_TRUE(at.ok()) << at.status();
  EXPECT_EQ(at->num_registers(), 16384);
  // 16385 names: the last statement is `n16377 = g + m`, whose output is
  // the 16385th name.
  ExpectError(ParseProgram(ProgramWithNames(16385), "past.py"),
              "past.py:5462:3: more than 16384 distinct names (the name "
              "limit)");

  // The proto form of the same programs.
  EXPECT_TRUE(FromProto(ToProto(*at), "at").ok());
  ProgramProto past = ToProto(*at);
  StatementProto* s = past.add_statements();
  s->set_output("one_too_many");
  s->set_op("sign");
  s->add_args()->set_var("g");
  ExpectError(FromProto(past, "past"),
              "past: statements[5460].output: more than 16384 distinct names "
              "(the name limit)");
}

TEST(ProgramLimitsTest, NameLength) {
  const std::string at(kMaxNameBytes, 'a');
  const std::string past(kMaxNameBytes + 1, 'a');
  auto program = [](const std::string& name) {
    return absl::StrCat(kHeader, "  ", name, " = g * lr\n  update = ", name,
                        " * 1.0\n", kReturn);
  };
  EXPECT_TRUE(ParseProgram(program(at), "at.py").ok());
  ExpectError(
      ParseProgram(program(past), "past.py"),
      "past.py:2:3: name longer than 256 bytes (the name length limit)");

  ProgramProto proto;
  StatementProto* s = proto.add_statements();
  s->set_output(at);
  s->set_op("sign");
  s->add_args()->set_var("g");
  EXPECT_TRUE(FromProto(proto, "at").ok());
  s->set_output(past);
  ExpectError(
      FromProto(proto, "past"),
      "past: statements[0].output: name longer than 256 bytes (the name "
      "length limit)");
}

TEST(ProgramLimitsTest, LiteralRange) {
  auto program = [](const std::string& literal) {
    return absl::StrCat(kHeader, "  update = g * ", literal, "\n", kReturn);
  };
  // FLT_MAX, and the nearest decimal that rounds past it.
  for (const char* at : {"3.4028235e38", "-3.4028235e38", "1e-45", "1e-50"}) {
    EXPECT_TRUE(ParseProgram(program(at), "at.py").ok()) << at;
  }
  ExpectError(ParseProgram(program("3.4028236e38"), "past.py"),
              "past.py:2:16: number `3.4028236e38` is out of float32 range");
  ExpectError(ParseProgram(program("-3.4028236e38"), "past.py"),
              "past.py:2:17: number `3.4028236e38` is out of float32 range");

  const char* kProto =
      "statements { output: \"update\" op: \"*\" args { var: \"g\" }\n"
      "  args { constant: %s } }\n";
  auto proto = [&](const char* literal) {
    char buf[256];
    std::snprintf(buf, sizeof buf, kProto, literal);
    return std::string(buf);
  };
  EXPECT_TRUE(ParseProgramText(proto("3.4028235e38"), "at.textproto").ok());
  for (const char* past : {"inf", "-inf", "nan", "1e39"}) {
    absl::StatusOr<Program> p = ParseProgramText(proto(past), "past.textproto");
    ASSERT_FALSE(p.ok()) << past;
    EXPECT_NE(p.status().message().find("past.textproto:2:3: "
                                        "statements[0].args[1]: constant "),
              absl::string_view::npos)
        << p.status();
    EXPECT_NE(p.status().message().find("is not a finite float32"),
              absl::string_view::npos)
        << p.status();
  }
}

}  // namespace
}  // namespace hero
