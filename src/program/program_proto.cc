#include "src/program/program_proto.h"

#include <algorithm>
#include <cmath>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/text_format.h"
#include "src/program/analysis.h"
#include "src/program/limits.h"
#include "src/program/name_index.h"
#include "src/program/parser.h"
#include "src/program/printer.h"
#include "src/util/atomic_file.h"

namespace hero {
namespace {

using google::protobuf::TextFormat;

class ErrorCollector : public google::protobuf::io::ErrorCollector {
 public:
  explicit ErrorCollector(absl::string_view file) : file_(file) {}
  void AddError(int line, int column, const std::string& message) override {
    if (first_.empty()) {
      // protobuf's line and column are 0-based.
      first_ =
          absl::StrCat(file_, ":", line + 1, ":", column + 1, ": ", message);
    }
  }
  const std::string& first() const { return first_; }

 private:
  std::string file_;
  std::string first_;
};

constexpr absl::string_view kByteOrderMark = "\xEF\xBB\xBF";

// Why `name` cannot name a variable in the paper syntax, or "" if it can:
// every program must print as paper syntax that parses back (the journal
// stores programs that way).
std::string BadName(absl::string_view name) {
  if (name.empty()) return "empty name";
  if (name.size() > kMaxNameBytes) {
    return absl::StrCat("name longer than ", kMaxNameBytes,
                        " bytes (the name length limit)");
  }
  if (IsLambdaName(name)) return "";
  const bool identifier = (absl::ascii_isalpha(name[0]) || name[0] == '_') &&
                          std::all_of(name.begin(), name.end(), [](char c) {
                            return absl::ascii_isalnum(c) || c == '_';
                          });
  if (!identifier) {
    return absl::StrCat("`", absl::CHexEscape(name),
                        "` is not a name (letters, digits and _, not "
                        "starting with a digit)");
  }
  if (name == "return") return "`return` is a keyword";
  return "";
}

SourcePos PosOf(const TextFormat::ParseInfoTree* tree,
                const google::protobuf::FieldDescriptor* field, int index) {
  if (tree == nullptr) return {};
  const TextFormat::ParseLocation loc = tree->GetLocation(field, index);
  if (loc.line < 0) return {};
  return SourcePos{loc.line + 1, loc.column + 1};
}

absl::StatusOr<Program> Convert(const ProgramProto& proto,
                                absl::string_view file,
                                const TextFormat::ParseInfoTree* tree) {
  const auto* desc = ProgramProto::descriptor();
  const auto* stmt_field = desc->FindFieldByName("statements");
  const auto* sdesc = StatementProto::descriptor();
  const auto* out_field = sdesc->FindFieldByName("output");
  const auto* op_field = sdesc->FindFieldByName("op");
  const auto* args_field = sdesc->FindFieldByName("args");

  Program program;
  if (proto.statements_size() > kMaxStatements) {
    return absl::InvalidArgumentError(absl::StrCat(
        file, ": statements: ", proto.statements_size(),
        " statements, more than ", kMaxStatements, " (the statement limit)"));
  }
  NameIndex names(&program);
  for (int i = 0; i < proto.statements_size(); ++i) {
    const StatementProto& sp = proto.statements(i);
    const TextFormat::ParseInfoTree* st =
        tree == nullptr ? nullptr : tree->GetTreeForNested(stmt_field, i);
    const SourcePos stmt_pos = PosOf(tree, stmt_field, i);
    auto error = [&](const google::protobuf::FieldDescriptor* field, int index,
                     absl::string_view path, absl::string_view message) {
      SourcePos pos = PosOf(st, field, index);
      if (pos.line == 0) pos = stmt_pos;
      std::string where = absl::StrCat(file, ":");
      if (pos.line > 0) absl::StrAppend(&where, pos.line, ":", pos.column, ":");
      return absl::InvalidArgumentError(
          absl::StrCat(where, " statements[", i, "]", path, ": ", message));
    };
    std::optional<OpCode> op = FindOp(sp.op());
    if (!op.has_value() || IsConstantOp(*op)) {
      return error(op_field, -1, ".op",
                   absl::StrCat("unknown function `", sp.op(), "`"));
    }
    if (sp.output().empty()) {
      return error(out_field, -1, ".output", "missing output variable");
    }
    if (std::string bad = BadName(sp.output()); !bad.empty()) {
      return error(out_field, -1, ".output", bad);
    }
    if (FindOp(sp.output()).has_value()) {
      return error(out_field, -1, ".output",
                   absl::StrCat("cannot assign to `", sp.output(), "`"));
    }
    const OpInfo& info = GetOpInfo(*op);
    if (sp.args_size() != info.arity) {
      return error(op_field, -1, ".args",
                   absl::StrCat("`", info.name, "` takes ", info.arity,
                                " arguments, got ", sp.args_size()));
    }
    Statement s;
    s.op = *op;
    s.pos[0] = PosOf(st, out_field, -1);
    for (int a = 0; a < sp.args_size(); ++a) {
      const ArgProto& ap = sp.args(a);
      s.pos[1 + a] = PosOf(st, args_field, a);
      switch (ap.kind_case()) {
        case ArgProto::kVar:
          if (FindOp(ap.var()).has_value()) {
            return error(args_field, a, absl::StrCat(".args[", a, "]"),
                         absl::StrCat("`", ap.var(),
                                      "` is not a variable (use `named` for "
                                      "constants)"));
          }
          if (std::string bad = BadName(ap.var()); !bad.empty()) {
            return error(args_field, a, absl::StrCat(".args[", a, "]"), bad);
          }
          if (std::optional<int> reg = names.Add(ap.var()); reg.has_value()) {
            s.args[a] = Arg::Var(*reg);
          } else {
            return error(args_field, a, absl::StrCat(".args[", a, "]"),
                         absl::StrCat("more than ", kMaxNames,
                                      " distinct names (the name limit)"));
          }
          break;
        case ArgProto::kConstant:
          if (!std::isfinite(ap.constant())) {
            return error(args_field, a, absl::StrCat(".args[", a, "]"),
                         absl::StrCat("constant ", ap.constant(),
                                      " is not a finite float32"));
          }
          s.args[a] = Arg::Literal(ap.constant());
          break;
        case ArgProto::kNamed: {
          std::optional<OpCode> c = FindOp(ap.named());
          if (!c.has_value() || !IsConstantOp(*c)) {
            return error(args_field, a, absl::StrCat(".args[", a, "]"),
                         absl::StrCat("unknown constant `", ap.named(),
                                      "` (pi, e, eps)"));
          }
          s.args[a] = Arg::Named(*c);
          break;
        }
        case ArgProto::KIND_NOT_SET:
          return error(args_field, a, absl::StrCat(".args[", a, "]"),
                       "empty argument: set var, constant or named");
      }
    }
    std::optional<int> out = names.Add(sp.output());
    if (!out.has_value()) {
      return error(out_field, -1, ".output",
                   absl::StrCat("more than ", kMaxNames,
                                " distinct names (the name limit)"));
    }
    s.out = static_cast<int16_t>(*out);
    program.statements.push_back(s);
  }
  if (!names.Add("update").has_value()) {
    return absl::InvalidArgumentError(absl::StrCat(
        file, ": more than ", kMaxNames, " distinct names (the name limit)"));
  }
  return program;
}

bool IsTextProtoName(absl::string_view file) {
  for (absl::string_view ext : {".textproto", ".txtpb", ".pbtxt", ".pb.txt"}) {
    if (absl::EndsWith(file, ext)) return true;
  }
  return false;
}

bool LooksLikePython(absl::string_view text) {
  absl::ConsumePrefix(&text, kByteOrderMark);
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line[0] == '#') continue;
    return absl::StartsWith(line, "def ");
  }
  return false;
}

}  // namespace

ProgramProto ToProto(const Program& program) {
  ProgramProto proto;
  for (const Statement& s : program.statements) {
    StatementProto* sp = proto.add_statements();
    sp->set_output(program.names[s.out]);
    sp->set_op(GetOpInfo(s.op).name);
    for (int a = 0; a < s.arity(); ++a) {
      const Arg& arg = s.args[a];
      ArgProto* ap = sp->add_args();
      if (arg.is_var()) {
        ap->set_var(program.names[arg.reg]);
      } else if (arg.named) {
        ap->set_named(GetOpInfo(arg.constant_op).name);
      } else {
        ap->set_constant(arg.value);
      }
    }
  }
  return proto;
}

absl::StatusOr<Program> FromProto(const ProgramProto& proto,
                                  absl::string_view file) {
  return Convert(proto, file, nullptr);
}

absl::StatusOr<Program> ParseProgramTextProto(absl::string_view text,
                                              absl::string_view file) {
  if (static_cast<int64_t>(text.size()) > kMaxProgramBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat(file, ": larger than the program size limit of ",
                     kMaxProgramBytes, " bytes"));
  }
  absl::ConsumePrefix(&text, kByteOrderMark);
  ProgramProto proto;
  TextFormat::Parser parser;
  ErrorCollector errors(file);
  TextFormat::ParseInfoTree tree;
  parser.RecordErrorsTo(&errors);
  parser.WriteLocationsTo(&tree);
  google::protobuf::io::ArrayInputStream input(text.data(),
                                               static_cast<int>(text.size()));
  if (!parser.Parse(&input, &proto)) {
    return absl::InvalidArgumentError(
        errors.first().empty() ? absl::StrCat(file, ": malformed textproto")
                               : errors.first());
  }
  return Convert(proto, file, &tree);
}

absl::StatusOr<Program> ParseProgramText(absl::string_view text,
                                         absl::string_view file) {
  const bool python = absl::EndsWith(file, ".py") ||
                      (!IsTextProtoName(file) && LooksLikePython(text));
  absl::StatusOr<Program> program =
      python ? ParseProgram(text, file) : ParseProgramTextProto(text, file);
  if (!program.ok()) return program.status();
  if (absl::StatusOr<Analysis> a = Analyze(*program, file); !a.ok()) {
    return a.status();
  }
  return program;
}

absl::StatusOr<Program> ReadProgramFile(const std::string& path) {
  absl::StatusOr<std::string> text =
      ReadFile(path, ReadFileLimit{kMaxProgramBytes, "the program size limit"});
  if (!text.ok()) {
    // Bad input whatever the cause (missing, a directory, too large): exit 2.
    return absl::InvalidArgumentError(text.status().message());
  }
  return ParseProgramText(*text, path);
}

std::string FormatProgram(const Program& program, ProgramFormat format) {
  if (format == ProgramFormat::kPython) return PrintProgram(program);
  std::string out;
  TextFormat::Printer printer;
  printer.PrintToString(ToProto(program), &out);
  return out;
}

}  // namespace hero
