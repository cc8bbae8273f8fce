// Fuzz target: the journal reader used by `hero search --resume`.
//
// The code under test is the real resume path: EvolutionSearch::Create with
// resume = true on a directory whose `journal` holds the input, which reads
// the journal (CRCs, torn last records, record checks), replays it
// (header config, programs, population, cache, restarts, counters) and
// appends a RESUME record. No evaluation runs: the pool refuses work.
//
// A CRC is a wall a fuzzer cannot climb byte by byte, so the first input
// byte chooses how the rest becomes the journal file:
//   bit 0 clear   each complete line of the rest is a record body: the
//                 harness adds its CRC (a last line without a newline stays
//                 torn), after a header record of the harness's config;
//   bit 0 set     the rest is raw journal lines (CRCs included) after that
//                 header; with bit 1 also set, without the header.
// The seeds (corpus/journal/) are journals of a real search in these forms.
#include <sys/stat.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/text_format.h"
#include "src/search/journal.h"
#include "src/search/search.h"
#include "tests/fuzz/fuzz_util.h"
#include "zlib.h"

namespace hero {
namespace {

// Never asked for work: Create() only replays.
class RefusingPool : public EvaluationPool {
 public:
  int64_t Submit(EvalRequest) override {
    FuzzRequire(false, "resume submitted an evaluation");
    return -1;
  }
  using EvaluationPool::Next;
  std::optional<Completed> Next(absl::Duration) override {
    return std::nullopt;
  }
  int pending() const override { return 0; }
  int parallelism() const override { return 1; }
};

constexpr char kWarmStart[] =
    "def train(w, g, m, v, lr, λ):\n"
    "  g2 = square(g)\n"
    "  m = interpolate(g, m, 0.9)\n"
    "  v = interpolate(g2, v, 0.999)\n"
    "  v_sqrt = sqrt(v)\n"
    "  update = m / v_sqrt\n"
    "  wd = w * λ\n"
    "  update = update + wd\n"
    "  update = update * lr\n"
    "  return update, m, v\n";

struct Harness {
  std::string dir;
  SearchConfig config;
  std::string header_line;
  RefusingPool pool;
};

Harness& GetHarness() {
  static Harness* h = [] {
    auto* h = new Harness;
    h->dir = FuzzTempDir() + "/run";
    ::mkdir(h->dir.c_str(), 0755);
    const std::string warm = FuzzTempDir() + "/adamw.py";
    WriteFuzzFile(warm, kWarmStart);
    EvolutionConfig* s = h->config.mutable_search();
    s->set_warm_start(warm);
    s->set_population_size(4);
    s->set_tournament_size(2);
    s->set_max_trained(1000);
    s->set_restart_after(50);
    JournalRecord header;
    header.set_kind(JournalRecord::HEADER);
    std::string config_text;
    google::protobuf::TextFormat::PrintToString(h->config, &config_text);
    header.set_config(config_text);
    h->header_line = EncodeJournalLine(header);
    return h;
  }();
  return *h;
}

std::string WithCrcs(absl::string_view bodies) {
  std::string out;
  while (!bodies.empty()) {
    const size_t end = bodies.find('\n');
    if (end == absl::string_view::npos) {  // A torn last record.
      out.append(bodies.data(), bodies.size());
      break;
    }
    const absl::string_view body = bodies.substr(0, end);
    const uint32_t crc = static_cast<uint32_t>(
        crc32(0L, reinterpret_cast<const Bytef*>(body.data()),
              static_cast<uInt>(body.size())));
    out += absl::StrFormat("%08x %s\n", crc, body);
    bodies.remove_prefix(end + 1);
  }
  return out;
}

}  // namespace
}  // namespace hero

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace hero;
  if (size == 0) return 0;
  Harness& h = GetHarness();
  const uint8_t mode = data[0];
  const absl::string_view rest(reinterpret_cast<const char*>(data) + 1,
                               size - 1);
  std::string journal;
  if ((mode & 1) == 0) {
    journal = h.header_line + WithCrcs(rest);
  } else if ((mode & 2) == 0) {
    journal = h.header_line + std::string(rest);
  } else {
    journal = std::string(rest);
  }
  WriteFuzzFile(h.dir + "/journal", journal);
  EvolutionSearch::Deps deps;
  deps.pool = &h.pool;
  std::string warning;
  absl::StatusOr<std::unique_ptr<EvolutionSearch>> search =
      EvolutionSearch::Create(h.config, h.dir, /*resume=*/true, deps, &warning);
  if (search.ok()) {
    // What the status line reads right after a resume.
    (*search)->progress();
  }
  return 0;
}
