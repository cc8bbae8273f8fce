#!/usr/bin/env bash
# Regenerates the seed corpora of tests/fuzz/corpus/ from the shipped files
# and small synthetic ones. Run from the repository root after
# `bazel build //src/cli:hero`; deterministic (the seed search runs on one
# thread), so re-running it changes nothing unless the formats changed.
#   tests/fuzz/make_seeds.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
hero=bazel-bin/src/cli/hero
out=tests/fuzz/corpus
py=/usr/bin/python3
rm -rf "$out"
mkdir -p "$out"/{parser,textproto,config,journal,idx,worker}

# parser: the shipped programs, and synthetic programs for the corners of
# the syntax (every op, comments, CRLF, BOM, the short header, lam).
cp configs/programs/*.py "$out/parser/"
$py - "$out/parser" <<'PY'
import sys, os
d = sys.argv[1]
unary = ("abs cos sin tan arcsin arccos arctan sinh cosh tanh arcsinh arccosh "
         "arctanh exp exp2 exp10 expm1 log log10 log2 log1p square sqrt cube "
         "cbrt sign reciprocal negative norm").split()
lines = ["def train(w, g, m, v, lr, lam):", "  # every function once"]
prev = "g"
for i, f in enumerate(unary):
    lines.append(f"  u{i} = {f}({prev})")
    prev = f"u{i}"
lines += [f"  b0 = max({prev}, m)", "  b1 = min(b0, -2.5e-3)",
          "  b2 = power(b1, 2)", "  b3 = interpolate(b2, v, 0.9)",
          "  s0 = global_norm(b3)", "  s1 = dot(b3, g)", "  s2 = cosine_sim(b3, w)",
          "  c0 = clip_by_global_norm(b3, 1.0)", "  c1 = c0 * pi",
          "  c2 = c1 / e", "  c3 = c2 - eps", "  c4 = s0 + s1",
          "  update = c3 * c4", "  update = update * s2",
          "  update = update * lr", "  m = b3 + 0", "  v = v * λ",
          "  return update, m, v"]
open(os.path.join(d, "every_op.py"), "w").write("\n".join(lines) + "\n")
open(os.path.join(d, "crlf_bom.py"), "wb").write(
    b"\xef\xbb\xbfdef train(w, g, m, v):\r\n  update = sign(g)  # c\r\n"
    b"  update = update * lr\r\n  return update, m, v\r\n")
open(os.path.join(d, "invalid_undefined.py"), "w").write(
    "def train(w, g, m, v):\n  update = q * 1_000.5\n  return update, m, v\n")
open(os.path.join(d, "invalid_type.py"), "w").write(
    "def train(w, g, m, v):\n  s = global_norm(g)\n  update = sign(s)\n"
    "  m = s * 2\n  return update, m, v\n")
PY

# textproto: the shipped programs as textproto, and as serialized
# ProgramProto (the wire form).
for f in configs/programs/*.py; do
  base=$(basename "$f" .py)
  $hero show "$f" --format=textproto > "$out/textproto/$base.textproto"
  protoc --proto_path=. --encode=hero.ProgramProto proto/program.proto \
    < "$out/textproto/$base.textproto" > "$out/textproto/$base.binpb"
done

# config: the shipped configs and the seed search's.
cp configs/*.textproto tests/fuzz/seed_search.textproto "$out/config/"

# journal: a real search's journal, in the target's three input forms.
run=$(mktemp -d)
trap 'rm -rf "$run"' EXIT
$hero search --config=tests/fuzz/seed_search.textproto --output_dir="$run" \
  2> /dev/null
$py - "$run/journal" "$out/journal" <<'PY'
import sys, os
journal = open(sys.argv[1], "rb").read()
d = sys.argv[2]
lines = journal.split(b"\n")[:-1]
bodies = [l[9:] for l in lines[1:]]  # without CRCs and the header
# Bit 0 clear: bodies; the harness adds CRCs and its own header.
open(os.path.join(d, "bodies"), "wb").write(b"\x00" + b"\n".join(bodies) + b"\n")
open(os.path.join(d, "bodies_first5"), "wb").write(
    b"\x00" + b"\n".join(bodies[:5]) + b"\n")
open(os.path.join(d, "bodies_torn"), "wb").write(
    b"\x00" + b"\n".join(bodies[:3]) + b"\n" + bodies[3][:40])
# Bit 0 set: raw lines after the harness's header.
open(os.path.join(d, "raw_after_header"), "wb").write(
    b"\x01" + b"\n".join(lines[1:8]) + b"\n")
# Bits 0 and 1 set: the whole file, its own header included.
open(os.path.join(d, "raw_whole"), "wb").write(b"\x03" + journal)
PY

# idx: small synthetic IDX files, gzip-compressed and raw, valid and not.
$py - "$out/idx" <<'PY'
import sys, os, gzip, struct
d = sys.argv[1]
def images(n):
    return struct.pack(">IIII", 0x803, n, 28, 28) + bytes((i * 7) % 256 for i in range(n * 784))
def labels(n):
    return struct.pack(">II", 0x801, n) + bytes(i % 10 for i in range(n))
def put(name, data, gz):
    if gz:
        data = gzip.compress(data, mtime=0)
    open(os.path.join(d, name), "wb").write(data)
for gz in (False, True):
    ext = ".gz" if gz else ""
    put("images2" + ext, images(2), gz)
    put("images0" + ext, images(0), gz)
    put("labels10" + ext, labels(10), gz)
    put("labels0" + ext, labels(0), gz)
put("images_truncated.gz", gzip.compress(images(1), mtime=0)[:-20], False)
put("labels_bad_label", labels(3)[:-1] + b"\x0a", False)
put("labels_trailing", labels(3) + b"\x00", False)
put("images_wrong_size", struct.pack(">IIII", 0x803, 1, 28, 27) + bytes(756), False)
PY
# worker: EvaluateRequests as a coordinator sends them (the wire form),
# accepted and refused: shipped programs on small MLP and ViT tasks, every
# op on a ViT (several tensors, reductions), and a bad program, a bad task,
# a data_dir, too many seeds, a task over the fuzzer's 256 MiB limit.
$py - "$out/worker" "$out/parser/every_op.py" <<'PY'
import sys, os
d, every_op = sys.argv[1], sys.argv[2]
def text(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
adamw = open("configs/programs/adamw.py", encoding="utf-8").read()
lion = open("configs/programs/hero_lion.py", encoding="utf-8").read()
ops = open(every_op, encoding="utf-8").read()
seeds = {
  "adamw_quickstart": f"request_id: 1 program: {text(adamw)} task {{ name: \"quickstart\" data {{ train_examples: 10000 validation_examples: 2000 }} model {{ mlp {{ hidden: 64 }} }} train {{ steps: 300 batch_size: 64 peak_lr: 0.001 lam: 0.1 seeds: 1 }} }} peak_lr: 0.001 lam: 0.1",
  "data_dir_set": f"request_id: 2 program: {text(adamw)} task {{ data {{ data_dir: \"/etc\" }} }} peak_lr: 0.001",
  "bad_program": f"request_id: 3 program: {text('def train(w, g, m, v):' + chr(10) + '  update = (g' + chr(10))} peak_lr: 0.001",
  "bad_task": f"request_id: 4 program: {text(adamw)} task {{ train {{ batch_size: 0 steps: -1 }} model {{ mlp {{ hidden: 0 }} }} }} peak_lr: nan lam: -1",
  "lion_vit": f"request_id: 7 program: {text(lion)} task {{ model {{ vit {{ patch_size: 7 dim: 16 depth: 1 heads: 2 mlp_dim: 32 }} }} train {{ steps: 10 batch_size: 32 }} }} peak_lr: 0.0003 lam: 1 with_test: true curve_points: 5 seeds: 3 seeds: 4",
  "discovery": f"request_id: 99 program: {text(lion)} task {{ name: \"discovery\" data {{ train_examples: 10000 validation_examples: 10000 }} model {{ mlp {{ hidden: 64 }} }} train {{ steps: 100 batch_size: 1024 peak_lr: 0.003 lam: 1 }} }} peak_lr: 0.003 lam: 1",
  "every_op_vit": f"request_id: 5 program: {text(ops)} task {{ model {{ vit {{ patch_size: 14 dim: 8 depth: 2 heads: 2 mlp_dim: 8 }} }} train {{ steps: 5 batch_size: 8 eval_batch_size: 8 }} }} peak_lr: 0.001 lam: 0.1",
  "too_many_seeds": f"request_id: 6 program: {text(lion)} task {{ model {{ mlp {{ hidden: 8 }} }} }} peak_lr: 0.001 " + " ".join(f"seeds: {i}" for i in range(65)),
  "over_memory": f"request_id: 8 program: {text(lion)} task {{ model {{ vit {{ patch_size: 4 dim: 1024 depth: 16 heads: 8 mlp_dim: 4096 }} }} train {{ batch_size: 4096 }} }} peak_lr: 0.001",
}
for name, t in seeds.items():
    open(os.path.join(d, name + ".txtpb"), "w", encoding="utf-8").write(t + "\n")
PY
for f in "$out"/worker/*.txtpb; do
  protoc --proto_path=. --encode=hero.EvaluateRequest proto/worker.proto \
    < "$f" > "${f%.txtpb}.bin"
  rm "$f"
done

echo "seeds: $(find "$out" -type f | wc -l) files in $out"
