#!/usr/bin/env python3
"""PyTorch (eager) CPU training anchors for the sequence workloads W6 and W7.

Run with Debian's python (apt-get install python3-torch python3-numpy libopenblas0-openmp), from
the repository root, through the OpenMP OpenBLAS as for torch_mlp.py:

  ../shared/bench/blas.sh openblas-openmp /usr/bin/python3 benchmarks/torch_seq.py --threads 1,2
  /usr/bin/python3 benchmarks/torch_seq.py --workload W6 --threads 1 --json
  /usr/bin/python3 benchmarks/torch_seq.py --workload W7 --dump-data seq-data

Workloads (float32; tokens of a vocabulary of 65, the size of character-level Shakespeare):
  W6 small-gpt   token + learned positional embedding (T 64, width 128), 2 pre-LayerNorm blocks
                 (x + MultiheadAttention(LN(x)) with 4 heads and a causal mask, then
                 x + Linear(GELU(Linear(LN(x)))) with 4x width), final LayerNorm, linear head;
                 cross-entropy at every position; AdamW lr 3e-4; batch 32, n 2048
  W7 lstm-lm     embedding 64, LSTM hidden 256 (T 32), linear head at every position;
                 cross-entropy at every position; Adam lr 1e-3; batch 32, n 2048

Data: each sample is T + 1 tokens of a fixed random first-order Markov chain (start token
uniform; each row of the transition matrix a softmax of N(0, 2^2) logits, all from --seed), the
input its first T tokens and the target its last T (the next token at every position).

Protocol, as torch_mlp.py's for W1-W5 (../shared/bench/WORKLOADS.md): 1 warm-up epoch, then 3
timed epochs, each reshuffling the samples with one gather and taking contiguous batches of the
shuffled copy; reports the median seconds per epoch and samples/s = n / that median. The loss is
the mean over batch and positions (PyTorch's cross_entropy), so samples/s counts sequences.

Variants (--variant): eager (opt.zero_grad(); loss = model(x, y); loss.backward(); opt.step(),
torch 1.13 defaults) and tuned (zero_grad(set_to_none=True), foreach=True optimizer).

FLOPs/sample (flops_6mac = 6 x multiply-adds, 2 forward, 2 for dW, 2 for dX): W6 counts its
products T (12 L d^2 + V d) plus the attention's 2 L T^2 d as PyTorch computes them (the whole
T x T square, masked afterwards); W7 counts T (4 h (e + h) + V h). The embeddings are trained,
so no input gradient is skipped: flops_exact = flops_6mac.

--threads takes a comma list; each thread count runs in a fresh process, so that OpenMP and
OpenBLAS size their pools to it before torch is imported.
"""
import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import time

VOCAB = 65
WORKLOADS = {
    "W6": dict(name="small-gpt", arch="gpt", vocab=VOCAB, t=64, width=128, heads=4, blocks=2,
               opt="adamw", lr=3e-4, batch=32, n=2048),
    "W7": dict(name="lstm-lm", arch="lstm", vocab=VOCAB, t=32, embedding=64, hidden=256,
               opt="adam", lr=1e-3, batch=32, n=2048),
}
VARIANTS = ["eager", "tuned"]


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--workload", default="all", help="comma list of W6, W7, or 'all'")
    p.add_argument("--threads", default="1,2", help="comma list of thread counts")
    p.add_argument("--variant", default="eager", help="comma list of %s, or 'all'" % ",".join(VARIANTS))
    p.add_argument("--epochs", type=int, default=3, help="timed epochs (median reported)")
    p.add_argument("--warmup", type=int, default=1, help="untimed warm-up epochs")
    p.add_argument("--seed", type=int, default=1234)
    p.add_argument("--n", type=int, default=None, help="override the number of sequences")
    p.add_argument("--json", action="store_true", help="also print one JSON line per result")
    p.add_argument("--no-header", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--dump-data", metavar="DIR", default=None,
                   help="write each workload's tokens as raw little-endian int32 files (X [n][T], "
                        "y [n][T]) + JSON header into DIR and exit")
    return p.parse_args()


args = parse_args()
THREADS = [int(s) for s in args.threads.split(",")]
if len(THREADS) == 1:
    # Before torch is imported, so that its OpenMP and BLAS pools are sized accordingly.
    for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "BLIS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[k] = str(THREADS[0])

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402


class Block(nn.Module):
    """Pre-LayerNorm transformer block: causal self-attention, then a GELU MLP, each residual."""

    def __init__(self, d, heads):
        super().__init__()
        self.ln1 = nn.LayerNorm(d)
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.ln2 = nn.LayerNorm(d)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x, mask):
        h = self.ln1(x)
        a, _ = self.attn(h, h, h, attn_mask=mask, need_weights=False)
        x = x + a
        return x + self.mlp(self.ln2(x))


class Gpt(nn.Module):
    def __init__(self, w):
        super().__init__()
        d, t = w["width"], w["t"]
        self.tok = nn.Embedding(w["vocab"], d)
        self.pos = nn.Embedding(t, d)
        self.blocks = nn.ModuleList(Block(d, w["heads"]) for _ in range(w["blocks"]))
        self.ln = nn.LayerNorm(d)
        self.head = nn.Linear(d, w["vocab"])
        self.register_buffer("positions", torch.arange(t))
        self.register_buffer("mask", torch.triu(torch.full((t, t), float("-inf")), 1))

    def forward(self, idx):
        x = self.tok(idx) + self.pos(self.positions)
        for block in self.blocks:
            x = block(x, self.mask)
        return self.head(self.ln(x))


class LstmLm(nn.Module):
    def __init__(self, w):
        super().__init__()
        self.embed = nn.Embedding(w["vocab"], w["embedding"])
        self.lstm = nn.LSTM(w["embedding"], w["hidden"], batch_first=True)
        self.head = nn.Linear(w["hidden"], w["vocab"])

    def forward(self, idx):
        h, _ = self.lstm(self.embed(idx))
        return self.head(h)


class WithLoss(nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, x, y):
        logits = self.model(x)
        return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1))


def build_model(w):
    return Gpt(w) if w["arch"] == "gpt" else LstmLm(w)


def macs_per_sample(w):
    t, v = w["t"], w["vocab"]
    if w["arch"] == "gpt":
        d, blocks = w["width"], w["blocks"]
        return t * (12 * blocks * d * d + v * d) + 2 * blocks * t * t * d
    e, h = w["embedding"], w["hidden"]
    return t * (4 * h * (e + h) + v * h)


def make_data(w, seed, n):
    """n sequences of T + 1 tokens of a random Markov chain; X the first T, Y the last T."""
    g = torch.Generator().manual_seed(seed)
    v, t = w["vocab"], w["t"]
    transitions = torch.softmax(2 * torch.randn(v, v, generator=g), dim=1)
    seq = torch.empty(n, t + 1, dtype=torch.long)
    seq[:, 0] = torch.randint(v, (n,), generator=g)
    for i in range(t):
        seq[:, i + 1] = torch.multinomial(transitions[seq[:, i]], 1, generator=g).squeeze(1)
    return seq[:, :t].contiguous(), seq[:, 1:].contiguous()


def make_optimizer(w, params, foreach):
    kw = {"foreach": True} if foreach else {}
    if w["opt"] == "adamw":
        return torch.optim.AdamW(params, lr=w["lr"], **kw)
    if w["opt"] == "adam":
        return torch.optim.Adam(params, lr=w["lr"], **kw)
    raise ValueError(w["opt"])


def run_one(wid, variant, nthreads, epochs, warmup, seed, n_override):
    w = WORKLOADS[wid]
    n = n_override or w["n"]
    batch = w["batch"]
    X, Y = make_data(w, seed, n)
    torch.manual_seed(seed + 2)
    model = build_model(w)
    step_mod = WithLoss(model)
    tuned = variant == "tuned"
    opt = make_optimizer(w, model.parameters(), foreach=tuned)
    gen = torch.Generator().manual_seed(seed + 3)

    def epoch():
        perm = torch.randperm(n, generator=gen)
        Xs, Ys = X[perm], Y[perm]
        loss_sum = 0.0
        nb = 0
        for i in range(0, n - batch + 1, batch):
            opt.zero_grad(set_to_none=tuned)
            loss = step_mod(Xs[i:i + batch], Ys[i:i + batch])
            loss.backward()
            opt.step()
            loss_sum += loss.item()
            nb += 1
        return loss_sum / nb

    for _ in range(warmup):
        epoch()
    times, losses = [], []
    for _ in range(epochs):
        t0 = time.perf_counter()
        losses.append(epoch())
        times.append(time.perf_counter() - t0)
    med = statistics.median(times)
    samples_per_s = (n - n % batch) / med
    flops = 6 * macs_per_sample(w)
    return {
        "workload": wid, "name": w["name"], "variant": variant, "threads": nthreads,
        "n": n, "batch": batch, "epochs_timed": epochs,
        "s_per_epoch_median": med, "s_per_epoch_all": [round(t, 5) for t in times],
        "samples_per_s": samples_per_s, "final_loss": losses[-1],
        "uniform_loss": math.log(w["vocab"]),
        "params": sum(p.numel() for p in model.parameters()),
        "flops_6mac_per_sample": flops, "flops_exact_per_sample": flops,
        "gflops_6mac": flops * samples_per_s / 1e9, "gflops_exact": flops * samples_per_s / 1e9,
    }


def dump_data(wids, outdir, seed, n_override):
    os.makedirs(outdir, exist_ok=True)
    for wid in wids:
        w = WORKLOADS[wid]
        n = n_override or w["n"]
        X, Y = make_data(w, seed, n)
        X.numpy().astype("<i4").tofile(os.path.join(outdir, f"{wid}_X.i32"))
        Y.numpy().astype("<i4").tofile(os.path.join(outdir, f"{wid}_y.i32"))
        meta = dict(w, workload=wid, n=n, seed=seed, x_file=f"{wid}_X.i32", x_shape=list(X.shape),
                    y_file=f"{wid}_y.i32", y_dtype="i32", y_shape=list(Y.shape))
        with open(os.path.join(outdir, f"{wid}.json"), "w") as f:
            json.dump(meta, f, indent=1)
        print(f"wrote {wid} to {outdir}")


def loaded_libs():
    out = set()
    try:
        with open("/proc/self/maps") as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 6 and any(s in os.path.basename(parts[5]) for s in ("blas", "blis", "dnnl", "mkl")):
                    out.add(parts[5])
    except OSError:
        pass
    return sorted(out)


def main():
    wids = list(WORKLOADS) if args.workload == "all" else [s.strip().upper() for s in args.workload.split(",")]
    for wid in wids:
        if wid not in WORKLOADS:
            sys.exit(f"unknown workload {wid}")
    if args.dump_data:
        dump_data(wids, args.dump_data, args.seed, args.n)
        return
    variants = VARIANTS if args.variant == "all" else [s.strip() for s in args.variant.split(",")]
    for v in variants:
        if v not in VARIANTS:
            sys.exit(f"unknown variant {v}")
    if len(THREADS) > 1:
        # One process per thread count; the first prints the header.
        for i, nthreads in enumerate(THREADS):
            argv = [a for a in sys.argv[1:]]
            for j, a in enumerate(argv):
                if a == "--threads":
                    argv[j + 1] = str(nthreads)
                elif a.startswith("--threads="):
                    argv[j] = f"--threads={nthreads}"
            if "--threads" not in argv and not any(a.startswith("--threads=") for a in argv):
                argv += ["--threads", str(nthreads)]
            if i > 0:
                argv.append("--no-header")
            subprocess.run([sys.executable, os.path.abspath(__file__)] + argv, check=True)
        return
    nthreads = THREADS[0]
    torch.set_num_threads(nthreads)
    torch.set_num_interop_threads(1)
    if not args.no_header:
        print(f"# torch {torch.__version__} threads={torch.get_num_threads()} "
              f"cpu_capability={torch.backends.cpu.get_cpu_capability() if hasattr(torch.backends, 'cpu') else '?'}",
              flush=True)
        torch.zeros(2, 2) @ torch.zeros(2, 2)  # make sure the BLAS is loaded before we list it
        print(f"# libs: {' '.join(loaded_libs())}", flush=True)
        print(f"{'wl':3s} {'variant':11s} {'thr':>3s} {'s/epoch':>9s} {'samples/s':>11s} {'loss':>9s} "
              f"{'MFLOP/smp':>10s} {'GFLOP/s(6mac)':>13s}  epochs", flush=True)
    for wid in wids:
        for v in variants:
            r = run_one(wid, v, nthreads, args.epochs, args.warmup, args.seed, args.n)
            print(f"{wid:3s} {v:11s} {nthreads:3d} {r['s_per_epoch_median']:9.4f} {r['samples_per_s']:11.0f} "
                  f"{r['final_loss']:9.5f} {r['flops_6mac_per_sample'] / 1e6:10.4f} "
                  f"{r['gflops_6mac']:13.2f}  {r['s_per_epoch_all']}", flush=True)
            if args.json:
                print("JSON " + json.dumps(r), flush=True)


if __name__ == "__main__":
    main()
