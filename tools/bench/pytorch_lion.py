#!/usr/bin/python3
"""The PyTorch peers of hero's native Lion, one optimizer step on N float32
parameters (one tensor), one thread, timed over REPS steps after warm-up:

  - the eager Lion as the common implementations write it (lion-pytorch:
    decay with mul_, direction with lerp_ and sign_, step with add_,
    momentum with lerp_);
  - the optimizer `hero export --to=pytorch` wrote to EXPORTED.py (any class
    listed in its __all__).

  /usr/bin/python3 tools/bench/pytorch_lion.py N REPS EXPORTED.py

Prints `eager_lion_ms=<median>` and `exported_lion_ms=<median>`. Run by
//tools/bench:optim_bench in the same run as the native measurements.
"""
import importlib.util
import statistics
import sys
import time

import torch

torch.set_num_threads(1)


class EagerLion(torch.optim.Optimizer):
    """Lion as lion-pytorch writes it."""

    def __init__(self, params, lr=1e-4, betas=(0.9, 0.99), weight_decay=0.0):
        super().__init__(params, dict(lr=lr, betas=betas, weight_decay=weight_decay))

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            lr, wd = group["lr"], group["weight_decay"]
            beta1, beta2 = group["betas"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                if len(state) == 0:
                    state["exp_avg"] = torch.zeros_like(p)
                exp_avg = state["exp_avg"]
                p.data.mul_(1 - lr * wd)
                update = exp_avg.clone().lerp_(p.grad, 1 - beta1).sign_()
                p.add_(update, alpha=-lr)
                exp_avg.lerp_(p.grad, 1 - beta2)


def time_steps(make_optimizer, n, reps):
    torch.manual_seed(0)
    p = torch.randn(n)
    p.grad = torch.randn(n)
    optimizer = make_optimizer([p])
    for _ in range(3):  # Warm-up: state allocation, page faults.
        optimizer.step()
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        optimizer.step()
        times.append(time.perf_counter() - start)
    return 1e3 * statistics.median(times)


def main(n, reps, exported_path):
    spec = importlib.util.spec_from_file_location("exported", exported_path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    exported = getattr(module, module.__all__[0])
    eager = time_steps(lambda ps: EagerLion(ps, lr=1e-4, weight_decay=0.1), n, reps)
    ours = time_steps(lambda ps: exported(ps, lr=1e-4, weight_decay=0.1), n, reps)
    print("eager_lion_ms=%.3f" % eager)
    print("exported_lion_ms=%.3f" % ours)


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]), sys.argv[3])
