// GeneratePyTorch: a torch.optim.Optimizer subclass; see exporter.h.
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "src/export/export_format.h"
#include "src/export/generators.h"
#include "src/export/python_export.h"

namespace hero {
namespace {

const char* const kSlotNames[2] = {"m", "v"};

// beta1, beta2, ... (the interpolation weights, numbered) go into a `betas`
// tuple, as in torch.optim.Adam; the others are arguments of their own.
bool IsNumberedBeta(const std::string& name) {
  if (!absl::StartsWith(name, "beta") || name.size() == 4) return false;
  for (size_t i = 4; i < name.size(); ++i) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(name[i]))) return false;
  }
  return true;
}

}  // namespace

std::string GeneratePyTorch(const ExportPlan& plan, const ExportOptions& o) {
  const std::string& n = o.name;
  std::vector<std::string> betas, beta_defaults, others;
  for (const Hyperparameter& h : plan.hyperparameters) {
    if (IsNumberedBeta(h.name)) {
      betas.push_back(h.name);
      beta_defaults.push_back(PythonFloat(h.value));
    } else {
      others.push_back(h.name);
    }
  }
  std::string text = ProvenanceText(
      plan, o, "a torch.optim.Optimizer (PyTorch 1.13 or later)");
  absl::StrAppend(&text, "\n", SemanticsText(plan, "parameter group"));
  std::string out = Commented(text, "# ");
  absl::StrAppend(&out,
                  "\nimport torch\nfrom torch.optim.optimizer import "
                  "Optimizer\n\n__all__ = [\"",
                  n, "\"]\n\n\n", PythonHelpers(plan, PythonFlavor::kPyTorch),
                  "\n\n", PythonTrainFunction(plan), "\n\n");
  absl::StrAppend(
      &out,
      "def _store(state, key, x, p):\n"
      "    \"\"\"state[key] = x, as a tensor of p's shape (norm gives 0-d "
      "parts).\"\"\"\n"
      "    state[key] = x if x.shape == p.shape else x.expand_as(p).clone()\n"
      "\n\n");

  // The class and its docstring.
  std::vector<std::string> slots;
  for (int k = 0; k < 2; ++k) {
    if (plan.slot_live[k])
      slots.push_back(absl::StrCat("'", kSlotNames[k], "'"));
  }
  absl::StrAppend(
      &out, "class ", n, "(Optimizer):\n", "    r\"\"\"The optimizer ", n,
      " (the program at the top of this file).\n\n"
      "    Each step runs the program once per parameter group, with lr "
      "and\n    weight_decay (λ) of the group, and sets every parameter w to w "
      "- update.\n\n"
      "    Args:\n"
      "        params (iterable): parameters to optimize, or dicts defining "
      "parameter\n            groups. They must be float32 (hero's "
      "arithmetic); the update is\n            elementwise, so their layout "
      "does not matter",
      plan.has_norm ? " (norm is per tensor)" : "",
      ".\n"
      "        lr (float): learning rate: the schedule's value times the peak "
      "rate\n            (default: 1e-3).\n");
  if (!betas.empty()) {
    absl::StrAppend(
        &out, "        betas (Tuple[float, ...]): ", absl::StrJoin(betas, ", "),
        " (default: (", absl::StrJoin(beta_defaults, ", "),
        betas.size() == 1 ? ",))\n" : "))\n");
    for (const Hyperparameter& h : plan.hyperparameters) {
      if (IsNumberedBeta(h.name)) {
        absl::StrAppend(&out, "            ", h.name, ": ", h.role, ".\n");
      }
    }
  }
  absl::StrAppend(&out,
                  "        weight_decay (float): λ, the program's weight decay "
                  "factor (default: 0).\n");
  for (const Hyperparameter& h : plan.hyperparameters) {
    if (IsNumberedBeta(h.name)) continue;
    absl::StrAppend(&out, "        ", h.name, " (float): ", h.role,
                    " (default: ", PythonFloat(h.value), ").\n");
  }
  absl::StrAppend(
      &out,
      "        maximize (bool): maximize the objective (the gradient is "
      "negated)\n            (default: False).\n"
      "        foreach (bool, optional): run + - * as torch._foreach_* "
      "kernels over\n            the group's parameters (default: None, "
      "which is False).\n\n"
      "    State, per parameter, created at its first step: 'step'",
      slots.empty() ? "" : absl::StrCat(" and ", absl::StrJoin(slots, ", ")),
      ".\n    \"\"\"\n\n");

  std::string signature = "self, params, lr=1e-3";
  if (!betas.empty()) {
    absl::StrAppend(&signature, ", betas=(", absl::StrJoin(beta_defaults, ", "),
                    betas.size() == 1 ? ",)" : ")");
  }
  absl::StrAppend(&signature, ", weight_decay=0.0");
  for (const Hyperparameter& h : plan.hyperparameters) {
    if (!IsNumberedBeta(h.name)) {
      absl::StrAppend(&signature, ", ", h.name, "=", PythonFloat(h.value));
    }
  }
  absl::StrAppend(&signature, ", *, maximize=False, foreach=None");
  std::string defaults = "lr=lr";
  if (!betas.empty()) absl::StrAppend(&defaults, ", betas=betas");
  absl::StrAppend(&defaults, ", weight_decay=weight_decay");
  for (const std::string& h : others)
    absl::StrAppend(&defaults, ", ", h, "=", h);
  absl::StrAppend(&defaults, ", maximize=maximize, foreach=foreach");
  absl::StrAppend(
      &out, "    def __init__(", signature, "):\n",
      "        if not 0.0 <= lr:\n"
      "            raise ValueError(\"Invalid learning rate: "
      "{}\".format(lr))\n",
      betas.empty()
          ? ""
          : absl::StrCat("        if len(betas) != ", betas.size(),
                         ":\n            raise ValueError(\"Expected ",
                         betas.size(),
                         " betas, got {}\".format(len(betas)))\n"),
      "        defaults = dict(", defaults, ")\n",
      "        super().__init__(params, defaults)\n\n",
      "    def __setstate__(self, state):\n"
      "        super().__setstate__(state)\n"
      "        for group in self.param_groups:\n"
      "            group.setdefault(\"maximize\", False)\n"
      "            group.setdefault(\"foreach\", None)\n\n");

  // step().
  std::string call_hps;
  for (const Hyperparameter& h : plan.hyperparameters) {
    absl::StrAppend(&call_hps, ", _f32(", h.name, ")");
  }
  absl::StrAppend(
      &out,
      "    @torch.no_grad()\n"
      "    def step(self, closure=None):\n"
      "        \"\"\"Performs a single optimization step.\n\n"
      "        Args:\n"
      "            closure (callable, optional): a closure that reevaluates "
      "the model\n                and returns the loss.\n"
      "        \"\"\"\n"
      "        loss = None\n"
      "        if closure is not None:\n"
      "            with torch.enable_grad():\n"
      "                loss = closure()\n"
      "        for group in self.param_groups:\n"
      "            params = [p for p in group[\"params\"] if p.grad is not "
      "None]\n"
      "            if not params:\n                continue\n"
      "            for p in params:\n"
      "                if p.grad.is_sparse:\n"
      "                    raise RuntimeError(\"",
      n, " does not support sparse gradients\")\n",
      "                if p.dtype != torch.float32:\n"
      "                    raise TypeError(\"",
      n,
      " needs float32 parameters (hero's arithmetic), got "
      "{}\".format(p.dtype))\n"
      "                state = self.state[p]\n"
      "                if len(state) == 0:\n"
      "                    state[\"step\"] = torch.tensor(0.0)\n");
  for (int k = 0; k < 2; ++k) {
    if (!plan.slot_live[k]) continue;
    absl::StrAppend(&out, "                    state[\"", kSlotNames[k],
                    "\"] = torch.zeros_like(p, "
                    "memory_format=torch.preserve_format)\n");
  }
  absl::StrAppend(
      &out, "                state[\"step\"] += 1\n",
      "            foreach = bool(group[\"foreach\"])\n",
      "            grads = [-p.grad if group[\"maximize\"] else p.grad for p "
      "in params]\n",
      "            w = _Tensors(params, foreach)\n",
      "            g = _Tensors(grads, foreach)\n");
  for (int k = 0; k < 2; ++k) {
    if (plan.slot_live[k]) {
      absl::StrAppend(&out, "            ", kSlotNames[k],
                      " = _Tensors([self.state[p][\"", kSlotNames[k],
                      "\"] for p in params], foreach)\n");
    } else {
      absl::StrAppend(&out, "            ", kSlotNames[k],
                      " = None  # Not state: the program does not read it.\n");
    }
  }
  if (!betas.empty()) {
    absl::StrAppend(&out, "            ", absl::StrJoin(betas, ", "),
                    betas.size() == 1 ? "," : "", " = group[\"betas\"]\n");
  }
  for (const std::string& h : others) {
    absl::StrAppend(&out, "            ", h, " = group[\"", h, "\"]\n");
  }
  absl::StrAppend(
      &out,
      "            update, m, v = _train(w, g, m, v, _f32(group[\"lr\"]), "
      "_f32(group[\"weight_decay\"])",
      call_hps, ")\n",
      "            if foreach and update.foreach:\n"
      "                torch._foreach_sub_(params, update.parts)\n"
      "            else:\n"
      "                for p, u in zip(params, update.parts):\n"
      "                    p.sub_(u)\n");
  for (int k = 0; k < 2; ++k) {
    if (plan.slot_out[k] < 0) continue;
    absl::StrAppend(&out, "            for p, x in zip(params, ", kSlotNames[k],
                    ".parts):\n", "                _store(self.state[p], \"",
                    kSlotNames[k], "\", x, p)\n");
  }
  absl::StrAppend(&out, "        return loss\n");
  return out;
}

}  // namespace hero
