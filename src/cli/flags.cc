#include "src/cli/flags.h"

#include <iostream>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "src/cli/exit_codes.h"

namespace hero {

FlagSet::FlagSet(std::string command, std::string positional_usage,
                 std::string description)
    : command_(std::move(command)),
      positional_usage_(std::move(positional_usage)),
      description_(std::move(description)) {}

void FlagSet::Add(Flag flag) { flags_.push_back(std::move(flag)); }

void FlagSet::AddString(const std::string& name, std::string* target,
                        const std::string& help) {
  Add({name, help, *target, false, false, [target](const std::string& v) {
         *target = v;
         return true;
       }});
}

void FlagSet::AddDouble(const std::string& name, double* target,
                        const std::string& help) {
  Add({name, help, absl::StrCat(*target), false, false,
       [target](const std::string& v) { return absl::SimpleAtod(v, target); }});
}

void FlagSet::AddInt(const std::string& name, int64_t* target,
                     const std::string& help) {
  Add({name, help, absl::StrCat(*target), false, false,
       [target](const std::string& v) { return absl::SimpleAtoi(v, target); }});
}

void FlagSet::AddBool(const std::string& name, bool* target,
                      const std::string& help) {
  Add({name, help, *target ? "true" : "false", true, false,
       [target](const std::string& v) { return absl::SimpleAtob(v, target); }});
}

void FlagSet::AddAlias(char short_name, const std::string& name) {
  aliases_.emplace_back(short_name, name);
}

FlagSet::Flag* FlagSet::Find(const std::string& name) {
  for (Flag& f : flags_) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

bool FlagSet::IsSet(const std::string& name) const {
  for (const Flag& f : flags_) {
    if (f.name == name) return f.set;
  }
  return false;
}

absl::Status FlagSet::Parse(const std::vector<std::string>& args) {
  auto bad = [&](const std::string& message) {
    return absl::InvalidArgumentError(absl::StrCat("hero ", command_, ": ",
                                                   message, " (see `hero ",
                                                   command_, " --help`)"));
  };
  bool only_positional = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (only_positional || arg == "-" || arg.empty() || arg[0] != '-') {
      positional_.push_back(arg);
      continue;
    }
    if (arg == "--") {
      only_positional = true;
      continue;
    }
    if (arg == "--help" || arg == "-h" || arg == "-help") {
      help_ = true;
      continue;
    }
    std::string name, value;
    bool has_value = false;
    if (arg.size() == 2 && arg[0] == '-' && arg[1] != '-') {
      for (const auto& [c, long_name] : aliases_) {
        if (c == arg[1]) name = long_name;
      }
      if (name.empty()) return bad(absl::StrCat("unknown flag `", arg, "`"));
    } else {
      std::string body = arg.substr(arg[1] == '-' ? 2 : 1);
      const size_t eq = body.find('=');
      name = body.substr(0, eq);
      if (eq != std::string::npos) {
        value = body.substr(eq + 1);
        has_value = true;
      }
    }
    Flag* flag = Find(name);
    if (flag == nullptr && !has_value && name.rfind("no", 0) == 0) {
      Flag* negated = Find(name.substr(2));
      if (negated != nullptr && negated->is_bool) {
        negated->parse("false");
        negated->set = true;
        continue;
      }
    }
    if (flag == nullptr)
      return bad(absl::StrCat("unknown flag `--", name, "`"));
    if (!has_value) {
      if (flag->is_bool) {
        value = "true";
      } else if (i + 1 < args.size()) {
        value = args[++i];
      } else {
        return bad(absl::StrCat("flag `--", name, "` needs a value"));
      }
    }
    if (!flag->parse(value)) {
      return bad(
          absl::StrCat("bad value `", value, "` for flag `--", name, "`"));
    }
    flag->set = true;
  }
  return absl::OkStatus();
}

std::string FlagSet::Help() const {
  std::string out = absl::StrCat("usage: hero ", command_);
  if (!positional_usage_.empty()) absl::StrAppend(&out, " ", positional_usage_);
  if (!flags_.empty()) out += " [flags]";
  absl::StrAppend(&out, "\n\n", description_, "\n");
  if (!flags_.empty()) out += "\nflags:\n";
  for (const Flag& f : flags_) {
    std::string spelled = absl::StrCat("--", f.name);
    for (const auto& [c, long_name] : aliases_) {
      if (long_name == f.name)
        spelled = absl::StrCat("-", std::string(1, c), ", ", spelled);
    }
    if (!f.is_bool) spelled += "=VALUE";
    absl::StrAppendFormat(&out, "  %-26s %s", spelled, f.help);
    // A help text that states its default itself (a sentinel value stands
    // for "not given") does not get the sentinel printed after it.
    if (!f.default_value.empty() && !absl::StrContains(f.help, "(default: ")) {
      absl::StrAppend(&out, " (default: ", f.default_value, ")");
    }
    out += "\n";
  }
  out += "  --help                     print this help\n";
  return out;
}

std::optional<int> ParseCommandLine(FlagSet& flags,
                                    const std::vector<std::string>& args) {
  if (absl::Status s = flags.Parse(args); !s.ok()) return ReportError(s);
  if (flags.help()) {
    std::cout << flags.Help();
    return kExitOk;
  }
  return std::nullopt;
}

}  // namespace hero
