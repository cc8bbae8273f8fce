// The journal's line format: every field survives a round trip through
// protobuf's own text parser, including awkward strings.
#include "src/search/journal.h"

#include <fstream>

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
  r.set_program("def train(w, g, m, v, lr, λ):\n  update = sign(g)\n\treturn\n");
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
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(ReadBack(r), r))
      << ReadBack(r).DebugString();
}

TEST(JournalTest, DefaultsAndSingleLine) {
  JournalRecord r;
  r.set_kind(JournalRecord::RESUME);
  const std::string line = EncodeJournalLine(r);
  EXPECT_EQ(line.substr(8), " kind: RESUME\n");
  EXPECT_EQ(EncodeJournalLine(Full()).find('\n'),
            EncodeJournalLine(Full()).size() - 1);
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(ReadBack(r), r));
}

}  // namespace
}  // namespace hero
