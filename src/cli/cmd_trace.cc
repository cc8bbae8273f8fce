// hero trace PROGRAM --w0=FILE --grads=FILE [--lr=X] [--lam=X] [--sizes=LIST]
//
// The reference runner that exported optimizers are tested against: runs the
// program from m = v = 0 on one parameter tensor (or, with --sizes, on
// several: w0 split into tensors of those sizes, which is what `norm` acts
// on), one step per line of --grads, and prints the new w after each step.
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "src/cli/commands.h"
#include "src/cli/exit_codes.h"
#include "src/cli/flags.h"
#include "src/interpreter/interpreter.h"
#include "src/program/program_proto.h"

namespace hero {
namespace {

// Reads a file of float rows: one row per non-blank line, values separated by
// commas and/or whitespace.
absl::StatusOr<std::vector<std::vector<float>>> ReadFloatRows(
    const std::string& path) {
  std::ifstream in(path);
  if (!in)
    return absl::InvalidArgumentError(absl::StrCat(path, ": cannot open"));
  std::vector<std::vector<float>> rows;
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    std::vector<float> row;
    size_t i = 0;
    while (i < line.size()) {
      const char c = line[i];
      if (c == ',' || c == ' ' || c == '\t' || c == '\r') {
        ++i;
        continue;
      }
      size_t end = line.find_first_of(", \t\r", i);
      if (end == std::string::npos) end = line.size();
      const std::string token = line.substr(i, end - i);
      char* parsed_end = nullptr;
      const float value = std::strtof(token.c_str(), &parsed_end);
      if (parsed_end != token.c_str() + token.size()) {
        return absl::InvalidArgumentError(
            absl::StrCat(path, ":", line_no, ":", i + 1, ": malformed number `",
                         token, "`"));
      }
      row.push_back(value);
      i = end;
    }
    if (!row.empty()) rows.push_back(std::move(row));
  }
  return rows;
}

void PrintRow(const std::vector<float>& w) {
  std::string line;
  char buf[32];
  for (size_t i = 0; i < w.size(); ++i) {
    std::snprintf(buf, sizeof buf, "%.9g", static_cast<double>(w[i]));
    if (i > 0) line += ' ';
    line += buf;
  }
  line += '\n';
  std::fwrite(line.data(), 1, line.size(), stdout);
}

}  // namespace

int RunTrace(const Args& args) {
  FlagSet flags(
      "trace", "PROGRAM",
      "Runs PROGRAM as the optimizer of one parameter tensor (or of several, "
      "with\n--sizes), starting from the weights in --w0 with m = v = 0, one "
      "step per line\nof --grads (that step's gradient), and prints the new "
      "weights after each step,\none line per step, as space-separated %.9g. "
      "This is the reference that\nexported optimizers are tested against. "
      "Stops with status 1 at the first step\nwhose update, m or v is not "
      "finite (after printing that step).");
  std::string w0_path, grads_path;
  double lr = 1e-3, lam = 0.0;
  flags.AddString("w0", &w0_path,
                  "file with the initial weights: one line of floats (comma "
                  "or space separated)");
  flags.AddString("grads", &grads_path,
                  "file with one line of floats per step (same length as w0)");
  flags.AddDouble("lr", &lr, "learning rate passed to the program as `lr`");
  flags.AddDouble("lam", &lam, "weight decay passed to the program as `λ`");
  std::string sizes_flag;
  flags.AddString("sizes", &sizes_flag,
                  "comma-separated sizes of the parameter tensors w0 holds, "
                  "back to back (default: one tensor); norm is per tensor");
  if (std::optional<int> exit = ParseCommandLine(flags, args)) return *exit;
  if (flags.positional().size() != 1) {
    return ReportError(absl::InvalidArgumentError(
        "hero trace: expected one PROGRAM file (see `hero trace --help`)"));
  }
  if (w0_path.empty() || grads_path.empty()) {
    return ReportError(absl::InvalidArgumentError(
        "hero trace: --w0 and --grads are required"));
  }
  absl::StatusOr<Program> program = ReadProgramFile(flags.positional()[0]);
  if (!program.ok()) return ReportError(program.status());
  absl::StatusOr<std::vector<std::vector<float>>> w0 = ReadFloatRows(w0_path);
  if (!w0.ok()) return ReportError(w0.status());
  if (w0->size() != 1) {
    return ReportError(absl::InvalidArgumentError(absl::StrCat(
        w0_path, ": expected one line of floats, found ", w0->size())));
  }
  absl::StatusOr<std::vector<std::vector<float>>> grads =
      ReadFloatRows(grads_path);
  if (!grads.ok()) return ReportError(grads.status());
  std::vector<float> w = (*w0)[0];
  const size_t n = w.size();
  for (size_t i = 0; i < grads->size(); ++i) {
    if ((*grads)[i].size() != n) {
      return ReportError(absl::InvalidArgumentError(
          absl::StrCat(grads_path, ": step ", i + 1, " has ",
                       (*grads)[i].size(), " values; --w0 has ", n)));
    }
  }
  ParameterLayout layout;
  if (sizes_flag.empty()) {
    layout = ParameterLayout::Single(n);
  } else {
    for (absl::string_view part : absl::StrSplit(sizes_flag, ',')) {
      int64_t size = 0;
      if (!absl::SimpleAtoi(part, &size) || size <= 0) {
        return ReportError(absl::InvalidArgumentError(absl::StrCat(
            "hero trace: --sizes: `", part, "` is not a positive integer")));
      }
      layout.Add(absl::StrCat("tensor", layout.segments().size()), size);
    }
    if (layout.size() != static_cast<int64_t>(n)) {
      return ReportError(absl::InvalidArgumentError(
          absl::StrCat("hero trace: --sizes add up to ", layout.size(),
                       "; --w0 has ", n, " values")));
    }
  }
  absl::StatusOr<std::unique_ptr<Interpreter>> interpreter =
      Interpreter::Create(*program, layout);
  if (!interpreter.ok()) return ReportError(interpreter.status());
  std::vector<float> m(n, 0.0f), v(n, 0.0f);
  for (size_t step = 0; step < grads->size(); ++step) {
    StepBuffers buffers;
    buffers.w = w.data();
    buffers.g = (*grads)[step].data();
    buffers.m = m.data();
    buffers.v = v.data();
    const StepResult result =
        (*interpreter)
            ->Step(buffers, {static_cast<float>(lr), static_cast<float>(lam)},
                   /*apply_update=*/true);
    PrintRow(w);
    if (!result.finite) {
      std::fflush(stdout);
      std::cerr << "error: step " << step + 1
                << ": the program produced a non-finite update, m or v\n";
      return kExitFailure;
    }
  }
  return kExitOk;
}

}  // namespace hero
