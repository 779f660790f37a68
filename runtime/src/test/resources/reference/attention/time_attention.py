#!/usr/bin/python3
"""Times forward + backward of torch.nn.MultiheadAttention as causal self-attention.

Usage: /usr/bin/python3 time_attention.py BATCH T D HEADS THREADS

Prints one line, `torch ms <best milliseconds per step> samples/s <samples per second>`: the
best of 5 rounds of 20 steps, each out = m(x, x, x, attn_mask=causal, need_weights=False) and
(out * R).sum().backward(), after 5 warm-up steps. AttentionBench runs it in the same run as the
Java kernels.
"""

import os
import sys
import time

BATCH, T, D, HEADS, THREADS = (int(a) for a in sys.argv[1:6])
# Before torch is imported, so that its OpenMP and BLAS pools are sized to match.
for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[variable] = str(THREADS)

import torch  # noqa: E402


def main():
    batch, t, d, heads = BATCH, T, D, HEADS
    torch.set_num_threads(THREADS)
    torch.manual_seed(0)
    m = torch.nn.MultiheadAttention(d, heads, batch_first=True)
    x = torch.randn(batch, t, d, requires_grad=True)
    r = torch.randn(batch, t, d)
    mask = torch.triu(torch.full((t, t), float("-inf")), 1)

    def step():
        out, _ = m(x, x, x, attn_mask=mask, need_weights=False)
        (out * r).sum().backward()

    for _ in range(5):
        step()
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(20):
            step()
        best = min(best, (time.perf_counter() - start) / 20)
    print("torch ms %.3f samples/s %.1f" % (best * 1e3, batch / best))


if __name__ == "__main__":
    main()
