// Derivation: the record of how a program was simplified, step by step.
//
// Every pass appends one Step per change it makes: the rule's name (a short
// kebab-case id such as `div-sqrt-square`), what the rule says
// (`x / sqrt(square(x)) → sign(x)`), the statements before and after (as the
// program at that point names them), and, for ablation steps, the fitness
// before and after. Ablation also appends Notes: the fitness of every
// candidate it measured, accepted or not.
//
//   Derivation d;
//   d.AddStep({"div-sqrt-square", "x / sqrt(square(x)) → sign(x)",
//              {"update = m / m_abs"}, {"update = sign(m)"}});
//   std::cerr << d.ToText();
//
// Text form (what `hero simplify` prints on stderr):
//    1. div-sqrt-square: x / sqrt(square(x)) → sign(x)
//         - update = m / m_abs
//         + update = sign(m)
// with "fitness 0.8512 → 0.8519" after the description of ablation steps and
// notes printed as indented lines between the steps.
#ifndef HERO_SIMPLIFY_DERIVATION_H_
#define HERO_SIMPLIFY_DERIVATION_H_

#include <optional>
#include <string>
#include <vector>

namespace hero {

class Derivation {
 public:
  struct Step {
    std::string rule;
    std::string description;
    std::vector<std::string> before;  // Statements removed or rewritten.
    std::vector<std::string> after;   // Their replacements.
    std::optional<double> fitness_before;
    std::optional<double> fitness_after;
  };
  struct Entry {
    bool is_step = true;
    Step step;                       // If is_step.
    std::vector<std::string> lines;  // A note, otherwise.
  };

  void AddStep(Step step);
  void AddNote(std::vector<std::string> lines);

  const std::vector<Entry>& entries() const { return entries_; }
  int num_steps() const;
  // The steps' rule names, in order (for tests and summaries).
  std::vector<std::string> RuleNames() const;
  // Steps are numbered from `first_step`.
  std::string ToText(int first_step = 1) const;

 private:
  std::vector<Entry> entries_;
};

}  // namespace hero

#endif  // HERO_SIMPLIFY_DERIVATION_H_
