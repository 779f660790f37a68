#!/usr/bin/python3
"""Times PyTorch's nn.LSTM and nn.GRU forward + backward on CPU, for RnnBench to compare with.

    /usr/bin/python3 torch_rnn_bench.py BATCH STEPS IN HIDDEN THREADS

Each layer is nn.LSTM / nn.GRU(IN, HIDDEN, batch_first=True); one pass is the forward over x
[BATCH][STEPS][IN] (x requires grad, as after an embedding) and the backward of sum(out * r),
which computes every parameter gradient and x's. Prints the BLAS libraries loaded, then one
line per kind: `<kind> <best ms>`, the best of 10 rounds of at least 0.3 s each after a warm-up (on a shared machine the
best round is the one least disturbed).
"""

import sys
import time

import torch

batch, steps, n_in, hidden, threads = (int(a) for a in sys.argv[1:6])
torch.set_num_threads(threads)
torch.manual_seed(7)
torch.ones(8, 8) @ torch.ones(8, 8)  # loads the BLAS
with open("/proc/self/maps") as maps:
    libs = sorted({line.split()[-1] for line in maps if "blas" in line.lower()})
print("pytorch " + torch.__version__ + ", BLAS: " + (" ".join(libs) or "none found"), flush=True)
for kind in ("LSTM", "GRU"):
    layer = getattr(torch.nn, kind)(n_in, hidden, batch_first=True)
    x = torch.randn(batch, steps, n_in, requires_grad=True)
    r = torch.randn(batch, steps, hidden)

    def one_pass():
        layer.zero_grad(set_to_none=True)
        x.grad = None
        out, _ = layer(x)
        (out * r).sum().backward()

    for _ in range(5):
        one_pass()
    best = float("inf")
    for _ in range(10):
        n = 0
        t0 = time.perf_counter()
        while True:
            one_pass()
            n += 1
            elapsed = time.perf_counter() - t0
            if elapsed >= 0.3:
                break
        best = min(best, elapsed / n)
    print(f"{kind} {best * 1e3:.3f}", flush=True)
