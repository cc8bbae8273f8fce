#!/usr/bin/python3
"""Trains a small MLP (784-64-10) on Fashion-MNIST with Hero-Lion as exported
by `hero export --to=pytorch`, or with torch.optim.AdamW for comparison.

  bazel-bin/src/cli/hero export configs/programs/hero_lion.py --to=pytorch -o hero_lion.py
  /usr/bin/python3 examples/pytorch_hero_lion.py hero_lion.py --steps=3000
  /usr/bin/python3 examples/pytorch_hero_lion.py hero_lion.py --optimizer=adamw

Following the paper's guidance, Lion gets a learning rate 10x smaller than
AdamW's (3e-4 vs 3e-3) and a weight decay 10x larger (1.0 vs 0.1); biases
get no decay. The schedule is linear warm-up then cosine decay. Prints the
training loss as it goes and the validation accuracy (the last 10,000 images
of the official training set) at the end.
"""
import argparse
import gzip
import importlib.util
import math
import os

import numpy as np
import torch

DATA = "/usr/share/datasets/fashion-mnist"


def load(kind):
    with gzip.open(os.path.join(DATA, kind + "-images-idx3-ubyte.gz")) as f:
        images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 784)
    with gzip.open(os.path.join(DATA, kind + "-labels-idx1-ubyte.gz")) as f:
        labels = np.frombuffer(f.read(), np.uint8, offset=8)
    x = (images.astype(np.float32) / 255 - 0.2860) / 0.3530
    return torch.from_numpy(x), torch.from_numpy(labels.astype(np.int64))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("exported", help="the file `hero export --to=pytorch` wrote")
    parser.add_argument("--optimizer", choices=["hero_lion", "adamw"], default="hero_lion")
    parser.add_argument("--steps", type=int, default=3000)
    args = parser.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(1)
    x, y = load("train")
    x_train, y_train, x_val, y_val = x[:50000], y[:50000], x[50000:], y[50000:]

    model = torch.nn.Sequential(torch.nn.Linear(784, 64), torch.nn.ReLU(), torch.nn.Linear(64, 10))
    weights = [p for n, p in model.named_parameters() if n.endswith("weight")]
    biases = [p for n, p in model.named_parameters() if n.endswith("bias")]
    if args.optimizer == "hero_lion":
        spec = importlib.util.spec_from_file_location("hero_lion", args.exported)
        hero_lion = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(hero_lion)
        peak_lr, decay = 3e-4, 1.0
        optimizer = hero_lion.HeroLion([{"params": weights, "weight_decay": decay},
                                        {"params": biases, "weight_decay": 0.0}], lr=peak_lr)
    else:
        peak_lr, decay = 3e-3, 0.1
        optimizer = torch.optim.AdamW([{"params": weights, "weight_decay": decay},
                                       {"params": biases, "weight_decay": 0.0}], lr=peak_lr)
    warmup = max(1, args.steps // 20)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: (s + 1) / warmup if s < warmup
        else 0.5 * (1 + math.cos(math.pi * (s - warmup) / max(1, args.steps - warmup))))

    window = 0.0
    for step in range(args.steps):
        batch = torch.randint(0, len(x_train), (128,))
        loss = torch.nn.functional.cross_entropy(model(x_train[batch]), y_train[batch])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        schedule.step()
        window += loss.item()
        if (step + 1) % max(1, args.steps // 10) == 0:
            print("step %5d  loss %.4f" % (step + 1, window / max(1, args.steps // 10)))
            window = 0.0
    with torch.no_grad():
        accuracy = (model(x_val).argmax(1) == y_val).float().mean().item()
    print("validation accuracy %.4f" % accuracy)


if __name__ == "__main__":
    main()
