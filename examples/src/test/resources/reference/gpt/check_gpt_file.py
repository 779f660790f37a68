"""Loads smallgpt_annonet.safetensors, written by Annonet (ModelFileTest: SmallGptModel(11)),
into the PyTorch module of make_gpt_reference.py with load_state_dict(strict=True), so every
name and shape must be PyTorch's (attn1.in_proj_weight [24, 8], ..., attn2.out_proj.bias [8]),
and writes the module's float32 probabilities on gpt_reference.txt's SmallGpt#x to
smallgpt_annonet_torch_predictions.txt, which ModelFileTest compares with Annonet's own.

Run with Debian's PyTorch: /usr/bin/python3 check_gpt_file.py
"""
import json
import os
import sys

import torch

from make_gpt_reference import FIXTURES, HERE, Gpt

sys.path.insert(0, os.path.join(HERE, "..", "safetensors"))
from check_annonet_file import load_file  # noqa: E402  (reads the safetensors layout)


def main():
    tensors, meta = load_file(os.path.join(HERE, "smallgpt_annonet.safetensors"))
    net = Gpt(**dict(FIXTURES)["SmallGpt"])
    net.load_state_dict(tensors, strict=True)
    with open(os.path.join(HERE, "gpt_reference.txt")) as f:
        row = next(line for line in f if line.startswith("SmallGpt#x "))
    x = torch.tensor([int(float(v)) for v in row.split()[1:]]).reshape(3, net.steps)
    with torch.no_grad():
        probs = torch.softmax(net(x), dim=-1).reshape(-1)
    with open(os.path.join(HERE, "smallgpt_annonet_torch_predictions.txt"), "w") as f:
        f.write("# PyTorch's softmax(SmallGpt(x)) with the weights Annonet saved (metadata %s)\n"
                % json.dumps(meta, sort_keys=True))
        f.write(" ".join(repr(float(p)) for p in probs) + "\n")


if __name__ == "__main__":
    main()
