// The PyTorch and NumPy exports (hero export --to=pytorch|numpy) against
// hero: every shipped program, the random programs and the per-op sweeps
// (export_parity.h has the checks), run by Debian's /usr/bin/python3 with
// python3-torch and python3-numpy through tests/export/run_exports.py. The
// PyTorch exports of the exact-op programs also run with foreach.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gtest/gtest.h"
#include "tests/export/export_parity.h"

namespace hero {
namespace export_test {
namespace {

std::string TempPath(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return absl::StrCat(dir != nullptr ? dir : "/tmp", "/", name);
}

// Runs every job through run_exports.py and returns the results in order.
std::vector<JobResult> RunPython(const std::vector<Job>& jobs,
                                 const std::string& flavor) {
  const std::string dir = flavor == "pytorch" ? "torch" : "numpy";
  const std::string jobs_path = TempPath(flavor + "_jobs.txt");
  const std::string data_path = TempPath(flavor + "_data.bin");
  const std::string out_path = TempPath(flavor + "_out.bin");
  const std::string status_path = TempPath(flavor + "_status.txt");
  {
    std::ofstream jobs_file(jobs_path);
    std::ofstream data(data_path, std::ios::binary);
    int64_t offset = 0;
    auto put = [&](const std::vector<float>& x) {
      data.write(reinterpret_cast<const char*>(x.data()), x.size() * 4);
      offset += static_cast<int64_t>(x.size());
    };
    for (const Job& job : jobs) {
      const ParityCase& c = job.data;
      jobs_file << absl::StrFormat("tests/export/%s/%s.py %s %d %d %a %a %d %d",
                                   dir, job.program.name, flavor, job.foreach,
                                   job.lockstep, c.lr, c.lam, c.grads.size(),
                                   c.sizes.size());
      for (int64_t n : c.sizes) jobs_file << " " << n;
      jobs_file << " " << job.live[0] << " " << job.live[1] << " " << offset
                << "\n";
      put(c.w0);
      for (const std::vector<float>& g : c.grads) put(g);
      if (job.lockstep) {
        for (size_t s = 0; s < c.grads.size(); ++s) {
          put(job.reference.w[s]);
          put(job.reference.m[s]);
          put(job.reference.v[s]);
        }
      }
    }
  }
  const std::string command =
      absl::StrCat("/usr/bin/python3 tests/export/run_exports.py ", jobs_path,
                   " ", data_path, " ", out_path, " ", status_path);
  const int status = std::system(command.c_str());
  EXPECT_EQ(status, 0) << command;
  std::vector<JobResult> results(jobs.size());
  std::ifstream out(out_path, std::ios::binary);
  std::ifstream statuses(status_path);
  for (size_t j = 0; j < jobs.size(); ++j) {
    std::string line;
    if (!std::getline(statuses, line)) {
      results[j].error = "no result (run_exports.py stopped early)";
      continue;
    }
    if (line != "ok") results[j].error = line;
    for (size_t s = 0; s < jobs[j].data.grads.size(); ++s) {
      std::vector<float> w(jobs[j].data.total());
      out.read(reinterpret_cast<char*>(w.data()), w.size() * 4);
      results[j].w.push_back(std::move(w));
    }
  }
  return results;
}

void ExpectParity(const std::string& flavor) {
  const std::vector<ProgramEntry> programs =
      ReadProgramList("tests/export/programs_list.txt");
  int random = 0;
  for (const ProgramEntry& p : programs) random += p.name[0] == 'p';
  EXPECT_GE(random, 200);
  const std::vector<Job> jobs =
      MakeJobs(programs, /*foreach_too=*/flavor == "pytorch");
  const std::vector<JobResult> results = RunPython(jobs, flavor);
  ParityReport report(flavor);
  for (size_t j = 0; j < jobs.size(); ++j) report.Check(jobs[j], results[j]);
  std::cout << report.Summary() << "\n";
  EXPECT_TRUE(report.failures().empty()) << report.Summary();
}

TEST(ExportPythonTest, PyTorch) { ExpectParity("pytorch"); }

TEST(ExportPythonTest, NumPy) { ExpectParity("numpy"); }

}  // namespace
}  // namespace export_test
}  // namespace hero
