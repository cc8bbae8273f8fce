#include "tests/fuzz/fuzz_util.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace hero {
namespace {

std::string MakeTempDir() {
  const char* base = std::getenv("TEST_TMPDIR");
  if (base == nullptr) base = std::getenv("TMPDIR");
  if (base == nullptr) base = "/tmp";
  std::string pattern = std::string(base) + "/hero_fuzz.XXXXXX";
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (::mkdtemp(buffer.data()) == nullptr) {
    std::perror("mkdtemp");
    std::abort();
  }
  return buffer.data();
}

}  // namespace

const std::string& FuzzTempDir() {
  static const std::string* dir = [] {
    auto* d = new std::string(MakeTempDir());
    std::atexit([] {
      std::error_code ignored;
      std::filesystem::remove_all(FuzzTempDir(), ignored);
    });
    return d;
  }();
  return *dir;
}

void WriteFuzzFile(const std::string& path, const uint8_t* data, size_t size) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr || std::fwrite(data, 1, size, f) != size ||
      std::fclose(f) != 0) {
    std::perror(path.c_str());
    std::abort();
  }
}

void WriteFuzzFile(const std::string& path, absl::string_view data) {
  WriteFuzzFile(path, reinterpret_cast<const uint8_t*>(data.data()),
                data.size());
}

void FuzzRequire(bool ok, absl::string_view what, absl::string_view detail) {
  if (ok) return;
  std::fprintf(stderr, "fuzz oracle failed: %.*s\n%.*s\n",
               static_cast<int>(what.size()), what.data(),
               static_cast<int>(detail.size()), detail.data());
  std::abort();
}

}  // namespace hero
