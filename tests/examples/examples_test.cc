// The README's worked examples run, with small budgets: the native Lion
// from C++ (examples/native_lion.cc), and Hero-Lion exported to PyTorch
// training a model (examples/pytorch_hero_lion.py). Both must learn.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "proto/optimizer_state.pb.h"

namespace hero {
namespace {

std::string TempPath(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return absl::StrCat(dir != nullptr ? dir : "/tmp", "/", name);
}

std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs `command`, returns its stdout; fails the test on a non-zero status.
std::string RunCommand(const std::string& command) {
  const std::string out = TempPath("out.txt");
  const int status = std::system(absl::StrCat(command, " > ", out).c_str());
  EXPECT_EQ(status, 0) << command;
  return Read(out);
}

double FinalAccuracy(const std::string& out) {
  const size_t at = out.rfind("validation accuracy ");
  if (at == std::string::npos) return -1;
  return std::atof(out.c_str() + at + 20);
}

TEST(ExamplesTest, NativeLionFromCppLearnsAndSavesItsState) {
  const std::string state_path = TempPath("lion_state.pb");
  const std::string out =
      RunCommand(absl::StrCat("examples/native_lion 400 ", state_path));
  EXPECT_GT(FinalAccuracy(out), 0.75) << out;
  OptimizerState state;
  ASSERT_TRUE(state.ParseFromString(Read(state_path)));
  EXPECT_EQ(state.optimizer(), "lion");
  EXPECT_EQ(state.step(), 400);
  EXPECT_EQ(state.tensors_size(), 4);  // Two weights, two biases.
}

TEST(ExamplesTest, ExportedHeroLionTrainsAPyTorchModel) {
  const std::string exported = TempPath("hero_lion.py");
  RunCommand(
      absl::StrCat("src/cli/hero export configs/programs/hero_lion.py "
                   "--to=pytorch -o ",
                   exported));
  const std::string out =
      RunCommand(absl::StrCat("/usr/bin/python3 examples/pytorch_hero_lion.py ",
                              exported, " --steps=400"));
  EXPECT_GT(FinalAccuracy(out), 0.75) << out;
}

}  // namespace
}  // namespace hero
