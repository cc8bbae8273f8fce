#include "src/cli/progress.h"

#include <unistd.h>

#include <cmath>
#include <cstdio>

#include "absl/strings/str_format.h"

namespace hero {

ProgressLine::ProgressLine(double log_every_seconds)
    : terminal_(::isatty(STDERR_FILENO) == 1),
      log_every_(log_every_seconds),
      last_log_(std::chrono::steady_clock::now()) {}

ProgressLine::~ProgressLine() { Done(); }

void ProgressLine::Update(const std::string& text) {
  if (terminal_) {
    std::fprintf(stderr, "\r\033[K%s", text.c_str());
    std::fflush(stderr);
    shown_ = true;
    return;
  }
  if (log_every_ <= 0) return;
  const auto now = std::chrono::steady_clock::now();
  if (std::chrono::duration<double>(now - last_log_).count() >= log_every_) {
    std::fprintf(stderr, "%s\n", text.c_str());
    last_log_ = now;
  }
}

void ProgressLine::Done() {
  if (terminal_ && shown_) {
    std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
    shown_ = false;
  }
}

std::string FormatDuration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  const int64_t s = static_cast<int64_t>(std::llround(seconds));
  if (s < 60) return absl::StrFormat("%ds", s);
  if (s < 3600) return absl::StrFormat("%d:%02d", s / 60, s % 60);
  return absl::StrFormat("%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
}

}  // namespace hero
