// The size limits of an optimizer program: the single source of truth.
//
// Every reader of programs enforces them, so a caller that parses programs
// from a file, a journal or the network gets an ordinary error, never a crash
// or a long stall, whatever the input:
//
//   ParseProgram (paper syntax)        bytes, line length, name length,
//                                      statements, distinct names, literals
//   ParseProgramTextProto (textproto)  bytes, then as FromProto
//   FromProto (the protobuf form)      statements, distinct names, name
//                                      length and spelling, literals
//   ReadProgramFile                    bytes (before reading the file whole)
//
//   if (text.size() > kMaxProgramBytes) { ... }  // what the parsers check
//
// Each error names the limit and its value, e.g. `big.py:10008:3: more than
// 10000 statements (the statement limit)`; the CLI reports it with exit 2.
// The limits are far above anything the search produces: its programs have
// at most search.mutation.max_statements statements, which config validation
// keeps <= kMaxStatements (the default is 30; the paper's programs have fewer
// than 20), and every register a mutated program holds is named by a
// statement or an input. docs/RELIABILITY.md lists them with the tests that
// check each at and just past its value.
#ifndef HERO_PROGRAM_LIMITS_H_
#define HERO_PROGRAM_LIMITS_H_

#include <cstdint>
#include <limits>

namespace hero {

// Bytes of program text, either form (4 MiB; a 10,000-statement program is
// about 0.4 MiB in paper syntax and 1.1 MiB as textproto).
inline constexpr int64_t kMaxProgramBytes = int64_t{4} << 20;

// Bytes in one line of paper syntax, comments included (the line break is
// not counted).
inline constexpr int kMaxLineBytes = 4096;

// Statements in a program (the `return` not counted).
inline constexpr int kMaxStatements = 10000;

// Distinct names (registers) in a program, the six inputs included. A
// register index is an int16_t in Statement and Arg, so this must stay below
// 32768; a valid program names at most kMaxStatements + 7 registers.
inline constexpr int kMaxNames = 16384;
static_assert(kMaxNames <= std::numeric_limits<int16_t>::max(),
              "register indices are int16_t");
static_assert(kMaxNames > kMaxStatements + 7,
              "every valid program must fit the name limit");

// Bytes in one variable name.
inline constexpr int kMaxNameBytes = 256;

// Literals are finite float32 values: |x| <= 3.4028235e38 (FLT_MAX). A
// decimal literal that overflows float32, or a textproto constant that is
// inf or nan, is an error; one that underflows becomes the nearest float
// (possibly 0 or a subnormal), as in NumPy.

}  // namespace hero

#endif  // HERO_PROGRAM_LIMITS_H_
