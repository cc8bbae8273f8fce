// Fuzz target: the textproto program reader and the proto form.
//
// Input: bytes read two ways — as textproto text (ParseProgramText with a
// .textproto name: the text parser, FromProto's checks, Analyze) and as a
// serialized hero.ProgramProto (the wire form the gRPC worker receives:
// ParseFromArray, FromProto, Analyze). Oracle for every valid program: its
// paper-syntax print parses back to the same print, and its textproto print
// reads back to the same program.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "google/protobuf/stubs/logging.h"
#include "proto/program.pb.h"
#include "src/program/analysis.h"
#include "src/program/parser.h"
#include "src/program/printer.h"
#include "src/program/program_proto.h"
#include "tests/fuzz/fuzz_util.h"

namespace hero {
namespace {

void CheckValidProgram(const Program& p) {
  const std::string printed = PrintProgram(p);
  absl::StatusOr<Program> again = ParseProgramText(printed, "printed.py");
  FuzzRequire(again.ok(), "the paper-syntax print of a valid program fails",
              again.ok() ? printed : std::string(again.status().message()));
  FuzzRequire(PrintProgram(*again) == printed, "print/parse is no fixpoint",
              printed);
  const std::string textproto = FormatProgram(p, ProgramFormat::kTextProto);
  absl::StatusOr<Program> back =
      ParseProgramText(textproto, "printed.textproto");
  FuzzRequire(back.ok(), "the textproto print of a valid program fails",
              back.ok() ? textproto : std::string(back.status().message()));
  FuzzRequire(PrintProgram(*back) == printed,
              "the textproto print changed the program", textproto);
}

}  // namespace
}  // namespace hero

// protobuf logs every string field with invalid UTF-8 that the wire parser
// refuses; the refusal is what matters, the log only slows the fuzzer.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  google::protobuf::SetLogHandler(nullptr);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace hero;
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<Program> program = ParseProgramText(text, "fuzz.textproto");
  if (program.ok()) CheckValidProgram(*program);

  ProgramProto proto;
  if (size <= static_cast<size_t>(INT32_MAX) &&
      proto.ParseFromArray(data, static_cast<int>(size))) {
    absl::StatusOr<Program> wire = FromProto(proto, "wire");
    if (wire.ok() && Analyze(*wire, "wire").ok()) CheckValidProgram(*wire);
  }
  return 0;
}
