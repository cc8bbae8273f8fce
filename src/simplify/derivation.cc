#include "src/simplify/derivation.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace hero {

void Derivation::AddStep(Step step) {
  Entry e;
  e.is_step = true;
  e.step = std::move(step);
  entries_.push_back(std::move(e));
}

void Derivation::AddNote(std::vector<std::string> lines) {
  Entry e;
  e.is_step = false;
  e.lines = std::move(lines);
  entries_.push_back(std::move(e));
}

int Derivation::num_steps() const {
  int n = 0;
  for (const Entry& e : entries_) n += e.is_step;
  return n;
}

std::vector<std::string> Derivation::RuleNames() const {
  std::vector<std::string> out;
  for (const Entry& e : entries_) {
    if (e.is_step) out.push_back(e.step.rule);
  }
  return out;
}

std::string Derivation::ToText(int first_step) const {
  std::string out;
  int number = first_step - 1;
  for (const Entry& e : entries_) {
    if (!e.is_step) {
      for (const std::string& line : e.lines)
        absl::StrAppend(&out, "     ", line, "\n");
      continue;
    }
    const Step& s = e.step;
    absl::StrAppend(&out, absl::StrFormat("%3d. ", ++number), s.rule, ": ",
                    s.description);
    if (s.fitness_before.has_value() && s.fitness_after.has_value()) {
      absl::StrAppend(
          &out, absl::StrFormat(" (fitness %.4f → %.4f)", *s.fitness_before,
                                *s.fitness_after));
    }
    out += "\n";
    for (const std::string& line : s.before)
      absl::StrAppend(&out, "       - ", line, "\n");
    for (const std::string& line : s.after)
      absl::StrAppend(&out, "       + ", line, "\n");
  }
  return out;
}

}  // namespace hero
