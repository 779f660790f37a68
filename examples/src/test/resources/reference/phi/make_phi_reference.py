"""Reference values for the residual losses whose derivative Annonet derives from @Phi alone.

Writes phi_reference.txt next to this file:

  phi <loss> <r> <phi(r)> <dphi(r)>   each fixture's phi and its autograd derivative, float32,
                                      at its kinks and a few ordinary residuals
  loss <step> <value>                 PhiHuber trained by full-batch gradient descent: the mean
                                      loss before each step, then after the last
  param <k> <value>                   PhiHuber's parameters after the last step, in state_dict
                                      order (Annonet's flat layout)

Each loss is written as the Java of its fixture (examples/src/test/java/.../fixtures/Phi*.java),
with torch.where for a branch and torch.max(a, b) for Math.max, so that autograd picks the same
subgradient at a kink as the branch the Java takes (see Differentiator's documentation: torch.max
of two tensors gives half of the gradient to each on a tie). The training follows formulas that
DerivedPhiTrainingTest repeats:

  parameter k:  0.5 * sin(0.37 k + 0.1)
  input i:      1.3 * cos(0.71 i)          (flat [8][3])
  target b:     2 sin(1.3 b), plus 5 for b = 3 (an outlier, beyond Huber's delta)
  SGD, lr 0.1, 20 full-batch steps

Run with Debian's PyTorch: /usr/bin/python3 make_phi_reference.py
"""
import math
import os

import torch
import torch.nn as nn

F32 = torch.float32


def c(v):
    return torch.tensor(v, dtype=F32)


DELTA, TAU, CAUCHY, TUKEY, BETA = c(1.5), c(0.7), c(2.0), c(4.685), c(0.5)


def huber(r):
    a = torch.abs(r)
    return torch.where(a <= DELTA, 0.5 * r * r, DELTA * (a - 0.5 * DELTA))


def log_cosh(r):
    return torch.log(torch.cosh(r))


def pinball(r):
    return torch.max(TAU * r, (TAU - 1) * r)


def cauchy(r):
    return 0.5 * CAUCHY * CAUCHY * torch.log1p(r * r / (CAUCHY * CAUCHY))


def tukey(r):
    u = r / TUKEY
    v = 1 - u * u
    return torch.where(torch.abs(r) <= TUKEY, TUKEY * TUKEY / 6 * (1 - v * v * v),
                       TUKEY * TUKEY / 6)


def smooth_l1(r):
    a = torch.abs(r)
    return torch.where(a < BETA, r * r / (2 * BETA), a - 0.5 * BETA)


ORDINARY = [-3.0, -0.7, 0.3, 2.2]
LOSSES = [
    ("PhiHuber", huber, [0.0, 1.5, -1.5]),
    ("PhiLogCosh", log_cosh, [0.0]),
    ("PhiPinball", pinball, [0.0]),
    ("PhiCauchy", cauchy, [0.0]),
    ("PhiTukey", tukey, [0.0, 4.685, -4.685]),
    ("PhiSmoothL1", smooth_l1, [0.0, 0.5, -0.5]),
]


def phi_lines():
    lines = []
    for name, phi, kinks in LOSSES:
        for r0 in kinks + ORDINARY:
            r = torch.tensor(r0, dtype=F32, requires_grad=True)
            value = phi(r)
            value.backward()
            lines.append("phi %s %r %r %r" % (name, float(r), float(value), float(r.grad)))
    return lines


def training_lines():
    net = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1))
    k = 0
    with torch.no_grad():
        for p in net.parameters():
            flat = torch.tensor([0.5 * math.sin(0.37 * (k + j) + 0.1) for j in range(p.numel())])
            p.copy_(flat.reshape(p.shape))
            k += p.numel()
    x = torch.tensor([1.3 * math.cos(0.71 * i) for i in range(8 * 3)]).reshape(8, 3)
    y = torch.tensor([[2 * math.sin(1.3 * b) + (5.0 if b == 3 else 0.0)] for b in range(8)])
    opt = torch.optim.SGD(net.parameters(), lr=0.1)
    lines = []
    for step in range(20):
        opt.zero_grad()
        loss = huber(y - net(x)).mean()
        lines.append("loss %d %r" % (step, float(loss)))
        loss.backward()
        opt.step()
    with torch.no_grad():
        lines.append("loss 20 %r" % float(huber(y - net(x)).mean()))
    flat = torch.cat([p.detach().reshape(-1) for p in net.parameters()])
    lines += ["param %d %r" % (i, float(v)) for i, v in enumerate(flat)]
    return lines


def main():
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "phi_reference.txt")
    with open(path, "w") as f:
        f.write("# made by make_phi_reference.py with torch " + torch.__version__ + "\n")
        f.write("\n".join(phi_lines() + training_lines()) + "\n")


if __name__ == "__main__":
    main()
