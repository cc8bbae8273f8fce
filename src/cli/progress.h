// ProgressLine: a live status line on stderr when stderr is a terminal.
//
//   ProgressLine progress;
//   progress.Update("step 120/3000  loss 0.41");   // redrawn in place
//   progress.Done();                                // clears the line
//
// When stderr is not a terminal, Update prints nothing unless `log_every`
// seconds have passed since the last printed line (0 = never print), so logs
// stay readable.
#ifndef HERO_CLI_PROGRESS_H_
#define HERO_CLI_PROGRESS_H_

#include <chrono>
#include <string>

namespace hero {

class ProgressLine {
 public:
  explicit ProgressLine(double log_every_seconds = 0);
  ~ProgressLine();

  void Update(const std::string& text);
  // Clears the live line (terminal) so that normal output can follow.
  void Done();
  bool is_terminal() const { return terminal_; }

 private:
  bool terminal_;
  double log_every_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point last_log_;
};

// "1:02:03" / "4:05" / "7s".
std::string FormatDuration(double seconds);

}  // namespace hero

#endif  // HERO_CLI_PROGRESS_H_
