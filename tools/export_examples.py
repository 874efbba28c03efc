#!/usr/bin/python3
"""Export the model-import examples of site/src/pages/models.md to models/examples/, as users export models.

Needs Debian's PyTorch and ONNX:  apt-get install -y python3-torch python3-onnx
Run:   /usr/bin/python3 tools/export_examples.py --out models/examples

Each example is a small network (random weights, batch-norm statistics made non-trivial) exported with plain
torch.onnx.export, the way a user would; the file name says what it shows. Files ending in -refused.onnx use a
layer secure inference does not take (GELU, SiLU): the importer must name it and say why. plugin-semihonest's
ExportedExamplesTest runs every other file securely against ONNX Runtime.
"""
import argparse
import os

import torch
import torch.nn as nn
import torch.nn.functional as F


class PytorchExamplesMnist(nn.Module):
    """pytorch/examples' MNIST network, narrowed: view(x.size(0), -1) and a final log_softmax."""
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, 3, 1)
        self.conv2 = nn.Conv2d(4, 8, 3, 1)
        self.dropout = nn.Dropout(0.25)
        self.fc1 = nn.Linear(8 * 12 * 12, 16)
        self.fc2 = nn.Linear(16, 10)

    def forward(self, x):
        x = F.relu(self.conv1(x))
        x = F.relu(self.conv2(x))
        x = F.max_pool2d(x, 2)
        x = self.dropout(x)
        x = x.view(x.size(0), -1)
        x = self.dropout(F.relu(self.fc1(x)))
        return F.log_softmax(self.fc2(x), dim=1)


class NormalisedInput(nn.Module):
    """The usual MNIST normalisation inside the model."""
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 4, 5, stride=2, padding=2)
        self.fc = nn.Linear(4 * 14 * 14, 10)

    def forward(self, x):
        x = (x - 0.1307) / 0.3081
        return self.fc(torch.flatten(F.relu(self.conv(x)), 1))


class Relu6Hardtanh(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, 3, stride=2)
        self.conv2 = nn.Conv2d(4, 4, 3, stride=2)
        self.fc = nn.Linear(4 * 6 * 6, 10)

    def forward(self, x):
        x = F.relu6(self.conv1(x) * 4)
        x = F.hardtanh(self.conv2(x))
        return self.fc(torch.flatten(x, 1))


class LeakyMlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Flatten(), nn.Linear(784, 32), nn.LeakyReLU(0.1), nn.Linear(32, 16), nn.LeakyReLU(), nn.Linear(16, 10))

    def forward(self, x):
        return self.net(x)


class ConvReluBn(nn.Module):
    """Conv-ReLU-BN, the BN after the ReLU (not foldable into the Conv), then global average pooling as a mean."""
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 3, stride=2, padding=1)
        self.bn = nn.BatchNorm2d(6)
        self.conv2 = nn.Conv2d(6, 8, 3, padding=1)
        self.fc = nn.Linear(8, 10)

    def forward(self, x):
        x = self.bn(F.relu(self.conv1(x)))
        x = F.relu(self.conv2(x))
        return self.fc(x.mean((2, 3)))


class Inception(nn.Module):
    """Three branches concatenated along the channels, then AdaptiveAvgPool2d(1)."""
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(1, 4, 3, stride=2)
        self.b1 = nn.Conv2d(4, 3, 1)
        self.b3 = nn.Conv2d(4, 3, 3, padding=1)
        self.pool = nn.MaxPool2d(3, stride=1, padding=1)
        self.mix = nn.Conv2d(10, 8, 1)
        self.gap = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(8, 10)

    def forward(self, x):
        x = F.relu(self.stem(x))
        x = torch.cat([F.relu(self.b1(x)), self.b3(x), self.pool(x)], dim=1)
        x = F.relu(self.mix(x))
        return self.fc(torch.flatten(self.gap(x), 1))


class ResidualSharedBn(nn.Module):
    """A residual block whose two BatchNorms have equal parameters (PyTorch may share the tensor, as an Identity)."""
    def __init__(self):
        super().__init__()
        self.conv0 = nn.Conv2d(1, 4, 3, stride=2, padding=1)
        self.conv1 = nn.Conv2d(4, 4, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(4)
        self.conv2 = nn.Conv2d(4, 4, 3, padding=1)
        self.bn2 = nn.BatchNorm2d(4)
        self.fc = nn.Linear(4 * 14 * 14, 10)

    def forward(self, x):
        x = F.relu(self.conv0(x))
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return self.fc(torch.flatten(F.relu(x + y), 1))


class ScaledLayers(nn.Module):
    """Constants between layers: x * 0.5, x / 4, x - 1, and LeakyReLU's cousin 1 - x."""
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 16)
        self.fc2 = nn.Linear(16, 10)

    def forward(self, x):
        x = F.relu(self.fc1(torch.flatten(x, 1))) * 0.5
        x = F.relu(x - 1) / 4
        return self.fc2(1 - x)


class AvgPoolOpset10(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 4, 5)
        self.pool = nn.AvgPool2d(2)
        self.fc = nn.Linear(4 * 12 * 12, 10)

    def forward(self, x):
        return self.fc(torch.flatten(self.pool(F.relu(self.conv(x))), 1))


class BnOnInputSoftmax(nn.Module):
    """A first-layer BatchNorm on the raw input (the client normalises) and a final softmax, at opset 9."""
    def __init__(self):
        super().__init__()
        self.bn = nn.BatchNorm2d(1)
        self.conv = nn.Conv2d(1, 4, 5, stride=3)
        self.fc = nn.Linear(4 * 8 * 8, 10)

    def forward(self, x):
        x = F.relu(self.conv(self.bn(x)))
        return F.softmax(self.fc(torch.flatten(x, 1)), dim=1)


class SigmoidTanhRefused(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Flatten(), nn.Linear(784, 16), nn.Sigmoid(), nn.Linear(16, 16), nn.Tanh(), nn.Linear(16, 10))

    def forward(self, x):
        return self.net(x)


class GeluRefused(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Flatten(), nn.Linear(784, 16), nn.GELU(), nn.Linear(16, 10))

    def forward(self, x):
        return self.net(x)


class SiluRefused(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Flatten(), nn.Linear(784, 16), nn.SiLU(), nn.Linear(16, 10))

    def forward(self, x):
        return self.net(x)


EXAMPLES = {
    # name: (module, opset, dynamic batch axis)
    "pytorch-examples-mnist": (PytorchExamplesMnist, 13, True),
    "normalised-input": (NormalisedInput, 13, False),
    "relu6-hardtanh": (Relu6Hardtanh, 13, False),
    "relu6-hardtanh-opset10": (Relu6Hardtanh, 10, False),
    "leaky-relu": (LeakyMlp, 13, True),
    "conv-relu-bn": (ConvReluBn, 13, False),
    "inception-concat": (Inception, 13, False),
    "residual-shared-bn": (ResidualSharedBn, 13, False),
    "scaled-layers": (ScaledLayers, 13, False),
    "avgpool-opset10": (AvgPoolOpset10, 10, False),
    "bn-on-input-softmax-opset9": (BnOnInputSoftmax, 9, False),
    "gelu-refused": (GeluRefused, 13, False),
    "sigmoid-tanh-refused": (SigmoidTanhRefused, 13, False),
    "silu-refused": (SiluRefused, 13, False),
}


def randomise_batch_norm(m, g):
    for bn in m.modules():
        if isinstance(bn, nn.BatchNorm2d):
            bn.running_mean.copy_(torch.randn(bn.num_features, generator=g) * 0.3)
            bn.running_var.copy_(torch.rand(bn.num_features, generator=g) + 0.5)
            bn.weight.data.copy_(torch.rand(bn.num_features, generator=g) + 0.5)
    if isinstance(m, ResidualSharedBn):
        # Equal parameters in both BNs: the exporter may name them once and alias the second through an Identity.
        m.bn2.load_state_dict(m.bn1.state_dict())


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--out", default="models/examples")
    args = p.parse_args()
    os.makedirs(args.out, exist_ok=True)
    for i, (name, (cls, opset, dynamic)) in enumerate(EXAMPLES.items()):
        g = torch.Generator().manual_seed(20261202 + i)
        torch.manual_seed(20261202 + i)
        m = cls()
        with torch.no_grad():
            randomise_batch_norm(m, g)
        m.eval()
        x = torch.rand(1, 1, 28, 28, generator=g)
        path = os.path.join(args.out, name + ".onnx")
        torch.onnx.export(m, x, path, opset_version=opset, input_names=["input"], output_names=["output"],
                          dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}} if dynamic else None)
        print(f"{path}: opset {opset}{', dynamic batch' if dynamic else ''}, {os.path.getsize(path)} bytes")


if __name__ == "__main__":
    main()
