#!/usr/bin/python3
"""PyTorch reference trainer for the parity benchmark: VICReg on an IDX image set (Fashion-MNIST) at the recipe of
a vicreg preset, then the same three linear probes (pretrained, random init, raw pixels of the evaluation views).

Follows facebookresearch/vicreg: the official VICReg loss and expander (Linear-BN-ReLU ..., last Linear without
bias), the official two views (augmentations.py: RandomResizedCrop bicubic, flip, colour jitter 0.8, grayscale
0.2, blur 1.0 / 0.1, solarize 0.0 / 0.2; blur sigma scaled by size/224 as this project does for small views),
AdamW or the official LARS, warm-up + cosine (adjust_learning_rate). Backbone: a ResNet-18 with the CIFAR-style
"small" stem (3x3 conv, stride 1, no max-pool) and a base width, as the presets' "stem": "small", "base_width".
Probe: features standardised with the training set's statistics, then SGD (momentum 0.9, lr 0.02, wd 1e-6,
batch 256, cosine), as src/Training/Evaluation/LinearProbe.cs.

Prints one line per probe: probe,<backbone>,<top1>. Measuring tool only: nothing in the project needs Python.
Usage: /usr/bin/python3 bench/reference/fashion_trainer.py --config experiments/fashion-mnist.json --seed 0
       [--train IDX --val IDX --steps N]   (fields not in the preset take the project's defaults)
"""
import argparse
import gzip
import json
import math
import re
import struct

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision.transforms as T
from PIL import Image, ImageOps


def read_idx(path):
    raw = open(path, "rb").read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    magic, n = struct.unpack(">ii", raw[:8])
    if magic == 0x803:
        rows, cols = struct.unpack(">ii", raw[8:16])
        return np.frombuffer(raw, np.uint8, n * rows * cols, 16).reshape(n, rows, cols)
    return np.frombuffer(raw, np.uint8, n, 8)


def load_config(path):
    text = open(path).read()
    text = re.sub(r"^\s*//.*$", "", text, flags=re.M)  # the presets are JSON with // comments
    return json.loads(text)


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        nn.init.zeros_(self.bn2.weight)  # zero-init residual, as torchvision's zero_init_residual=True
        self.down = None if stride == 1 and cin == cout else nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return F.relu(y + (x if self.down is None else self.down(x)))


class ResNet18Small(nn.Module):
    def __init__(self, in_channels, width):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, width, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        layers, cin = [], width
        for i, w in enumerate([width, 2 * width, 4 * width, 8 * width]):
            layers += [Block(cin, w, 1 if i == 0 else 2), Block(w, w, 1)]
            cin = w
        self.layers = nn.Sequential(*layers)
        self.dim = cin
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")

    def forward(self, x):
        x = self.layers(F.relu(self.bn1(self.conv1(x))))
        return torch.flatten(F.adaptive_avg_pool2d(x, 1), 1)


def expander(in_dim, spec):
    dims = [in_dim] + [int(x) for x in spec.split("-")]
    layers = []
    for i in range(len(dims) - 2):
        layers += [nn.Linear(dims[i], dims[i + 1]), nn.BatchNorm1d(dims[i + 1]), nn.ReLU(True)]
    layers.append(nn.Linear(dims[-2], dims[-1], bias=False))
    return nn.Sequential(*layers)


def off_diagonal(x):
    n, _ = x.shape
    return x.flatten()[:-1].view(n - 1, n + 1)[:, 1:].flatten()


def vicreg_loss(x, y, sim, std, cov):
    n, d = x.shape
    repr_loss = F.mse_loss(x, y)
    x = x - x.mean(dim=0)
    y = y - y.mean(dim=0)
    std_x = torch.sqrt(x.var(dim=0) + 0.0001)
    std_y = torch.sqrt(y.var(dim=0) + 0.0001)
    std_loss = torch.mean(F.relu(1 - std_x)) / 2 + torch.mean(F.relu(1 - std_y)) / 2
    cov_x = (x.T @ x) / (n - 1)
    cov_y = (y.T @ y) / (n - 1)
    cov_loss = off_diagonal(cov_x).pow_(2).sum().div(d) + off_diagonal(cov_y).pow_(2).sum().div(d)
    return sim * repr_loss + std * std_loss + cov * cov_loss


def views(size, crop_min, channels):
    blur = size / 224.0
    mean, std = ([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]) if channels == 3 else ([0.449], [0.226])

    def one(blur_p, solarize_p):
        steps = [T.RandomResizedCrop(size, scale=(crop_min, 1.0), interpolation=T.InterpolationMode.BICUBIC),
                 T.RandomHorizontalFlip(),
                 T.RandomApply([T.ColorJitter(0.4, 0.4, 0.2, 0.1)], p=0.8),
                 T.RandomGrayscale(p=0.2),
                 T.RandomApply([T.GaussianBlur(3 if size < 64 else 23, sigma=(0.1 * blur, 2.0 * blur))], p=blur_p),
                 T.RandomApply([T.Lambda(ImageOps.solarize)], p=solarize_p)]
        if channels == 1:
            steps.append(T.Grayscale(1))
        return T.Compose(steps + [T.ToTensor(), T.Normalize(mean, std)])

    evaluation = T.Compose(([T.Grayscale(1)] if channels == 1 else []) + [T.Resize(size, interpolation=T.InterpolationMode.BICUBIC),
                                                                          T.CenterCrop(size), T.ToTensor(), T.Normalize(mean, std)])
    return one(1.0, 0.0), one(0.1, 0.2), evaluation


def probe(train_x, train_y, val_x, val_y, classes, epochs, seed):
    mean, std = train_x.mean(0, keepdim=True), train_x.std(0, keepdim=True) + 1e-6
    train_x, val_x = (train_x - mean) / std, (val_x - mean) / std
    g = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    head = nn.Linear(train_x.shape[1], classes)
    opt = torch.optim.SGD(head.parameters(), lr=0.02, momentum=0.9, weight_decay=1e-6)
    n, batch = len(train_x), 256
    total, step = epochs * math.ceil(n / batch), 0
    for _ in range(epochs):
        order = torch.randperm(n, generator=g)
        for s in range(0, n, batch):
            for group in opt.param_groups:
                group["lr"] = 0.02 * 0.5 * (1 + math.cos(math.pi * step / total))
            step += 1
            idx = order[s:s + batch]
            loss = F.cross_entropy(head(train_x[idx]), train_y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
    with torch.no_grad():
        return 100.0 * (head(val_x).argmax(1) == val_y).double().mean().item()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", required=True)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--train")
    ap.add_argument("--val")
    ap.add_argument("--steps", type=int, default=0, help="stop after this many steps (0: the preset's epochs)")
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    c = load_config(a.config)
    d, m, o, e, l = c["data"], c["model"]["branch_a"], c["optim"], c.get("eval", {}), c.get("loss", {})
    size, crop_min, channels = d.get("image_size", 224), d.get("crop_scale_min", 0.08), m.get("in_channels", 3)
    train_images, val_images = read_idx(a.train or d["train"]), read_idx(a.val or d["val"])
    label_path = lambda p: p.replace("images-idx3", "labels-idx1")
    train_labels = torch.tensor(read_idx(label_path(a.train or d["train"])).astype(np.int64))
    val_labels = torch.tensor(read_idx(label_path(a.val or d["val"])).astype(np.int64))
    classes = int(train_labels.max()) + 1
    to_pil = lambda arr: Image.fromarray(arr, "L").convert("RGB")
    view_a, view_b, evaluation = views(size, crop_min, channels)

    torch.manual_seed(a.seed)
    backbone = ResNet18Small(channels, m.get("base_width", 64))
    random_init = ResNet18Small(channels, m.get("base_width", 64))
    random_init.load_state_dict(backbone.state_dict())
    model = nn.ModuleDict({"backbone": backbone, "expander": expander(backbone.dim, m.get("expander", "8192-8192-8192"))})
    batch, epochs, warmup = o.get("batch_size", 2048), o.get("epochs", 1000), o.get("warmup_epochs", 10)
    lr = o.get("base_lr", 0.2) * (batch / 256 if o.get("scale_lr_with_batch", True) else 1)
    if o.get("name", "lars") == "adamw":
        opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=o.get("weight_decay", 1e-6))
    else:
        from train_bench import LARS  # the official LARS, shared with the step benchmark
        opt = LARS(model.parameters(), lr=lr, weight_decay=o.get("weight_decay", 1e-6), momentum=o.get("momentum", 0.9), eta=o.get("eta", 0.001))
    n = len(train_images)
    steps_per_epoch = n // batch  # drop_last, as the official loader
    total = epochs * steps_per_epoch if a.steps == 0 else a.steps
    g = torch.Generator().manual_seed(a.seed)
    step = 0
    model.train()
    while step < total:
        order = torch.randperm(n, generator=g)
        for s in range(steps_per_epoch):
            if step >= total:
                break
            # official adjust_learning_rate: linear warm-up, then cosine to 0.001 of the base
            warm = warmup * steps_per_epoch
            if step < warm:
                cur = lr * step / warm
            else:
                q = 0.5 * (1 + math.cos(math.pi * (step - warm) / max(1, epochs * steps_per_epoch - warm)))
                cur = lr * (q + o.get("end_lr_ratio", 0.001) * (1 - q))
            for group in opt.param_groups:
                group["lr"] = cur
            idx = order[s * batch:(s + 1) * batch].tolist()
            x = torch.stack([view_a(to_pil(train_images[i])) for i in idx])
            y = torch.stack([view_b(to_pil(train_images[i])) for i in idx])
            loss = vicreg_loss(model["expander"](backbone(x)), model["expander"](backbone(y)),
                               l.get("sim", 25.0), l.get("std", 25.0), l.get("cov", 1.0))
            opt.zero_grad()
            loss.backward()
            bad = [name for name, p in model.named_parameters() if p.grad is not None and not torch.isfinite(p.grad).all()]
            if bad:
                print(f"diverged at step {step}: non-finite gradient of {bad[0]}", flush=True)
                return
            opt.step()
            if step % 20 == 0:
                print(f"step {step} loss {loss.item():.4f}", flush=True)
            step += 1

    def features(net, images):
        net.eval()
        out = []
        with torch.no_grad():
            for s in range(0, len(images), 512):
                out.append(net(torch.stack([evaluation(to_pil(im)) for im in images[s:s + 512]])))
        return torch.cat(out)

    pixels = nn.Flatten()
    probe_epochs = e.get("epochs", 100)
    for name, net in [("pretrained", backbone), ("random-init", random_init), ("raw-pixels", pixels)]:
        top1 = probe(features(net, train_images), train_labels, features(net, val_images), val_labels, classes, probe_epochs, 0)
        print(f"probe,{name},{top1:.2f}", flush=True)


if __name__ == "__main__":
    main()
