#!/usr/bin/python3
"""Writes lstm.txt and gru.txt: PyTorch forward values and gradients of one small nn.LSTM and
one small nn.GRU, for the Java tests LstmTest and GruTest (which never run Python).

Run from this directory with Debian's PyTorch (apt-get install python3-torch python3-numpy):

    /usr/bin/python3 make_rnn_reference.py

Each layer is nn.LSTM / nn.GRU(IN, HIDDEN, batch_first=True), one layer, one direction, zero
initial state, with PyTorch's default initialisation from a fixed seed. Parameters and inputs
are drawn in float32; everything is then computed in float64 from those same values, so the
files hold the exact answer (to double rounding) the float32 kernels are compared against.

Two losses, each with its own random weights R:
    all:  L = sum(out * r_all)       out [B][T][H], every step's hidden state
    last: L = sum(out[:, -1] * r_last)  the last step only (= h_n[0])

File format, one tensor per line: `<name> <shape, dims joined by x> <values...>`, values in
row-major order as exact decimals. Lines in order: the parameters as `param.<state_dict name>`
in state_dict order, then x, r_all, r_last, out, h_n (and c_n for the LSTM), then the gradients
`all.<name>` and `last.<name>` of every parameter and of x.
"""

import torch

BATCH, STEPS, IN, HIDDEN = 2, 5, 3, 4


def write(f, name, t):
    dims = "x".join(str(d) for d in t.shape)
    values = " ".join(repr(float(v)) for v in t.detach().reshape(-1).tolist())
    f.write(f"{name} {dims} {values}\n")


def reference(kind, seed):
    torch.manual_seed(seed)
    layer = getattr(torch.nn, kind)(IN, HIDDEN, batch_first=True)  # float32 default init
    x = torch.randn(BATCH, STEPS, IN)
    r_all = torch.randn(BATCH, STEPS, HIDDEN)
    r_last = torch.randn(BATCH, HIDDEN)
    layer = layer.double()
    x64 = x.double()
    with open(f"{kind.lower()}.txt", "w") as f:
        f.write(f"# {kind}({IN}, {HIDDEN}, batch_first=True), torch {torch.__version__},"
                f" seed {seed}, float64 from float32 values\n")
        for name, value in layer.state_dict().items():
            write(f, "param." + name, value)
        write(f, "x", x)
        write(f, "r_all", r_all)
        write(f, "r_last", r_last)
        out, state = layer(x64)
        write(f, "out", out)
        if kind == "LSTM":
            write(f, "h_n", state[0])
            write(f, "c_n", state[1])
        else:
            write(f, "h_n", state)
        for case, loss_of in (("all", lambda o: (o * r_all.double()).sum()),
                              ("last", lambda o: (o[:, -1] * r_last.double()).sum())):
            xg = x64.clone().requires_grad_(True)
            layer.zero_grad()
            out, _ = layer(xg)
            loss_of(out).backward()
            write(f, case + ".loss", loss_of(out).detach().reshape(1))
            for name, param in layer.named_parameters():
                write(f, f"{case}.{name}", param.grad)
            write(f, case + ".x", xg.grad)


reference("LSTM", 14)
reference("GRU", 15)
