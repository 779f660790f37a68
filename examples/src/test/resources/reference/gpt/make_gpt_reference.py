"""Reference values of the GPT fixtures (SmallGpt, SmallGptTanh), made with PyTorch.

Writes gpt_reference.txt next to this file, read by GptReferenceTest. For each network NAME, one
line per array, `NAME#what v0 v1 ...`:

  NAME#params    the float32 parameters in Annonet's flat layout, which is state_dict order
                 (Embedding weight [V][d]; the position table [T][d]; per block: LayerNorm
                 weight, bias; MultiheadAttention in_proj_weight [3d][d], in_proj_bias [3d],
                 out_proj.weight [d][d], out_proj.bias [d]; LayerNorm; Linear weight [out][in],
                 bias; Linear; then the final LayerNorm and the head)
  NAME#x         the token ids, [batch][T]
  NAME#y         the next-token targets, [batch][T]
  NAME#output    softmax probabilities at every position, what predict() returns
  NAME#loss      the mean cross-entropy over batch and positions
  NAME#grads     its gradient, in the parameters' layout
  NAME#losses    the losses of 5 AdamW steps (torch.optim.AdamW(lr=1e-2), its defaults
                 otherwise: betas (0.9, 0.999), eps 1e-8, weight_decay 1e-2) on that batch, each
                 before its step
  NAME#params5   the parameters after those 5 steps

Parameters: PyTorch's own initialisation from a fixed seed, then every parameter moved by
N(0, 0.1^2) so that no bias is zero and no norm scale is one (every parameter then matters,
except the attention's key bias: softmax is shift-invariant per query, so its gradient is 0).
Those float32 numbers are the start; everything after is computed in float64, so the values are
PyTorch's math on Annonet's inputs and the differences the test sees are Annonet's float32
rounding.

Also writes, for ModelFileTest, smallgpt_torch.safetensors (the SmallGpt module's state_dict at
the start, float32, PyTorch's names) and smallgpt_torch_predictions.txt (its probabilities on
this file's SmallGpt#x).

Run with Debian's PyTorch: /usr/bin/python3 make_gpt_reference.py
"""
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "safetensors"))
from make_safetensors_fixture import save_file  # noqa: E402  (the safetensors layout)
BATCH = 3
STEPS = 5
LR = 1e-2


class Gpt(nn.Module):
    """The fixtures' layers under their field names and in their order, so that state_dict()
    has Annonet's names and named_parameters() is Annonet's layout: Embedding 'emb', the position
    table 'pos', two pre-norm blocks (LayerNorm, causal MultiheadAttention, residual; LayerNorm,
    Linear, GELU, Linear, residual), LayerNorm 'lnf' and the head 'logits'."""

    BLOCKS = [("ln1", "attn1", "res1", "ln2", "up1", "down1"),
              ("ln3", "attn2", "res3", "ln4", "up2", "down2")]

    def __init__(self, steps, vocabulary, d, heads, gelu):
        super().__init__()
        self.steps, self.vocabulary, self.gelu = steps, vocabulary, gelu
        self.emb = nn.Embedding(vocabulary, d)
        self.pos = nn.Embedding(steps, d)
        for ln_a, attn, _, ln_m, up, down in self.BLOCKS:
            setattr(self, ln_a, nn.LayerNorm(d))
            setattr(self, attn, nn.MultiheadAttention(d, heads, batch_first=True))
            setattr(self, ln_m, nn.LayerNorm(d))
            setattr(self, up, nn.Linear(d, 4 * d))
            setattr(self, down, nn.Linear(4 * d, d))
        self.lnf = nn.LayerNorm(d)
        self.logits = nn.Linear(d, vocabulary)

    def forward(self, ids):
        x = self.emb(ids) + self.pos.weight[None, :, :]
        t = x.shape[1]
        mask = torch.triu(torch.full((t, t), float("-inf"), dtype=x.dtype), 1)
        for ln_a, attn, _, ln_m, up, down in self.BLOCKS:
            h = getattr(self, ln_a)(x)
            x = x + getattr(self, attn)(h, h, h, attn_mask=mask, need_weights=False)[0]
            h = getattr(self, up)(getattr(self, ln_m)(x))
            x = x + getattr(self, down)(F.gelu(h, approximate=self.gelu))
        return self.logits(self.lnf(x))


FIXTURES = [("SmallGpt", dict(steps=6, vocabulary=11, d=8, heads=2, gelu="none")),
            ("SmallGptTanh", dict(steps=5, vocabulary=9, d=12, heads=3, gelu="tanh"))]


def line(name, what, values):
    flat = values.detach().reshape(-1).tolist()
    return name + "#" + what + " " + " ".join("%.17g" % v for v in flat)


def flat(tensors):
    return torch.cat([t.reshape(-1) for t in tensors])


def main():
    lines = ["# made by make_gpt_reference.py with PyTorch " + torch.__version__]
    for seed, (name, cfg) in enumerate(FIXTURES):
        torch.manual_seed(300 + seed)
        model = Gpt(**cfg)
        with torch.no_grad():
            for p in model.parameters():
                p.add_(0.1 * torch.randn_like(p))
        x = torch.randint(0, cfg["vocabulary"], (BATCH, cfg["steps"]))
        y = torch.randint(0, cfg["vocabulary"], (BATCH, cfg["steps"]))
        start = flat([p.detach() for p in model.parameters()]).clone()
        if name == "SmallGpt":
            state = {k: v for k, v in model.state_dict().items()}
            assert list(state) == [k for k, _ in model.named_parameters()]
            save_file(state, os.path.join(HERE, "smallgpt_torch.safetensors"))
            with torch.no_grad():
                probs = torch.softmax(model(x), dim=-1).reshape(-1)
            with open(os.path.join(HERE, "smallgpt_torch_predictions.txt"), "w") as f:
                f.write("# PyTorch's float32 softmax(SmallGpt(x)) at every position, x = "
                        + " ".join(str(v) for v in x.reshape(-1).tolist()) + "\n")
                f.write(" ".join(repr(float(p)) for p in probs) + "\n")
        model = model.double()
        params = list(model.parameters())

        def loss_of():
            out = model(x)
            return out, F.cross_entropy(out.reshape(-1, out.shape[-1]), y.reshape(-1))

        out, loss = loss_of()
        loss.backward()
        lines.append(line(name, "params", start))
        lines.append(line(name, "x", x.double()))
        lines.append(line(name, "y", y.double()))
        lines.append(line(name, "output", torch.softmax(out, dim=-1)))
        lines.append(line(name, "loss", loss.reshape(1)))
        lines.append(line(name, "grads", flat([p.grad for p in params])))
        opt = torch.optim.AdamW(params, lr=LR)
        losses = []
        for _ in range(STEPS):
            opt.zero_grad()
            _, loss = loss_of()
            loss.backward()
            losses.append(loss.detach())
            opt.step()
        lines.append(line(name, "losses", torch.stack(losses)))
        lines.append(line(name, "params5", flat([p.detach() for p in params])))
    with open(os.path.join(HERE, "gpt_reference.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
