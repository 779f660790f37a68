"""Reference values of the sequence fixture networks, made with PyTorch.

Writes sequence_reference.txt next to this file, read by SequenceReferenceTest. For each network
NAME, one line per array, `NAME#what v0 v1 ...`:

  NAME#params   the parameters in Annonet's flat layout, which is state_dict order (Embedding:
                weight [V][dim]; the position table: weight [T][d]; Linear: weight [out][in],
                then bias; LayerNorm: weight, then bias)
  NAME#x        the inputs, [batch][T] token ids or [batch][T][F] values
  NAME#y        the targets: class indices ([batch][T] at every position, or [batch]) or values
  NAME#output   what predict() returns: softmax probabilities for the cross-entropy, else the
                outputs
  NAME#loss     the mean loss
  NAME#grads    the gradient of the loss, in the parameters' layout

The parameters are PyTorch's own initialisation from a fixed seed (nn.Embedding: N(0, 1); the
position table is an nn.Embedding(T, d) too, Annonet's @PositionalEmbedding initialisation).

Run with Debian's PyTorch: /usr/bin/python3 make_sequence_reference.py
"""
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

BATCH = 3


class TokenLm(nn.Module):
    """@TokenInput(5, 7) -> @Embedding(6) -> @PositionalEmbedding -> @Dense(8) @Relu
    -> @LayerNorm -> @Dense(7), @SoftmaxCrossEntropy at every position."""

    steps, vocabulary = 5, 7

    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(7, 6)
        self.pos = nn.Embedding(5, 6)
        self.h = nn.Linear(6, 8)
        self.ln = nn.LayerNorm(8)
        self.logits = nn.Linear(8, 7)

    def forward(self, ids):
        x = self.emb(ids) + self.pos.weight[None, :, :]
        return self.logits(self.ln(torch.relu(self.h(x))))

    def inputs(self):
        return torch.randint(0, self.vocabulary, (BATCH, self.steps))

    def targets(self):
        return torch.randint(0, self.vocabulary, (BATCH, self.steps))

    def loss(self, out, y):
        return F.cross_entropy(out.reshape(-1, out.shape[-1]), y.reshape(-1))

    def predict(self, out):
        return torch.softmax(out, dim=-1)


class SeqLastHead(nn.Module):
    """@SequenceInput(4, 3) -> @Dense(5) @Tanh -> @LayerNorm @Relu -> @LastStep -> @Dense(3),
    @SoftmaxCrossEntropy."""

    def __init__(self):
        super().__init__()
        self.h = nn.Linear(3, 5)
        self.ln = nn.LayerNorm(5)
        self.logits = nn.Linear(5, 3)

    def forward(self, x):
        h = torch.relu(self.ln(torch.tanh(self.h(x))))
        return self.logits(h[:, -1, :])

    def inputs(self):
        return torch.randn(BATCH, 4, 3)

    def targets(self):
        return torch.randint(0, 3, (BATCH,))

    def loss(self, out, y):
        return F.cross_entropy(out, y)

    def predict(self, out):
        return torch.softmax(out, dim=-1)


class SeqMeanHead(nn.Module):
    """@SequenceInput(4, 3) -> @Dense(5) @Tanh 'a' -> @Dense(5) @Sigmoid -> @Add(from = "a")
    -> @PositionalEmbedding -> @MeanOverSteps -> @Dense(2), @SquaredError."""

    def __init__(self):
        super().__init__()
        self.a = nn.Linear(3, 5)
        self.b = nn.Linear(5, 5)
        self.pos = nn.Embedding(4, 5)
        self.y = nn.Linear(5, 2)

    def forward(self, x):
        a = torch.tanh(self.a(x))
        s = torch.sigmoid(self.b(a)) + a + self.pos.weight[None, :, :]
        return self.y(s.mean(dim=1))

    def inputs(self):
        return torch.randn(BATCH, 4, 3)

    def targets(self):
        return torch.randn(BATCH, 2)

    def loss(self, out, y):
        return F.mse_loss(out, y)

    def predict(self, out):
        return out


def line(name, what, values):
    flat = values.detach().reshape(-1).tolist()
    return name + "#" + what + " " + " ".join("%.9g" % v for v in flat)


def main():
    lines = ["# made by make_sequence_reference.py with PyTorch " + torch.__version__]
    for seed, cls in enumerate([TokenLm, SeqLastHead, SeqMeanHead]):
        torch.manual_seed(100 + seed)
        model = cls()
        x, y = model.inputs(), model.targets()
        out = model(x)
        loss = model.loss(out, y)
        loss.backward()
        params = [p for _, p in model.named_parameters()]
        name = cls.__name__
        lines.append(line(name, "params", torch.cat([p.reshape(-1) for p in params])))
        lines.append(line(name, "x", x.float()))
        lines.append(line(name, "y", y.float()))
        lines.append(line(name, "output", model.predict(out)))
        lines.append(line(name, "loss", loss.reshape(1)))
        lines.append(line(name, "grads", torch.cat([p.grad.reshape(-1) for p in params])))
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sequence_reference.txt")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
