#!/usr/bin/python3
"""The PyTorch peer of `hero eval`: trains the same model on the same
Fashion-MNIST training split with torch.optim.AdamW, one thread, and prints
the training examples per second (batch gather + forward + backward +
optimizer step), measured over --steps steps after --warmup steps.

  /usr/bin/python3 tools/bench/pytorch_train.py --model=mlp --steps=300
  /usr/bin/python3 tools/bench/pytorch_train.py --model=vit --steps=100

Use /usr/bin/python3 (Debian's python3-torch with OpenBLAS).
"""
import argparse
import gzip
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pytorch_models import Vit, make_mlp  # noqa: E402

DATA = "/usr/share/datasets/fashion-mnist"


def load_train():
    with gzip.open(os.path.join(DATA, "train-images-idx3-ubyte.gz")) as f:
        images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 784)
    with gzip.open(os.path.join(DATA, "train-labels-idx1-ubyte.gz")) as f:
        labels = np.frombuffer(f.read(), np.uint8, offset=8)
    images = (images[:50000].astype(np.float32) / 255.0 - 0.2860) / 0.3530
    return torch.from_numpy(images), torch.from_numpy(labels[:50000].astype(np.int64))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", choices=["mlp", "vit"], default="mlp")
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=20)
    args = parser.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(1)
    images, labels = load_train()
    model = make_mlp() if args.model == "mlp" else Vit()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, betas=(0.9, 0.999),
                            weight_decay=0.1)
    gen = torch.Generator().manual_seed(2)

    def step():
        idx = torch.randint(0, images.shape[0], (args.batch,), generator=gen)
        x, y = images[idx], labels[idx]
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()

    for _ in range(args.warmup):
        step()
    start = time.perf_counter()
    for _ in range(args.steps):
        step()
    seconds = time.perf_counter() - start
    print(f"{args.steps * args.batch / seconds:.1f}")


if __name__ == "__main__":
    main()
