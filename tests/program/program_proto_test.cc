// The protobuf form: round trips, textproto files, and located errors.
#include "src/program/program_proto.h"

#include <string>

#include "gtest/gtest.h"
#include "src/program/printer.h"

namespace hero {
namespace {

class ProtoRoundTripTest : public ::testing::TestWithParam<std::string> {};

TEST_P(ProtoRoundTripTest, ProgramToProtoAndBack) {
  absl::StatusOr<Program> p = ReadProgramFile("configs/programs/" + GetParam());
  ASSERT_TRUE(p.ok()) << p.status();
  absl::StatusOr<Program> back = FromProto(ToProto(*p), "x");
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(PrintProgram(*back), PrintProgram(*p));

  const std::string text = FormatProgram(*p, ProgramFormat::kTextProto);
  absl::StatusOr<Program> parsed = ParseProgramText(text, "p.textproto");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(PrintProgram(*parsed), PrintProgram(*p));
  EXPECT_EQ(FormatProgram(*parsed, ProgramFormat::kTextProto), text);
}

INSTANTIATE_TEST_SUITE_P(All, ProtoRoundTripTest,
                         ::testing::Values("adamw.py", "evolved.py",
                                           "hero_lion.py", "signum.py",
                                           "sgd_momentum.py"));

TEST(ProgramProtoTest, TextProtoWithInfixAndNamedConstants) {
  const char* text =
      "# Lion-like\n"
      "statements { output: \"c\" op: \"interpolate\"\n"
      "  args { var: \"g\" } args { var: \"m\" } args { constant: 0.9 } }\n"
      "statements { output: \"update\" op: \"sign\" args { var: \"c\" } }\n"
      "statements { output: \"m\" op: \"*\" args { var: \"m\" } "
      "args { named: \"pi\" } }\n";
  absl::StatusOr<Program> p = ParseProgramText(text, "x.textproto");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(PrintProgram(*p),
            "def train(w, g, m, v, lr, λ):\n"
            "  c = interpolate(g, m, 0.9)\n"
            "  update = sign(c)\n"
            "  m = m * pi\n"
            "  return update, m, v\n");
}

TEST(ProgramProtoTest, ErrorsAreLocated) {
  auto error = [](const std::string& text) {
    absl::StatusOr<Program> p = ParseProgramText(text, "x.textproto");
    EXPECT_FALSE(p.ok());
    return p.ok() ? "" : std::string(p.status().message());
  };
  EXPECT_EQ(error("statements { output: \"update\" op: \"sgn\" "
                  "args { var: \"g\" } }\n"),
            "x.textproto:1:31: statements[0].op: unknown function `sgn`");
  EXPECT_EQ(error("statements { output: \"update\" op: \"sign\" }\n"),
            "x.textproto:1:31: statements[0].args: `sign` takes 1 arguments, "
            "got 0");
  EXPECT_EQ(error("statements { output: \"update\" op: \"sign\"\n"
                  "  args { named: \"tau\" } }\n"),
            "x.textproto:2:3: statements[0].args[0]: unknown constant `tau` "
            "(pi, e, eps)");
  EXPECT_EQ(error("statements { output: \"update\" op: \"sign\"\n"
                  "  args { var: \"q\" } }\n"),
            "x.textproto:2:3: undefined name `q`");
  EXPECT_EQ(error("statements { outptu: \"update\" }\n"),
            "x.textproto:1:20: Message type \"hero.StatementProto\" has no "
            "field named \"outptu\".");
}

TEST(ProgramProtoTest, MissingFileAndDirectory) {
  absl::StatusOr<Program> p = ReadProgramFile("/nonexistent/x.py");
  EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(p.status().message(),
            "/nonexistent/x.py: No such file or directory");
  p = ReadProgramFile("configs/programs");
  EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(p.status().message(), "configs/programs: is a directory");
}

TEST(ProgramProtoTest, ByteOrderMarkInEitherForm) {
  const std::string bom = "\xEF\xBB\xBF";
  const std::string python =
      "def train(w, g, m, v):\n  update = sign(g)\n  return update, m, v\n";
  // With and without the .py name (the form is then told from the text).
  for (const char* file : {"bom.py", "bom"}) {
    absl::StatusOr<Program> p = ParseProgramText(bom + python, file);
    ASSERT_TRUE(p.ok()) << p.status();
    EXPECT_EQ(PrintProgram(*p), PrintProgram(*ParseProgramText(python, file)));
  }
  absl::StatusOr<Program> t =
      ParseProgramText(bom +
                           "statements { output: \"update\" op: \"sign\" args "
                           "{ var: \"g\" } }\n",
                       "bom.textproto");
  ASSERT_TRUE(t.ok()) << t.status();
  // A byte-order mark anywhere else is an error with a location.
  absl::StatusOr<Program> late = ParseProgramText(python + bom, "late.py");
  EXPECT_EQ(late.status().message(),
            "late.py:4:1: unexpected character `\xEF\xBB\xBF`");
}

// Every name the proto form accepts must print as paper syntax that parses
// back (the journal stores programs that way).
TEST(ProgramProtoTest, NamesMustBeIdentifiers) {
  auto error = [](const std::string& output) {
    ProgramProto proto;
    StatementProto* s = proto.add_statements();
    s->set_output(output);
    s->set_op("sign");
    s->add_args()->set_var("g");
    absl::StatusOr<Program> p = FromProto(proto, "x");
    return p.ok() ? std::string("ok") : std::string(p.status().message());
  };
  EXPECT_EQ(error("update"), "ok");
  EXPECT_EQ(error("_t2"), "ok");
  EXPECT_EQ(error("a b"),
            "x: statements[0].output: `a b` is not a name (letters, digits and "
            "_, not starting with a digit)");
  EXPECT_EQ(error("2x"),
            "x: statements[0].output: `2x` is not a name (letters, digits and "
            "_, not starting with a digit)");
  EXPECT_EQ(error("a\nb"),
            "x: statements[0].output: `a\\nb` is not a name (letters, digits "
            "and _, not starting with a digit)");
  EXPECT_EQ(error("return"), "x: statements[0].output: `return` is a keyword");
}

}  // namespace
}  // namespace hero
