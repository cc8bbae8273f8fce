// HeroProcess: a `hero` subprocess (a worker, or a search run as a
// coordinator) that a test can signal, kill and wait for; its stdout and
// stderr go to files under TEST_TMPDIR.
//
//   HeroProcess worker = HeroProcess::Worker("w1", {"--threads=1"});
//   ASSERT_TRUE(worker.WaitForPort());
//   ... worker.address() ...
//   worker.Signal(SIGSTOP);
#ifndef HERO_TESTS_DISTRIBUTED_HERO_PROCESS_H_
#define HERO_TESTS_DISTRIBUTED_HERO_PROCESS_H_

#include <sys/types.h>

#include <string>
#include <vector>

namespace hero {

class HeroProcess {
 public:
  // Runs `hero args...`; output in TEST_TMPDIR/<name>.{out,err}.
  HeroProcess(const std::string& name, const std::vector<std::string>& args);
  // `hero worker --listen=127.0.0.1:PORT --port_file=... extra...` (port 0:
  // any free port).
  static HeroProcess Worker(const std::string& name,
                            const std::vector<std::string>& extra,
                            int port = 0);
  HeroProcess(HeroProcess&& other) noexcept;
  HeroProcess& operator=(HeroProcess&&) = delete;
  HeroProcess(const HeroProcess&) = delete;
  ~HeroProcess();  // SIGKILLs it if still running.

  // For workers: waits until the port file appears (or the process ends).
  bool WaitForPort(int seconds = 60);
  int port() const { return port_; }
  std::string address() const;

  void Signal(int signal);
  // Waits for the process to end; its exit code, or 128 + signal.
  int Wait();
  // True if it has not ended (reaps it if it has).
  bool Running();
  std::string out() const;
  std::string err() const;
  pid_t pid() const { return pid_; }

 private:
  std::string name_;
  std::string port_file_;
  pid_t pid_ = -1;
  int port_ = 0;
  int exit_code_ = -1;
};

// Text of a file ("" if missing).
std::string ReadFileText(const std::string& path);
// TEST_TMPDIR/name.
std::string TmpPath(const std::string& name);
// A loopback port nothing listens on right now.
int UnusedPort();
// The grpc.health.v1.Health/Check status (service "") at `address`, asked
// with raw bytes: 1 SERVING, 2 NOT_SERVING, -1 no answer.
int HealthStatus(const std::string& address);

}  // namespace hero

#endif  // HERO_TESTS_DISTRIBUTED_HERO_PROCESS_H_
