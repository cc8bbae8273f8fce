#include "tests/cli/run_hero.h"

#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace hero {
namespace {

std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

}  // namespace

std::string TempPath(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return std::string(dir != nullptr ? dir : "/tmp") + "/" + name;
}

void WriteFile(const std::string& path, const std::string& contents) {
  std::ofstream out(path, std::ios::binary);
  out << contents;
}

std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

HeroRun RunHero(const std::vector<std::string>& args) {
  static int counter = 0;
  const std::string out_path = TempPath("hero_out_" + std::to_string(counter));
  const std::string err_path =
      TempPath("hero_err_" + std::to_string(counter++));
  std::string command = "src/cli/hero";
  for (const std::string& a : args) command += " " + Quote(a);
  command += " >" + Quote(out_path) + " 2>" + Quote(err_path);
  const int status = std::system(command.c_str());
  HeroRun run;
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.out = ReadWholeFile(out_path);
  run.err = ReadWholeFile(err_path);
  return run;
}

}  // namespace hero
