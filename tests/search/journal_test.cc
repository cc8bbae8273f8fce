// The journal's line format: every field survives a round trip through
// protobuf's own text parser, including awkward strings.
#include "src/search/journal.h"

#include <cmath>
#include <fstream>
#include <limits>

#include "absl/strings/ascii.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"

namespace hero {
namespace {

JournalRecord Full() {
  JournalRecord r;
  r.set_kind(JournalRecord::CHILD);
  r.set_id(123456789012);
  r.set_parent_id(-1);
  r.set_mutation("insert 3: t2 = arcsin(g) (read by 5) \"quoted\" \\ back");
  r.set_program(
      "def train(w, g, m, v, lr, λ):\n  update = sign(g)\n\treturn\n");
  r.set_structural_hash("0123456789abcdef");
  r.set_fingerprint("fedcba9876543210");
  r.set_cache_hit("fingerprint");
  r.set_fitness(0.84599999999999997);
  r.set_status(EvalResult::FAILED);
  r.set_failure_reason("step 3: loss nan\x01\x7f");
  r.set_eval_seconds(1e-300);
  r.set_elapsed_seconds(12345.678901234567);
  r.set_config("task { name: \"q\" }\n");
  r.set_live_statements(7);
  r.set_statements(-8);
  r.set_worker("127.0.0.1:50051");
  r.set_attempts(2);
  r.set_peak_lr(0.003);
  r.add_seeds(1);
  r.add_seeds(18446744073709551615u);
  r.set_unconfirmed_fitness(0.0);  // Set to 0 is not unset.
  r.add_lr_fitness(0.5);
  r.add_lr_fitness(0);
  return r;
}

JournalRecord ReadBack(const JournalRecord& r) {
  const std::string path = std::string(std::getenv("TEST_TMPDIR")) + "/j";
  { std::ofstream(path, std::ios::binary) << EncodeJournalLine(r); }
  absl::StatusOr<JournalContents> c = ReadJournal(path);
  EXPECT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->warning, "");
  EXPECT_EQ(c->records.size(), 1u);
  return c->records.empty() ? JournalRecord() : c->records[0];
}

TEST(JournalTest, EveryFieldRoundTrips) {
  // Every field of the record is set, so a field the encoder forgets fails.
  const JournalRecord r = Full();
  const google::protobuf::Descriptor* d = JournalRecord::descriptor();
  std::vector<const google::protobuf::FieldDescriptor*> set;
  r.GetReflection()->ListFields(r, &set);
  EXPECT_EQ(static_cast<int>(set.size()), d->field_count());
  EXPECT_TRUE(
      google::protobuf::util::MessageDifferencer::Equals(ReadBack(r), r))
      << ReadBack(r).DebugString();
}

TEST(JournalTest, DefaultsAndSingleLine) {
  JournalRecord r;
  r.set_kind(JournalRecord::RESUME);
  const std::string line = EncodeJournalLine(r);
  EXPECT_EQ(line.substr(8), " kind: RESUME\n");
  EXPECT_EQ(EncodeJournalLine(Full()).find('\n'),
            EncodeJournalLine(Full()).size() - 1);
  EXPECT_TRUE(
      google::protobuf::util::MessageDifferencer::Equals(ReadBack(r), r));
}

TEST(JournalTest, ParseHex16TakesExactlySixteenLowercaseDigits) {
  EXPECT_EQ(ParseHex16("0123456789abcdef"), 0x0123456789abcdefULL);
  EXPECT_EQ(ParseHex16("ffffffffffffffff"), 0xffffffffffffffffULL);
  for (const char* bad :
       {"", "0123456789abcde", "0123456789abcdef0", "0123456789ABCDEF",
        "+123456789abcdef", "0x23456789abcdef", " 123456789abcdef",
        "0123456789abcdeg", "-000000000000001"}) {
    EXPECT_EQ(ParseHex16(bad), std::nullopt) << bad;
  }
}

// A record with a valid CRC whose fields the replay cannot use: DataLoss
// naming the line and the field, even as the last line (a torn write cannot
// produce a valid CRC).
TEST(JournalTest, RecordsAreValidatedBeyondTheirCrc) {
  JournalRecord good;
  good.set_kind(JournalRecord::HEADER);
  auto error = [&](const JournalRecord& bad) {
    const std::string data = EncodeJournalLine(good) + EncodeJournalLine(bad);
    absl::StatusOr<JournalContents> c = ParseJournal(data, "j");
    EXPECT_EQ(c.status().code(), absl::StatusCode::kDataLoss);
    return std::string(c.status().message());
  };
  JournalRecord r = Full();
  r.set_fingerprint("+123456789abcdef");
  EXPECT_EQ(error(r),
            "j:2: fingerprint `+123456789abcdef` is not 16 hex digits (not "
            "resuming)");
  r = Full();
  r.set_structural_hash("123456789abcdef0123");  // stoull would throw.
  EXPECT_EQ(error(r),
            "j:2: structural_hash `123456789abcdef0123` is not 16 hex digits "
            "(not resuming)");
  r = Full();
  r.set_id(std::numeric_limits<int64_t>::max());
  EXPECT_EQ(error(r),
            "j:2: id 9223372036854775807 is not in [0, 2^53] (not resuming)");
  r.set_id((int64_t{1} << 53) + 1);
  EXPECT_EQ(error(r),
            "j:2: id 9007199254740993 is not in [0, 2^53] (not resuming)");
  r.set_id(int64_t{1} << 53);  // At the limit: fine.
  EXPECT_TRUE(ParseJournal(EncodeJournalLine(r), "j").ok());
  r = Full();
  r.set_parent_id(-2);
  EXPECT_EQ(error(r), "j:2: parent_id -2 is not in [-1, 2^53] (not resuming)");
  r = Full();
  r.set_fitness(std::nan(""));
  EXPECT_EQ(error(r), "j:2: fitness nan is not finite (not resuming)");
  r = Full();
  r.set_elapsed_seconds(-1);
  EXPECT_EQ(error(r),
            "j:2: elapsed_seconds -1 is not in [0, 1e15] (not resuming)");
}

TEST(JournalTest, MissingReadsEmptyDirectoryIsAnError) {
  const std::string dir = std::getenv("TEST_TMPDIR");
  absl::StatusOr<JournalContents> missing = ReadJournal(dir + "/none");
  ASSERT_TRUE(missing.ok());
  EXPECT_TRUE(missing->records.empty());
  EXPECT_EQ(ReadJournal(dir).status().message(), dir + ": is a directory");
}

TEST(JournalTest, CrcMustBeEightLowercaseHexDigits) {
  JournalRecord r;
  r.set_kind(JournalRecord::HEADER);
  const std::string line = EncodeJournalLine(r);
  ASSERT_TRUE(ParseJournal(line + line, "j").ok());
  // The same CRC value spelled with a sign or in upper case is not a CRC
  // hero wrote: the first line is then corrupt, not torn.
  std::string upper = line;
  for (int i = 0; i < 8; ++i) upper[i] = absl::ascii_toupper(upper[i]);
  std::string signed_crc = "+" + line.substr(1);
  for (const std::string& bad : {upper, signed_crc}) {
    if (bad == line) continue;  // No letter to change case of.
    EXPECT_EQ(ParseJournal(bad + line, "j").status().message(),
              "j:1: malformed CRC (the journal is corrupt before its end; not "
              "resuming)");
  }
}

}  // namespace
}  // namespace hero
