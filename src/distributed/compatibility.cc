#include "src/distributed/compatibility.h"

#include <zlib.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "src/interpreter/interpreter.h"
#include "src/program/ops.h"
#include "src/program/parser.h"
#include "src/util/mix64.h"

namespace hero {
namespace {

// The statement(s) exercising `op` (writing `update`), in paper syntax.
std::string Exercise(const OpInfo& info) {
  const std::string name = info.name;
  if (info.infix != nullptr) {
    return absl::StrCat("  update = g ", info.infix, " w\n");
  }
  switch (info.kind) {
    case OpKind::kConstant:
      return absl::StrCat("  update = w * ", name, "\n");
    case OpKind::kGlobalReduction:
      return absl::StrCat("  s = ", name, info.arity == 1 ? "(g)" : "(g, w)",
                          "\n  update = w * s\n");
    case OpKind::kGlobalRescale:
      return absl::StrCat("  update = ", name, "(g, 0.5)\n");
    default:
      break;
  }
  switch (info.arity) {
    case 1:
      return absl::StrCat("  update = ", name, "(g)\n");
    case 2:
      return absl::StrCat("  update = ", name, "(g, w)\n");
    default:
      return absl::StrCat("  update = ", name, "(g, w, 0.3)\n");
  }
}

// Inputs with the values where implementations differ.
std::vector<float> Inputs(uint64_t seed) {
  const float special[] = {0.0f,
                           -0.0f,
                           1.0f,
                           -1.0f,
                           0.5f,
                           -0.999f,
                           1.5f,
                           -2.5f,
                           1e-30f,
                           std::numeric_limits<float>::denorm_min(),
                           -std::numeric_limits<float>::min(),
                           3e38f,
                           -88.7f,
                           89.0f,
                           1e-8f,
                           3.14159265f};
  std::vector<float> v(std::begin(special), std::end(special));
  uint64_t s = seed;
  while (v.size() < 64) {
    s = SplitMix64(s);
    v.push_back(static_cast<float>(static_cast<int64_t>(s >> 40) - (1 << 23)) /
                (1 << 20));
  }
  return v;
}

uint64_t ComputeFingerprint() {
  uint64_t h = 0x6865726f2d73656dULL;  // "hero-sem"
  h = HashCombine(h, kRequestRevision);
  ParameterLayout layout;
  layout.Add("a", 40);
  layout.Add("b", 24);
  for (int i = 0; i < kNumOps; ++i) {
    const OpInfo& info = GetOpInfo(static_cast<OpCode>(i));
    for (const char* c = info.name; *c; ++c) h = HashCombine(h, *c);
    h = HashCombine(h, info.arity);
    h = HashCombine(h, static_cast<int>(info.kind));
    h = HashCombine(h, static_cast<int>(info.result));
    for (int a = 0; a < kMaxArity; ++a) {
      h = HashCombine(h, static_cast<int>(info.arg_types[a]));
    }
    absl::StatusOr<Program> program =
        ParseProgram(absl::StrCat("def train(w, g, m, v, lr, λ):\n",
                                  Exercise(info), "  return update, m, v\n"),
                     "semantics");
    if (!program.ok()) {  // The table and the parser disagree: a real change.
      h = HashCombine(h, 0xbad);
      continue;
    }
    absl::StatusOr<std::unique_ptr<Interpreter>> interpreter =
        Interpreter::Create(*program, layout);
    if (!interpreter.ok()) {
      h = HashCombine(h, 0xbad + 1);
      continue;
    }
    std::vector<float> w = Inputs(1), g = Inputs(2), m(64), v(64), update(64);
    (*interpreter)
        ->Step({w.data(), g.data(), m.data(), v.data(), update.data()},
               {0.001f, 0.1f}, /*apply_update=*/true);
    for (const std::vector<float>* out : {&update, &w}) {
      for (float x : *out) {
        uint32_t bits;
        std::memcpy(&bits, &x, sizeof bits);
        h = HashCombine(h, bits);
      }
    }
  }
  return h;
}

absl::Status CrcFile(const std::string& path, uLong* crc) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(
        absl::StrCat(path, ": cannot read: ", std::strerror(errno)));
  }
  std::vector<char> buffer(1 << 16);
  int64_t size = 0;
  while (in) {
    in.read(buffer.data(), buffer.size());
    const std::streamsize n = in.gcount();
    if (n <= 0) break;
    *crc = crc32(*crc, reinterpret_cast<const Bytef*>(buffer.data()),
                 static_cast<uInt>(n));
    size += n;
  }
  const std::string size_text = absl::StrCat(":", size, ";");
  *crc = crc32(*crc, reinterpret_cast<const Bytef*>(size_text.data()),
               static_cast<uInt>(size_text.size()));
  return absl::OkStatus();
}

}  // namespace

std::string SemanticsFingerprint() {
  static const std::string* fingerprint =
      new std::string(absl::StrFormat("%016x", ComputeFingerprint()));
  return *fingerprint;
}

absl::StatusOr<std::string> DatasetChecksum(const std::string& data_dir) {
  uLong crc = crc32(0L, Z_NULL, 0);
  for (const char* file :
       {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
        "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"}) {
    if (absl::Status s = CrcFile(absl::StrCat(data_dir, "/", file), &crc);
        !s.ok()) {
      return s;
    }
  }
  return absl::StrFormat("%08x", static_cast<uint32_t>(crc));
}

std::string BuildId() {
  static const std::string* id = [] {
    uLong crc = crc32(0L, Z_NULL, 0);
    if (!CrcFile("/proc/self/exe", &crc).ok())
      return new std::string("unknown");
    return new std::string(absl::StrFormat("%08x", static_cast<uint32_t>(crc)));
  }();
  return *id;
}

}  // namespace hero
