#include "src/util/json_writer.h"

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace hero {
namespace {

TEST(JsonQuoteTest, EscapesQuotesBackslashAndControlCharacters) {
  EXPECT_EQ(JsonQuote(""), R"("")");
  EXPECT_EQ(JsonQuote("say \"hi\" \\o/"), R"("say \"hi\" \\o/")");
  EXPECT_EQ(JsonQuote("a\nb\tc\rd\be\ff"), R"("a\nb\tc\rd\be\ff")");
  EXPECT_EQ(JsonQuote(std::string("nul\0x", 5)), R"("nul\u0000x")");
  EXPECT_EQ(JsonQuote("\x01\x1f\x7f"), "\"\\u0001\\u001f\x7f\"");
}

TEST(JsonQuoteTest, ValidUtf8PassesThrough) {
  const std::string text = "λ = 0.1, 日本, 😀, é";
  EXPECT_EQ(JsonQuote(text), "\"" + text + "\"");
}

TEST(JsonQuoteTest, InvalidUtf8BecomesReplacementCharacters) {
  EXPECT_EQ(JsonQuote("a\xff"
                      "b"),
            R"("a\ufffdb")");
  EXPECT_EQ(JsonQuote("\xe6\x97"), R"("\ufffd\ufffd")");  // Truncated.
  EXPECT_EQ(JsonQuote("\xc0\xaf"), R"("\ufffd\ufffd")");  // Overlong '/'.
  EXPECT_EQ(JsonQuote("\xed\xa0\x80"),
            R"("\ufffd\ufffd\ufffd")");     // Surrogate.
  EXPECT_EQ(JsonQuote("\xf4\x90\x80\x80"),  // Beyond U+10FFFF.
            R"("\ufffd\ufffd\ufffd\ufffd")");
}

TEST(JsonNumberTest, ShortestRoundTripText) {
  EXPECT_EQ(JsonNumber(0.85), "0.85");
  EXPECT_EQ(JsonNumber(0.1), "0.1");
  EXPECT_EQ(JsonNumber(100.0), "100");
  EXPECT_EQ(JsonNumber(-2.5), "-2.5");
  EXPECT_EQ(JsonNumber(1.0 / 3.0), "0.3333333333333333");
  EXPECT_EQ(JsonNumber(1e300), "1e+300");
  EXPECT_EQ(JsonNumber(-0.0), "-0");
}

TEST(JsonNumberTest, NonFiniteIsNull) {
  EXPECT_EQ(JsonNumber(std::numeric_limits<double>::quiet_NaN()), "null");
  EXPECT_EQ(JsonNumber(std::numeric_limits<double>::infinity()), "null");
  EXPECT_EQ(JsonNumber(-std::numeric_limits<double>::infinity()), "null");
}

// Every finite double parses back (strtod) to the identical bits.
TEST(JsonNumberTest, RoundTripsExactly) {
  std::vector<double> values = {0.0,
                                0.85,
                                0.1,
                                1.0 / 3.0,
                                M_PI,
                                1e-300,
                                5e-324,
                                2.2250738585072014e-308,
                                std::numeric_limits<double>::max(),
                                -std::numeric_limits<double>::max(),
                                123456789012345678.0,
                                9007199254740993.0,
                                1e21,
                                1e-7};
  std::mt19937_64 rng(20240229);
  while (values.size() < 10000) {
    const uint64_t bits = rng();
    double v;
    std::memcpy(&v, &bits, sizeof(v));
    if (std::isfinite(v)) values.push_back(v);
  }
  for (const double v : values) {
    const std::string text = JsonNumber(v);
    char* end = nullptr;
    const double parsed = std::strtod(text.c_str(), &end);
    ASSERT_EQ(*end, '\0') << text;
    ASSERT_EQ(std::memcmp(&parsed, &v, sizeof(v)), 0)
        << text << " parsed back as " << parsed;
  }
}

TEST(JsonWriterTest, CompactObject) {
  JsonWriter w;
  w.BeginObject();
  w.Key("status");
  w.String("ok");
  w.Key("val_accuracy");
  w.Double(0.85);
  w.EndObject();
  EXPECT_TRUE(w.complete());
  EXPECT_EQ(w.str(), R"({"status":"ok","val_accuracy":0.85})");
}

TEST(JsonWriterTest, CompactNestingAndAllValueKinds) {
  JsonWriter w;
  w.BeginObject();
  w.Key("a").BeginArray().Int(1).Int(-2).BeginObject().EndObject();
  w.BeginArray().EndArray().EndArray();
  w.Key("b").BeginObject().Key("t").Bool(true).Key("f").Bool(false);
  w.Key("n").Null().Key("nan").Double(std::nan("")).EndObject();
  w.Key("min").Int(std::numeric_limits<int64_t>::min());
  w.Key("max").Int(std::numeric_limits<int64_t>::max());
  w.Key("k\"ey").String("v\n");
  w.EndObject();
  EXPECT_EQ(w.str(),
            R"({"a":[1,-2,{},[]],"b":{"t":true,"f":false,"n":null,"nan":null},)"
            R"("min":-9223372036854775808,"max":9223372036854775807,)"
            R"("k\"ey":"v\n"})");
}

TEST(JsonWriterTest, PrettyOutput) {
  JsonWriter w(JsonStyle::kPretty);
  w.BeginObject();
  w.Key("name").String("lion");
  w.Key("curve").BeginArray().Double(0.5).Double(0.25).EndArray();
  w.Key("empty").BeginArray().EndArray();
  w.Key("nested").BeginObject().Key("x").Int(1).EndObject();
  w.Key("none").BeginObject().EndObject();
  w.EndObject();
  EXPECT_EQ(w.str(),
            "{\n"
            "  \"name\": \"lion\",\n"
            "  \"curve\": [\n"
            "    0.5,\n"
            "    0.25\n"
            "  ],\n"
            "  \"empty\": [],\n"
            "  \"nested\": {\n"
            "    \"x\": 1\n"
            "  },\n"
            "  \"none\": {}\n"
            "}");
}

TEST(JsonWriterTest, TopLevelScalarsAndArrays) {
  JsonWriter scalar;
  EXPECT_FALSE(scalar.complete());
  scalar.String("just text");
  EXPECT_TRUE(scalar.complete());
  EXPECT_EQ(scalar.str(), R"("just text")");

  JsonWriter array(JsonStyle::kPretty);
  array.BeginArray().Int(1).BeginArray().Int(2).EndArray().EndArray();
  EXPECT_EQ(array.str(), "[\n  1,\n  [\n    2\n  ]\n]");
}

TEST(JsonWriterDeathTest, MisuseAborts) {
  EXPECT_DEATH(JsonWriter().Key("x"), "Key\\(\\) outside an object");
  EXPECT_DEATH(JsonWriter().BeginObject().Int(1),
               "value inside an object without Key\\(\\)");
  EXPECT_DEATH(JsonWriter().BeginArray().EndObject(),
               "EndObject\\(\\) without a matching BeginObject\\(\\)");
  EXPECT_DEATH(JsonWriter().EndArray(),
               "EndArray\\(\\) without a matching BeginArray\\(\\)");
  EXPECT_DEATH(JsonWriter().BeginObject().Key("a").EndObject(),
               "EndObject\\(\\) right after Key\\(\\)");
  EXPECT_DEATH(JsonWriter().BeginObject().Key("a").Key("b"),
               "Key\\(\\) after Key\\(\\) without a value");
  EXPECT_DEATH(JsonWriter().Int(1).Int(2), "more than one top-level value");
}

}  // namespace
}  // namespace hero
