"""Reference values of the recurrent fixture networks (LstmLm, GruClassifier), made with PyTorch.

Writes recurrent_reference.txt next to this file, read by RecurrentReferenceTest. For each
network NAME, one line per array, `NAME#what v0 v1 ...`:

  NAME#params       the parameters in Annonet's flat layout, which is state_dict order
                    (Embedding weight [V][dim]; LSTM or GRU weight_ih_l0 [G*H][I], weight_hh_l0
                    [G*H][H], bias_ih_l0 [G*H], bias_hh_l0 [G*H]; Linear weight [out][in], bias)
  NAME#x            the inputs, [batch][T] token ids or [batch][T][F] values
  NAME#y            the targets: class indices, [batch][T] at every position or [batch]
  NAME#output       what predict() returns: softmax probabilities
  NAME#loss         the mean loss
  NAME#grads        the gradient of the loss, in the parameters' layout

and for LstmLm, five steps of torch.optim.Adam(lr=0.01) (betas 0.9, 0.999, eps 1e-8) on the
same batch from the same parameters:

  LstmLm#adam_losses   the loss before each step
  LstmLm#adam_params   the parameters after the fifth step

The parameters are PyTorch's own initialisation from a fixed seed (nn.LSTM and nn.GRU:
U(-1/sqrt(H), 1/sqrt(H)) for every tensor, Annonet's initialisation too).

Model files both ways: lstmlm_torch.safetensors is the LstmLm module's state_dict as PyTorch
names it (rnn.weight_ih_l0, ...), which RecurrentReferenceTest loads into Annonet's model to
reproduce LstmLm#output; and lstmlm_annonet.safetensors, which RecurrentReferenceTest writes
(and compares byte for byte with this committed copy), is loaded into the PyTorch module with
load_state_dict(strict=True), and the module's predictions for the LstmLm#x batch are written to
lstmlm_annonet_torch_predictions.txt, which the Java test compares with Annonet's.

Run with Debian's PyTorch: /usr/bin/python3 make_recurrent_reference.py
"""
import json
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
# The line format of the sequence references, and the safetensors reader of the model-file check.
sys.path[:0] = [os.path.join(HERE, "..", "sequence"), os.path.join(HERE, "..", "safetensors")]
from check_annonet_file import load_file  # noqa: E402
from make_safetensors_fixture import save_file  # noqa: E402
from make_sequence_reference import line  # noqa: E402
BATCH = 3


class LstmLm(nn.Module):
    """@TokenInput(5, 7) -> @Embedding(6) -> @Lstm(hidden = 8) -> @Dense(7),
    @SoftmaxCrossEntropy at every position."""

    steps, vocabulary = 5, 7

    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(7, 6)
        self.rnn = nn.LSTM(6, 8, batch_first=True)
        self.logits = nn.Linear(8, 7)

    def forward(self, ids):
        out, _ = self.rnn(self.emb(ids))
        return self.logits(out)

    def inputs(self):
        return torch.randint(0, self.vocabulary, (BATCH, self.steps))

    def targets(self):
        return torch.randint(0, self.vocabulary, (BATCH, self.steps))

    def loss(self, out, y):
        return F.cross_entropy(out.reshape(-1, out.shape[-1]), y.reshape(-1))


class GruClassifier(nn.Module):
    """@SequenceInput(4, 3) -> @Dense(5) @Tanh -> @Gru(hidden = 6, lastStep = true) -> @Dense(3),
    @SoftmaxCrossEntropy."""

    def __init__(self):
        super().__init__()
        self.h = nn.Linear(3, 5)
        self.rnn = nn.GRU(5, 6, batch_first=True)
        self.logits = nn.Linear(6, 3)

    def forward(self, x):
        out, _ = self.rnn(torch.tanh(self.h(x)))
        return self.logits(out[:, -1, :])

    def inputs(self):
        return torch.randn(BATCH, 4, 3)

    def targets(self):
        return torch.randint(0, 3, (BATCH,))

    def loss(self, out, y):
        return F.cross_entropy(out, y)


def flat(tensors):
    return torch.cat([t.reshape(-1) for t in tensors])


def adam_trajectory(model, x, y, steps=5):
    opt = torch.optim.Adam(model.parameters(), lr=0.01, betas=(0.9, 0.999), eps=1e-8)
    losses = []
    for _ in range(steps):
        opt.zero_grad()
        loss = model.loss(model(x), y)
        losses.append(loss.item())
        loss.backward()
        opt.step()
    return torch.tensor(losses), flat([p for p in model.parameters()])


def check_annonet_file(x):
    """Loads Annonet's LstmLm file into nn.LSTM and friends; records the module's predictions."""
    path = os.path.join(HERE, "lstmlm_annonet.safetensors")
    if not os.path.exists(path):
        print("no " + path + " yet: run ModelFileTest, copy the file it names, and rerun")
        return
    tensors, meta = load_file(path)
    model = LstmLm()
    model.load_state_dict(tensors, strict=True)
    with torch.no_grad():
        probs = torch.softmax(model(x), dim=-1).reshape(-1)
    with open(os.path.join(HERE, "lstmlm_annonet_torch_predictions.txt"), "w") as f:
        f.write("# PyTorch's softmax(LstmLm(x)) with the weights Annonet saved (keys %s,"
                " metadata %s), x the LstmLm#x batch of recurrent_reference.txt\n"
                % (",".join(tensors.keys()), json.dumps(meta, sort_keys=True)))
        f.write(" ".join(repr(float(p)) for p in probs) + "\n")


def main():
    lines = ["# made by make_recurrent_reference.py with PyTorch " + torch.__version__]
    lstm_x = None
    for seed, cls in enumerate([LstmLm, GruClassifier]):
        torch.manual_seed(300 + seed)
        model = cls()
        x, y = model.inputs(), model.targets()
        out = model(x)
        loss = model.loss(out, y)
        loss.backward()
        params = [p for _, p in model.named_parameters()]
        name = cls.__name__
        lines.append(line(name, "params", flat(params)))
        lines.append(line(name, "x", x.float()))
        lines.append(line(name, "y", y.float()))
        lines.append(line(name, "output", torch.softmax(out, dim=-1)))
        lines.append(line(name, "loss", loss.reshape(1)))
        lines.append(line(name, "grads", flat([p.grad for p in params])))
        if cls is LstmLm:
            lstm_x = x
            save_file(model.state_dict(), os.path.join(HERE, "lstmlm_torch.safetensors"))
            losses, after = adam_trajectory(model, x, y)
            lines.append(line(name, "adam_losses", losses))
            lines.append(line(name, "adam_params", after))
    with open(os.path.join(HERE, "recurrent_reference.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")
    check_annonet_file(lstm_x)


if __name__ == "__main__":
    main()
