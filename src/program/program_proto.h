// Conversion between Program and its protobuf form (proto/program.proto), and
// reading/writing program files in either form.
//
//   absl::StatusOr<Program> p = ReadProgramFile("configs/programs/adamw.py");
//   std::string text = FormatProgram(*p, ProgramFormat::kTextProto);
//
// Files ending in `.py` are paper syntax; `.textproto`, `.txtpb`, `.pbtxt` and
// `.pb.txt` are textproto; anything else is paper syntax if its first word is
// `def`, textproto otherwise. Every error names the file, and the line and
// column where there is one; ReadProgramFile also runs Analyze(), so a program
// it returns is valid. Every reader here enforces the limits of limits.h
// (FromProto: statements, distinct names, names that are identifiers of at
// most kMaxNameBytes, finite constants), so programs from the network get
// the same checks as files.
#ifndef HERO_PROGRAM_PROGRAM_PROTO_H_
#define HERO_PROGRAM_PROGRAM_PROTO_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "proto/program.pb.h"
#include "src/program/program.h"

namespace hero {

enum class ProgramFormat { kPython, kTextProto };

ProgramProto ToProto(const Program& program);

// Checks op names and arities; names become registers. Positions are taken
// from `locations` when given (see ParseProgramTextProto).
absl::StatusOr<Program> FromProto(const ProgramProto& proto,
                                  absl::string_view file);

// Parses textproto text of a ProgramProto, recording each statement's
// position for later error messages.
absl::StatusOr<Program> ParseProgramTextProto(absl::string_view text,
                                              absl::string_view file);

// Parses `text` in the format implied by `file`'s name (see above), then
// validates it with Analyze().
absl::StatusOr<Program> ParseProgramText(absl::string_view text,
                                         absl::string_view file);

// Reads and validates a program file.
absl::StatusOr<Program> ReadProgramFile(const std::string& path);

std::string FormatProgram(const Program& program, ProgramFormat format);

}  // namespace hero

#endif  // HERO_PROGRAM_PROGRAM_PROTO_H_
