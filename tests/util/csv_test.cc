#include "src/util/csv.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace hero {
namespace {

TEST(CsvEscapeTest, PlainFieldsAreUnchanged) {
  EXPECT_EQ(CsvEscape(""), "");
  EXPECT_EQ(CsvEscape("lion"), "lion");
  EXPECT_EQ(CsvEscape(" spaced out "), " spaced out ");
  EXPECT_EQ(CsvEscape("0.85"), "0.85");
  EXPECT_EQ(CsvEscape("λ=0.1"), "λ=0.1");
}

TEST(CsvEscapeTest, QuotesFieldsWithSpecialCharacters) {
  EXPECT_EQ(CsvEscape("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvEscape("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvEscape("\""), "\"\"\"\"");
  EXPECT_EQ(CsvEscape("line1\nline2"), "\"line1\nline2\"");
  EXPECT_EQ(CsvEscape("cr\r"), "\"cr\r\"");
}

TEST(CsvJoinTest, JoinsEscapedFields) {
  EXPECT_EQ(CsvJoin({}), "");
  EXPECT_EQ(CsvJoin({""}), "");
  EXPECT_EQ(CsvJoin({"", ""}), ",");
  EXPECT_EQ(CsvJoin({"program", "val acc", "note"}), "program,val acc,note");
  const std::vector<std::string> row = {"lion, tuned", "0.85", "a \"b\""};
  EXPECT_EQ(CsvJoin(row), "\"lion, tuned\",0.85,\"a \"\"b\"\"\"");
}

}  // namespace
}  // namespace hero
