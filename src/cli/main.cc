// hero: discovers optimizers. `hero --help` lists the commands.
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "src/cli/commands.h"
#include "src/cli/exit_codes.h"

namespace hero {
namespace {

void PrintUsage(std::ostream& out) {
  out << "usage: hero COMMAND [args] [flags]\n\n"
         "hero discovers optimizers: it evolves small symbolic programs "
         "(warm-started\nfrom AdamW), scores each by training a small vision "
         "model on Fashion-MNIST,\nand simplifies and exports the winner.\n\n"
         "commands:\n";
  for (const CommandInfo& c : Commands()) {
    out << absl::StrFormat("  %-10s %s\n", c.name, c.summary);
  }
  out << "\n`hero COMMAND --help` describes a command's arguments and flags.\n";
}

int Main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    PrintUsage(std::cerr);
    return kExitBadInput;
  }
  const std::string command = args[0];
  if (command == "--help" || command == "-h" || command == "help") {
    if (args.size() > 1) {
      for (const CommandInfo& c : Commands()) {
        if (args[1] == c.name) return c.run({"--help"});
      }
    }
    PrintUsage(std::cout);
    return kExitOk;
  }
  for (const CommandInfo& c : Commands()) {
    if (command == c.name) {
      return c.run(std::vector<std::string>(args.begin() + 1, args.end()));
    }
  }
  std::cerr << "hero: unknown command `" << command << "`\n\n";
  PrintUsage(std::cerr);
  return kExitBadInput;
}

}  // namespace
}  // namespace hero

int main(int argc, char** argv) { return hero::Main(argc, argv); }
