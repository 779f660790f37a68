"""A safetensors file written from a PyTorch module's state_dict, for ModelFileTest.

The module has the fields of the NormNet fixture network (h, bn, g, ln, logits), with
parameters from torch.manual_seed(7) and batch-norm running statistics moved by one
training-mode pass. The file is written in the safetensors layout (8-byte little-endian header
length, JSON header, little-endian float32 data) by the code below, since Debian's PyTorch
ships without the safetensors package; the layout is the one safetensors.torch.save_file writes.
Also writes the module's output for a fixed input, so the test can compare predictions.

Run with Debian's PyTorch: /usr/bin/python3 make_safetensors_fixture.py
"""
import json
import math
import os
import struct

import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))


class NormNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.h, self.bn = nn.Linear(4, 6), nn.BatchNorm1d(6)
        self.g, self.ln = nn.Linear(6, 5), nn.LayerNorm(5)
        self.logits = nn.Linear(5, 3)

    def forward(self, x):
        b = torch.relu(self.bn(self.h(x)))
        return self.logits(torch.tanh(self.ln(self.g(b))))


def save_file(tensors, path):
    header, offset, blobs = {}, 0, []
    for name, t in tensors.items():
        data = t.detach().to(torch.float32).contiguous().numpy().tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    text = json.dumps(header, separators=(",", ":"))
    text += " " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text.encode("utf-8"))
        for b in blobs:
            f.write(b)


def main():
    torch.manual_seed(7)
    net = NormNet()
    net.train()
    net(torch.randn(16, 4) * 2 + 0.5)  # moves the running statistics
    net.eval()
    state = {k: v for k, v in net.state_dict().items() if not k.endswith("num_batches_tracked")}
    save_file(state, os.path.join(HERE, "normnet_torch.safetensors"))
    x = torch.tensor([[1.3 * math.cos(0.71 * (4 * b + i)) for i in range(4)] for b in range(3)])
    with torch.no_grad():
        probs = torch.softmax(net(x), dim=1).reshape(-1)
    with open(os.path.join(HERE, "normnet_torch_predictions.txt"), "w") as f:
        f.write("# softmax(NormNet(x)) in eval mode, x[b][i] = 1.3 cos(0.71 (4 b + i))\n")
        f.write(" ".join(repr(float(p)) for p in probs) + "\n")


if __name__ == "__main__":
    main()
