// PrintProgram: writes a program in the paper's syntax.
//
// The output always uses the full header `def train(w, g, m, v, lr, λ):`,
// two-space indentation, infix `+ - * /`, and the shortest decimal that reads
// back as the same float32 for each literal (`0.9`, `1.0`, `1e-08`), so
// PrintProgram(ParseProgram(text)) is a fixed point and parsing the output
// gives back an equal Program.
//
//   std::string text = PrintProgram(program);
#ifndef HERO_PROGRAM_PRINTER_H_
#define HERO_PROGRAM_PRINTER_H_

#include <string>

#include "src/program/program.h"

namespace hero {

std::string PrintProgram(const Program& program);

// One statement, without indentation or newline: `m = interpolate(g, m, 0.9)`.
std::string PrintStatement(const Program& program, const Statement& s);

// The shortest decimal that reads back as `value` (a float32), Python-style:
// `0.9`, `1.0`, `-2.5`, `1e-08`, `3.4028235e+38`. `inf`/`nan` for non-finite.
std::string FormatConstant(float value);

}  // namespace hero

#endif  // HERO_PROGRAM_PRINTER_H_
