// RunHero: runs the `hero` binary (a data dependency of the test) as a
// subprocess and captures its exit status, stdout and stderr.
#ifndef HERO_TESTS_CLI_RUN_HERO_H_
#define HERO_TESTS_CLI_RUN_HERO_H_

#include <string>
#include <vector>

namespace hero {

struct HeroRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// `args` are passed through a shell, each single-quoted.
HeroRun RunHero(const std::vector<std::string>& args);

// A fresh path under TEST_TMPDIR.
std::string TempPath(const std::string& name);
void WriteFile(const std::string& path, const std::string& contents);
std::string ReadWholeFile(const std::string& path);

}  // namespace hero

#endif  // HERO_TESTS_CLI_RUN_HERO_H_
