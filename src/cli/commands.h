// The `hero` subcommands. Each takes the arguments after its name and
// returns the process exit status: 0 success, 2 bad usage or bad input (a
// message naming the file, line and column or the flag/field has been printed
// to stderr), 1 a runtime failure.
#ifndef HERO_CLI_COMMANDS_H_
#define HERO_CLI_COMMANDS_H_

#include <string>
#include <vector>

namespace hero {

using Args = std::vector<std::string>;

struct CommandInfo {
  const char* name;
  const char* summary;
  int (*run)(const Args& args);
};

// All commands, in the order `hero --help` lists them.
const std::vector<CommandInfo>& Commands();

int RunShow(const Args& args);
int RunTrace(const Args& args);
int RunEval(const Args& args);
int RunTune(const Args& args);
int RunCompare(const Args& args);
int RunSearch(const Args& args);
int RunSimplify(const Args& args);
int RunWorker(const Args& args);
int RunExport(const Args& args);
int RunLineage(const Args& args);

}  // namespace hero

#endif  // HERO_CLI_COMMANDS_H_
