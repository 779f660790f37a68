"""Reference losses and gradients of the fixture networks, made with PyTorch.

Writes network_reference.txt next to this file: one line per fixture network,
`name loss g_0 g_1 ...`, the gradient in state_dict order (each Linear: weight [out][in], then
bias), which is Annonet's flat parameter layout; and for batch norms, lines
`name#layer.running_mean v...` and `name#layer.running_var v...` after the one training-mode pass. Parameters, inputs and targets follow fixed
formulas that NetworkReferenceTest repeats in Java:

  parameter k:  0.5 * sin(0.37 k + 0.1)   (batch norm: weight and bias are parameters too)
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


class ResidualMlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.a, self.b, self.logits = nn.Linear(4, 6), nn.Linear(6, 6), nn.Linear(6, 3)

    def forward(self, x):
        a = torch.tanh(self.a(x))
        b = torch.tanh(self.b(a))
        return self.logits(torch.relu(b + a))


class ConcatNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.a, self.b, self.y = nn.Linear(4, 3), nn.Linear(3, 5), nn.Linear(12, 2)

    def forward(self, x):
        a = torch.tanh(self.a(x))
        b = torch.sigmoid(self.b(a))
        return self.y(torch.cat([b, a, x], dim=1))


class ResidualCnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 2, 3, padding=1)
        self.c2 = nn.Conv2d(2, 2, 3, padding=1)
        self.logits = nn.Linear(50, 3)

    def forward(self, x):
        c1 = torch.relu(self.c1(x))
        r = torch.tanh(self.c2(c1) + c1)
        return self.logits(r.flatten(1))


class NormNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.h, self.bn = nn.Linear(4, 6), nn.BatchNorm1d(6)
        self.g, self.ln = nn.Linear(6, 5), nn.LayerNorm(5)
        self.logits = nn.Linear(5, 3)

    def forward(self, x):
        b = torch.relu(self.bn(self.h(x)))
        return self.logits(torch.tanh(self.ln(self.g(b))))


class ConvBnNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1, self.bn = nn.Conv2d(2, 3, 3), nn.BatchNorm2d(3, momentum=0.2)
        self.y = nn.Linear(27, 2)

    def forward(self, x):
        return self.y(torch.tanh(self.bn(self.c1(x))).flatten(1))


class GeluNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.a, self.b = nn.Linear(4, 6), nn.Linear(6, 6)
        self.ln, self.y = nn.LayerNorm(10), nn.Linear(10, 2)

    def forward(self, x):
        a = F.gelu(self.a(x))
        b = F.gelu(self.b(a), approximate="tanh")
        r = F.gelu(b + a)
        c = F.gelu(torch.cat([r, x], dim=1), approximate="tanh")
        return F.gelu(self.y(F.gelu(self.ln(c))))


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
    ("ConvNet", (1, 6, 6),
     nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(8, 3)),
     nn.CrossEntropyLoss(), "multi"),
    ("ConvStrideAvg", (2, 7, 7),
     nn.Sequential(nn.Conv2d(2, 3, 3, stride=2, padding=1), nn.Tanh(), nn.AvgPool2d(2),
                   nn.Flatten(), nn.Linear(12, 2)),
     nn.MSELoss(), "reg"),
    ("ResidualMlp", (4,), ResidualMlp(), nn.CrossEntropyLoss(), "multi"),
    ("ConcatNet", (4,), ConcatNet(), nn.MSELoss(), "reg"),
    ("ResidualCnn", (1, 5, 5), ResidualCnn(), nn.CrossEntropyLoss(), "multi"),
    ("NormNet", (4,), NormNet(), nn.CrossEntropyLoss(), "multi"),
    ("ConvBnNet", (2, 5, 5), ConvBnNet(), nn.MSELoss(), "reg"),
    # Dropout's masks come from each library's own generator: compared in inference mode.
    ("DropoutNet", (5,), mlp([5, 8, 3], [nn.ReLU(), None]), nn.CrossEntropyLoss(), "multi"),
    ("GeluNet", (4,), GeluNet(), nn.MSELoss(), "reg"),
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
        # Batch norm's running statistics after this one training-mode forward pass.
        for key, value in net.state_dict().items():
            if key.endswith("running_mean") or key.endswith("running_var"):
                lines.append(name + "#" + key + " "
                             + " ".join(repr(float(v)) for v in value.reshape(-1)))
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "network_reference.txt")
    with open(path, "w") as f:
        f.write("# made by make_network_reference.py with torch " + torch.__version__ + "\n")
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
