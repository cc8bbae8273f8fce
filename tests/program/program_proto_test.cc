// The protobuf form: round trips, textproto files, and located errors.
#include "src/program/program_proto.h"

#include <string>

#include "gtest/gtest.h"
#include "src/program/printer.h"

namespace hero {
namespace {

class ProtoRoundTripTest : public ::testing::TestWithParam<std::string> {};

TEST_P(ProtoRoundTripTest, ProgramToProtoAndBack) {
  absl::StatusOr<Program> p =
      ReadProgramFile("configs/programs/" + GetParam());
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

TEST(ProgramProtoTest, MissingFile) {
  absl::StatusOr<Program> p = ReadProgramFile("/nonexistent/x.py");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().message(), "/nonexistent/x.py: cannot open program file");
}

}  // namespace
}  // namespace hero
