#!/usr/bin/python3
"""Runs exported PyTorch or NumPy optimizers on the jobs export_python_test
writes, and writes the weights after every step back (the test compares).

usage: run_exports.py JOBS.txt DATA.bin OUT.bin STATUS.txt

Each line of JOBS.txt is one job:
  module flavor foreach lockstep lr lam steps ntensors size... live_m live_v offset
where module is the exported .py file, flavor `pytorch` or `numpy`, lr and
lam are float.hex() values, and offset is where the job's float32 data
starts in DATA.bin: w0, then one gradient per step, then, in lockstep, per
step the (w, m, v) hero started that step from. OUT.bin gets, per job, the
weights after each step; STATUS.txt a line per job, `ok` or `error: ...`.
"""

import importlib.util
import sys
import traceback

import numpy as np
import torch

torch.set_num_threads(1)
_modules = {}


def load(path):
    if path not in _modules:
        spec = importlib.util.spec_from_file_location("export_%d" % len(_modules), path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        _modules[path] = module
    return _modules[path]


def split(flat, sizes):
    out, offset = [], 0
    for n in sizes:
        out.append(flat[offset:offset + n].copy())
        offset += n
    return out


def run_numpy(module, job, data):
    params = split(data["w0"], job["sizes"])
    state = {}
    rows = []
    for s in range(job["steps"]):
        if job["lockstep"] and s > 0:
            w, m, v = data["start"][s - 1]
            for p, x in zip(params, split(w, job["sizes"])):
                p[:] = x
            if job["live"][0]:
                state["m"] = split(m, job["sizes"])
            if job["live"][1]:
                state["v"] = split(v, job["sizes"])
        grads = split(data["grads"][s], job["sizes"])
        module.step(params, grads, state, job["lr"], job["lam"])
        rows.append(np.concatenate(params))
    return rows


def run_pytorch(module, job, data):
    cls = getattr(module, module.__all__[0])
    params = [torch.tensor(x) for x in split(data["w0"], job["sizes"])]
    optimizer = cls(params, lr=job["lr"], weight_decay=job["lam"], foreach=job["foreach"])
    rows = []
    for s in range(job["steps"]):
        if job["lockstep"] and s > 0:
            w, m, v = data["start"][s - 1]
            with torch.no_grad():
                for p, x in zip(params, split(w, job["sizes"])):
                    p.copy_(torch.from_numpy(x))
            for k, slot in enumerate([m, v]):
                if job["live"][k]:
                    for p, x in zip(params, split(slot, job["sizes"])):
                        optimizer.state[p]["mv"[k]] = torch.from_numpy(x)
        for p, g in zip(params, split(data["grads"][s], job["sizes"])):
            p.grad = torch.from_numpy(g)
        optimizer.step()
        rows.append(np.concatenate([p.detach().numpy() for p in params]))
    return rows


def parse(line):
    f = line.split()
    n = int(f[7])
    return {
        "module": f[0], "flavor": f[1], "foreach": f[2] == "1",
        "lockstep": f[3] == "1", "lr": float.fromhex(f[4]),
        "lam": float.fromhex(f[5]), "steps": int(f[6]),
        "sizes": [int(x) for x in f[8:8 + n]],
        "live": (f[8 + n] == "1", f[9 + n] == "1"), "offset": int(f[10 + n]),
    }


def main(jobs_path, data_path, out_path, status_path):
    blob = np.fromfile(data_path, dtype="<f4")
    with open(jobs_path) as jobs, open(out_path, "wb") as out, open(status_path, "w") as status:
        for line in jobs:
            job = parse(line)
            total, steps = sum(job["sizes"]), job["steps"]
            at = job["offset"]
            data = {"w0": blob[at:at + total]}
            at += total
            data["grads"] = [blob[at + s * total:at + (s + 1) * total] for s in range(steps)]
            at += steps * total
            if job["lockstep"]:
                data["start"] = [tuple(blob[at + (3 * s + k) * total:at + (3 * s + k + 1) * total]
                                       for k in range(3)) for s in range(steps)]
            try:
                module = load(job["module"])
                run = run_pytorch if job["flavor"] == "pytorch" else run_numpy
                rows = run(module, job, data)
                status.write("ok\n")
            except Exception as e:  # Reported by the test, with the job.
                rows = [np.zeros(total, np.float32)] * steps
                message = traceback.format_exc().strip().splitlines()[-1]
                status.write("error: %s: %s\n" % (type(e).__name__, message))
            for row in rows:
                out.write(np.asarray(row, dtype="<f4").tobytes())


if __name__ == "__main__":
    main(*sys.argv[1:5])
