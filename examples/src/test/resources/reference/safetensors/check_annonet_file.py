"""Loads normnet_annonet.safetensors, written by Annonet (ModelFileTest), into the PyTorch
module of make_safetensors_fixture.py with load_state_dict(strict=True), and writes the module's
eval-mode predictions for the fixed input to normnet_annonet_torch_predictions.txt, which
ModelFileTest compares with Annonet's own.

Run with Debian's PyTorch: /usr/bin/python3 check_annonet_file.py
"""
import json
import math
import os
import struct

import torch

from make_safetensors_fixture import HERE, NormNet


def load_file(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n).decode("utf-8"))
        data = f.read()
    meta = header.pop("__metadata__", {})
    tensors = {}
    for name, spec in header.items():
        assert spec["dtype"] == "F32", spec
        begin, end = spec["data_offsets"]
        values = struct.unpack("<%df" % ((end - begin) // 4), data[begin:end])
        tensors[name] = torch.tensor(values, dtype=torch.float32).reshape(spec["shape"])
    return tensors, meta


def main():
    tensors, meta = load_file(os.path.join(HERE, "normnet_annonet.safetensors"))
    net = NormNet()
    state = net.state_dict()
    for key in state:
        if key.endswith("num_batches_tracked"):
            tensors[key] = state[key]
    net.load_state_dict(tensors, strict=True)
    net.eval()
    x = torch.tensor([[1.3 * math.cos(0.71 * (4 * b + i)) for i in range(4)] for b in range(3)])
    with torch.no_grad():
        probs = torch.softmax(net(x), dim=1).reshape(-1)
    with open(os.path.join(HERE, "normnet_annonet_torch_predictions.txt"), "w") as f:
        f.write("# PyTorch's softmax(NormNet(x)) with the weights Annonet saved (metadata %s)\n"
                % json.dumps(meta, sort_keys=True))
        f.write(" ".join(repr(float(p)) for p in probs) + "\n")


if __name__ == "__main__":
    main()
