#include "tests/distributed/hero_process.h"

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <future>
#include <sstream>
#include <thread>

#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"

namespace hero {

std::string TmpPath(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return std::string(dir != nullptr ? dir : "/tmp") + "/" + name;
}

std::string ReadFileText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

int UnusedPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr = {};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

int HealthStatus(const std::string& address) {
  grpc::GenericStub stub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(5));
  grpc::Slice empty("");  // An empty HealthCheckRequest: service "".
  grpc::ByteBuffer request(&empty, 1), response;
  std::promise<grpc::Status> status;
  stub.UnaryCall(&context, "/grpc.health.v1.Health/Check", grpc::StubOptions(),
                 &request, &response,
                 [&](grpc::Status s) { status.set_value(s); });
  if (!status.get_future().get().ok()) return -1;
  std::vector<grpc::Slice> slices;
  response.Dump(&slices);
  std::string bytes;
  for (const grpc::Slice& s : slices) {
    bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
  }
  // HealthCheckResponse{status = N}: field 1, varint.
  return bytes.size() == 2 && bytes[0] == 0x08 ? bytes[1] : 0;
}

HeroProcess::HeroProcess(const std::string& name,
                         const std::vector<std::string>& args)
    : name_(name) {
  for (const std::string& a : args) {
    if (a.rfind("--port_file=", 0) == 0) port_file_ = a.substr(12);
  }
  // The child would otherwise flush a copy of our buffered output.
  std::fflush(stdout);
  std::fflush(stderr);
  pid_ = fork();
  if (pid_ == 0) {
    // 126 (not 127) if the output files cannot be opened, so a failed
    // start names its cause.
    if (std::freopen(TmpPath(name + ".out").c_str(), "w", stdout) == nullptr ||
        std::freopen(TmpPath(name + ".err").c_str(), "w", stderr) == nullptr) {
      _exit(126);
    }
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>("hero"));
    for (const std::string& a : args)
      argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv("src/cli/hero", argv.data());
    _exit(127);
  }
}

HeroProcess HeroProcess::Worker(const std::string& name,
                                const std::vector<std::string>& extra,
                                int port) {
  std::vector<std::string> args = {
      "worker", "--listen=127.0.0.1:" + std::to_string(port),
      "--port_file=" + TmpPath(name + ".port"), "--worker_id=" + name};
  args.insert(args.end(), extra.begin(), extra.end());
  std::remove(TmpPath(name + ".port").c_str());
  return HeroProcess(name, args);
}

HeroProcess::HeroProcess(HeroProcess&& other) noexcept
    : name_(std::move(other.name_)),
      port_file_(std::move(other.port_file_)),
      pid_(other.pid_),
      port_(other.port_),
      exit_code_(other.exit_code_) {
  other.pid_ = -1;
}

HeroProcess::~HeroProcess() {
  if (pid_ > 0 && Running()) {
    kill(pid_, SIGKILL);
    Wait();
  }
}

bool HeroProcess::WaitForPort(int seconds) {
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    const std::string text = ReadFileText(port_file_);
    if (!text.empty() && text.back() == '\n') {
      port_ = std::atoi(text.c_str());
      return port_ > 0;
    }
    if (!Running()) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

std::string HeroProcess::address() const {
  return "127.0.0.1:" + std::to_string(port_);
}

void HeroProcess::Signal(int signal) {
  if (pid_ > 0) kill(pid_, signal);
}

int HeroProcess::Wait() {
  if (exit_code_ >= 0 || pid_ <= 0) return exit_code_;
  int status = 0;
  waitpid(pid_, &status, 0);
  exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return exit_code_;
}

bool HeroProcess::Running() {
  if (exit_code_ >= 0 || pid_ <= 0) return false;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) == pid_) {
    exit_code_ =
        WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return false;
  }
  return true;
}

std::string HeroProcess::out() const {
  return ReadFileText(TmpPath(name_ + ".out"));
}
std::string HeroProcess::err() const {
  return ReadFileText(TmpPath(name_ + ".err"));
}

}  // namespace hero
