// GenerateNumPy: a module with step(params, grads, state, lr, lam); see
// exporter.h.
#include <string>

#include "absl/strings/str_cat.h"
#include "src/export/export_format.h"
#include "src/export/generators.h"
#include "src/export/python_export.h"

namespace hero {

std::string GenerateNumPy(const ExportPlan& plan, const ExportOptions& o) {
  const char* const kSlots[2] = {"m", "v"};
  std::string text = ProvenanceText(
      plan, o, "a NumPy function step(params, grads, state, lr, lam)");
  absl::StrAppend(&text, "\n", SemanticsText(plan, "step() call"));
  std::string out = Commented(text, "# ");
  absl::StrAppend(&out, "\nimport numpy as np\n\n__all__ = [\"step\"]\n\n\n",
                  PythonHelpers(plan, PythonFlavor::kNumPy), "\n\n",
                  PythonTrainFunction(plan), "\n\n");
  std::string signature = "params, grads, state, lr, lam";
  std::string call_hps;
  for (const Hyperparameter& h : plan.hyperparameters) {
    absl::StrAppend(&signature, ", ", h.name, "=", PythonFloat(h.value));
    absl::StrAppend(&call_hps, ", _f32(", h.name, ")");
  }
  std::string slots_doc;
  for (int k = 0; k < 2; ++k) {
    if (!plan.slot_live[k]) continue;
    absl::StrAppend(&slots_doc, slots_doc.empty() ? "" : ", ", "'", kSlots[k],
                    "'");
  }
  absl::StrAppend(
      &out, "def step(", signature, "):\n", "    \"\"\"One step of ", o.name,
      ", in place: each array w of params becomes w - update.\n\n"
      "    params, grads: float32 arrays, one per parameter tensor (lists of "
      "equal\n        length and shapes; a single array is one tensor).\n"
      "    state: a dict, empty before the first step and kept between steps "
      "(it\n        holds 'step'",
      slots_doc.empty()
          ? ""
          : absl::StrCat(" and ", slots_doc, ": one array per tensor"),
      ").\n"
      "    lr: the learning rate (the schedule's value times the peak rate).\n"
      "    lam: λ, the program's weight decay factor.\n");
  for (const Hyperparameter& h : plan.hyperparameters) {
    absl::StrAppend(&out, "    ", h.name, ": ", h.role, ".\n");
  }
  absl::StrAppend(
      &out, "    \"\"\"\n",
      "    if isinstance(params, np.ndarray):\n"
      "        params, grads = [params], [grads]\n"
      "    if len(params) != len(grads):\n"
      "        raise ValueError(\"step: {} params but {} grads\".format("
      "len(params), len(grads)))\n"
      "    for p, g in zip(params, grads):\n"
      "        if p.dtype != np.float32 or g.dtype != np.float32 or p.shape != "
      "g.shape:\n"
      "            raise TypeError(\"step: params and grads must be float32 "
      "arrays of equal shapes\")\n"
      "    if not state:\n"
      "        state[\"step\"] = 0\n");
  for (int k = 0; k < 2; ++k) {
    if (!plan.slot_live[k]) continue;
    absl::StrAppend(&out, "        state[\"", kSlots[k],
                    "\"] = [np.zeros_like(p) for p in params]\n");
  }
  absl::StrAppend(&out, "    w, g = _Tensors(params), _Tensors(grads)\n");
  for (int k = 0; k < 2; ++k) {
    absl::StrAppend(&out, "    ", kSlots[k], " = ",
                    plan.slot_live[k]
                        ? absl::StrCat("_Tensors(state[\"", kSlots[k], "\"])")
                        : "None  # Not state: the program does not read it.",
                    "\n");
  }
  absl::StrAppend(&out,
                  "    with np.errstate(all=\"ignore\"):  # Inf and NaN are "
                  "results too.\n"
                  "        update, m, v = _train(w, g, m, v, _f32(lr), "
                  "_f32(lam)",
                  call_hps, ")\n",
                  "        for p, u in zip(params, update.parts):\n"
                  "            p -= u\n");
  for (int k = 0; k < 2; ++k) {
    if (plan.slot_out[k] < 0) continue;
    absl::StrAppend(
        &out, "    state[\"", kSlots[k],
        "\"] = [x if np.shape(x) == p.shape else np.full(p.shape, x, "
        "np.float32)\n                  for p, x in zip(params, ",
        kSlots[k], ".parts)]\n");
  }
  absl::StrAppend(&out, "    state[\"step\"] += 1\n");
  return out;
}

}  // namespace hero
