#!/usr/bin/python3
"""PyTorch twins of hero's proxy models, for speed comparison.

Times one training step without the optimizer (zero grads, forward, mean
softmax cross-entropy, backward) of the same architectures as
src/proxy/mlp.h and src/proxy/vit.h, on one thread, and prints examples/s.
This is the peer of //tools/bench:model_bench.

  /usr/bin/python3 tools/bench/pytorch_models.py            # both models
  /usr/bin/python3 tools/bench/pytorch_models.py --model=vit --batch=128

Use /usr/bin/python3 (Debian's python3-torch); `python3` on PATH may be an
interpreter without torch.
"""
import argparse
import math
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def make_mlp(hidden=(256,), activation="relu", input_dim=784, num_classes=10):
    layers, d = [], input_dim
    for h in hidden:
        layers += [nn.Linear(d, h), nn.ReLU() if activation == "relu" else nn.GELU()]
        d = h
    layers.append(nn.Linear(d, num_classes))
    return nn.Sequential(*layers)


class Attention(nn.Module):
    """Multi-head self-attention; the fused qkv Linear is the same tensor as
    hero's contiguous q/k/v segments."""

    def __init__(self, dim, heads):
        super().__init__()
        self.heads, self.head_dim = heads, dim // heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        b, n, c = x.shape
        qkv = self.qkv(x).reshape(b, n, 3, self.heads, self.head_dim)
        q, k, v = qkv.permute(2, 0, 3, 1, 4)
        attn = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(self.head_dim))
        attn = attn.softmax(dim=-1)
        x = (attn @ v).transpose(1, 2).reshape(b, n, c)
        return self.proj(x)


class Block(nn.Module):
    def __init__(self, dim, heads, mlp_dim):
        super().__init__()
        self.ln1 = nn.LayerNorm(dim)
        self.attn = Attention(dim, heads)
        self.ln2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, mlp_dim), nn.GELU(),
                                 nn.Linear(mlp_dim, dim))

    def forward(self, x):
        x = x + self.attn(self.ln1(x))
        return x + self.mlp(self.ln2(x))


class Vit(nn.Module):
    def __init__(self, image_size=28, patch_size=7, dim=64, depth=2, heads=4,
                 mlp_dim=128, num_classes=10):
        super().__init__()
        self.image_size, self.patch_size = image_size, patch_size
        tokens = (image_size // patch_size) ** 2
        self.patch = nn.Linear(patch_size * patch_size, dim)
        self.pos = nn.Parameter(0.02 * torch.randn(tokens, dim))
        self.blocks = nn.Sequential(
            *[Block(dim, heads, mlp_dim) for _ in range(depth)])
        self.ln = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, num_classes)

    def patchify(self, images):
        # [B, 784] -> [B, tokens, patch*patch]; tokens and the pixels inside a
        # patch are both in row-major order.
        b, s, p = images.shape[0], self.image_size, self.patch_size
        g = s // p
        x = images.reshape(b, g, p, g, p).permute(0, 1, 3, 2, 4)
        return x.reshape(b, g * g, p * p)

    def forward(self, images):
        x = self.patch(self.patchify(images)) + self.pos
        x = self.ln(self.blocks(x))
        return self.head(x.mean(dim=1))


def bench(model, batch, seconds, label):
    torch.manual_seed(0)
    x = torch.randn(batch, 784)
    y = torch.randint(0, 10, (batch,))

    def step():
        for p in model.parameters():
            p.grad = None
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        return loss

    for _ in range(20):
        step()
    best = 0.0
    for _ in range(5):  # best of 5 rounds, like a benchmark's min time
        iters, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds / 5:
            step()
            iters += 1
        rate = batch * iters / (time.perf_counter() - start)
        best = max(best, rate)
    print(f"{label:40s} batch={batch:4d}  {best:10.0f} examples/s "
          f"({1e3 * batch / best:.3f} ms/step)")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", choices=["mlp", "mlp_gelu", "vit", "all"],
                        default="all")
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    print(f"torch {torch.__version__}, threads={torch.get_num_threads()}")
    if args.model in ("mlp", "all"):
        bench(make_mlp(), args.batch, args.seconds, "mlp 784-256-10 relu fwd+bwd")
    if args.model in ("mlp_gelu", "all"):
        bench(make_mlp(activation="gelu"), args.batch, args.seconds,
              "mlp 784-256-10 gelu fwd+bwd")
    if args.model in ("vit", "all"):
        bench(Vit(), args.batch, args.seconds, "vit default fwd+bwd")


if __name__ == "__main__":
    main()
