// FlagSet: the command-line flags of one `hero` subcommand.
//
// Each subcommand declares its flags (with defaults and help) and positional
// arguments; FlagSet parses `--name=value`, `--name value`, `--bool`,
// `--nobool`, `-o value` style aliases and `--`, and renders `--help`.
// Unknown flags and malformed values are errors naming the flag, which the
// command reports with exit status 2.
//
//   FlagSet flags("show", "PROGRAM", "Prints a program.");
//   std::string format = "python";
//   flags.AddString("format", &format, "python or textproto");
//   if (std::optional<int> exit = ParseCommandLine(flags, args)) return *exit;
#ifndef HERO_CLI_FLAGS_H_
#define HERO_CLI_FLAGS_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"

namespace hero {

class FlagSet {
 public:
  FlagSet(std::string command, std::string positional_usage,
          std::string description);

  void AddString(const std::string& name, std::string* target,
                 const std::string& help);
  void AddDouble(const std::string& name, double* target,
                 const std::string& help);
  void AddInt(const std::string& name, int64_t* target,
              const std::string& help);
  void AddBool(const std::string& name, bool* target, const std::string& help);
  // `-x VALUE` as another spelling of `--name=VALUE`.
  void AddAlias(char short_name, const std::string& name);

  // Parses the arguments after the command name. Positional arguments are
  // collected in order. `--help`/`-h` anywhere sets help().
  absl::Status Parse(const std::vector<std::string>& args);

  bool help() const { return help_; }
  const std::vector<std::string>& positional() const { return positional_; }
  // True if the flag was given on the command line.
  bool IsSet(const std::string& name) const;
  std::string Help() const;

 private:
  struct Flag {
    std::string name;
    std::string help;
    std::string default_value;
    bool is_bool = false;
    bool set = false;
    std::function<bool(const std::string&)> parse;  // False on bad value.
  };
  Flag* Find(const std::string& name);
  void Add(Flag flag);

  std::string command_;
  std::string positional_usage_;
  std::string description_;
  std::vector<Flag> flags_;
  std::vector<std::pair<char, std::string>> aliases_;
  std::vector<std::string> positional_;
  bool help_ = false;
};

// What every command does with its arguments: parses them into `flags`; if
// that fails, reports the error (exit_codes.h) and returns its exit status;
// if --help was given, prints the help to stdout and returns 0; otherwise
// returns nullopt and the command goes on.
std::optional<int> ParseCommandLine(FlagSet& flags,
                                    const std::vector<std::string>& args);

}  // namespace hero

#endif  // HERO_CLI_FLAGS_H_
