// What the PyTorch and NumPy exports share: the program as a Python
// function `_train` over "tensor lists" (one array per parameter), one line
// per statement, and the helper functions it calls, in each library's
// flavor. Internal to src/export.
//
//   def _train(w, g, m, v, lr, lam, beta1, beta2):
//       update = _interpolate(g, m, beta1)
//       update = _sign(update)
//       ...
//       return update, m, v
//
// Tensors are _Tensors (one float32 array per parameter; + - * act part by
// part), scalars 0-d float32 values (torch tensors, NumPy float32), so
// every operation rounds to float32 as in hero.
// Thread-safety: pure functions.
#ifndef HERO_EXPORT_PYTHON_EXPORT_H_
#define HERO_EXPORT_PYTHON_EXPORT_H_

#include <string>

#include "src/export/export_plan.h"

namespace hero {

enum class PythonFlavor { kPyTorch, kNumPy };

// The `_train` function.
std::string PythonTrainFunction(const ExportPlan& plan);

// The helpers `_train` needs (and _Tensors, _map, _f32), after the imports.
std::string PythonHelpers(const ExportPlan& plan, PythonFlavor flavor);

// `beta1, beta2` — the hyperparameters as arguments, in order (empty if
// none).
std::string HyperparameterArgs(const ExportPlan& plan);

}  // namespace hero

#endif  // HERO_EXPORT_PYTHON_EXPORT_H_
