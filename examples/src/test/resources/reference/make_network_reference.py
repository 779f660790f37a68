"""Reference losses and gradients of the fixture networks, made with PyTorch.

Writes network_reference.txt next to this file: one line per fixture network,
`name loss g_0 g_1 ...`, the gradient in state_dict order (each Linear: weight [out][in], then
bias), which is Annonet's flat parameter layout. Parameters, inputs and targets follow fixed
formulas that NetworkReferenceTest repeats in Java:

  parameter k:  0.5 * sin(0.37 k + 0.1)
  input i:      1.3 * cos(0.71 i)          (flat [batch][inputs])
  target:       class (2b + 1) % classes, or b % 2 for binary, or 0.5 sin(1.3 i)

Run with Debian's PyTorch: /usr/bin/python3 make_network_reference.py
"""
import math
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

BATCH = 3


class LogCosh(nn.Module):
    def forward(self, out, y):
        return torch.log(torch.cosh(y - out)).mean()


class HalfMse(nn.Module):
    def forward(self, out, y):
        return 0.5 * F.mse_loss(out, y)


def mlp(sizes, acts, flatten=False):
    layers = [nn.Flatten()] if flatten else []
    for i, act in enumerate(acts):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if act is not None:
            layers.append(act)
    return nn.Sequential(*layers)


# name, input shape, network, loss, task
FIXTURES = [
    ("ReluSoftmaxCe", (5,), mlp([5, 7, 4], [nn.ReLU(), None]), nn.CrossEntropyLoss(), "multi"),
    ("TanhSigmoidSquared", (3,), mlp([3, 6, 2], [nn.Tanh(), nn.Sigmoid()]), nn.MSELoss(), "reg"),
    ("LeakyHalfSquared", (4,),
     mlp([4, 5, 5, 3], [nn.LeakyReLU(0.1), nn.LeakyReLU(0.2), None]), HalfMse(), "reg"),
    ("AbsoluteNet", (4,), mlp([4, 6, 2], [nn.Sigmoid(), None]), nn.L1Loss(), "reg"),
    ("HuberNet", (4,), mlp([4, 6, 3], [nn.Tanh(), None]), nn.HuberLoss(delta=0.5), "reg"),
    ("BinaryNet", (4,), mlp([4, 6, 1], [nn.ReLU(), None]), nn.BCEWithLogitsLoss(), "binary"),
    ("SoftmaxOutput", (4,), mlp([4, 5, 3], [nn.Tanh(), nn.Softmax(dim=1)]), nn.MSELoss(), "reg"),
    ("FlattenNet", (2, 3, 3), mlp([18, 5, 3], [nn.ReLU(), None], flatten=True),
     nn.CrossEntropyLoss(), "multi"),
    ("RobustNet", (4,), mlp([4, 6, 2], [nn.Tanh(), None]), LogCosh(), "reg"),
]


def main():
    torch.set_default_dtype(torch.float32)
    lines = []
    for name, shape, net, loss_fn, task in FIXTURES:
        k = 0
        with torch.no_grad():
            for p in net.parameters():
                flat = torch.tensor(
                    [0.5 * math.sin(0.37 * (k + j) + 0.1) for j in range(p.numel())])
                p.copy_(flat.reshape(p.shape))
                k += p.numel()
        n_in = math.prod(shape)
        x = torch.tensor([1.3 * math.cos(0.71 * i) for i in range(BATCH * n_in)])
        x = x.reshape((BATCH,) + shape)
        out = net(x)
        units = out.shape[1]
        if task == "multi":
            y = torch.tensor([(2 * b + 1) % units for b in range(BATCH)])
        elif task == "binary":
            y = torch.tensor([[float(b % 2)] for b in range(BATCH)])
        else:
            y = torch.tensor([0.5 * math.sin(1.3 * i) for i in range(BATCH * units)])
            y = y.reshape(BATCH, units)
        loss = loss_fn(out, y)
        net.zero_grad()
        loss.backward()
        grads = torch.cat([p.grad.reshape(-1) for p in net.parameters()])
        values = [repr(float(loss))] + [repr(float(g)) for g in grads]
        lines.append(name + " " + " ".join(values))
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "network_reference.txt")
    with open(path, "w") as f:
        f.write("# made by make_network_reference.py with torch " + torch.__version__ + "\n")
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
