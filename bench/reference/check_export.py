#!/usr/bin/python3
"""Load a backbone written by `vicreg export` into torchvision's ResNet with strict=True.

    vicreg export --encoder resnet50 --out /tmp/r50.pt --with-sample
    /usr/bin/python3 bench/reference/check_export.py /tmp/r50.pt --arch resnet50

Prints the missing/unexpected keys (none, or load_state_dict raises), and with the .sample.pt that
--with-sample writes next to it, the largest difference between PyTorch's eval-mode features and the ones
TorchSharp computed for the same input.
"""

import argparse
import os

import torch
import torch.nn as nn
import torchvision


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("state_dict")
    ap.add_argument("--arch", default="resnet50")
    args = ap.parse_args()
    torch.set_num_threads(2)

    sd = torch.load(args.state_dict, map_location="cpu")
    classes = sd["fc.weight"].shape[0] if "fc.weight" in sd else 1000
    model = getattr(torchvision.models, args.arch)(weights=None, num_classes=classes)
    result = model.load_state_dict(sd, strict=True)
    n = sum(t.numel() for t in sd.values())
    print(f"torch {torch.__version__}, torchvision {torchvision.__version__}")
    print(f"{args.state_dict}: {len(sd)} tensors, {n} values; torchvision.models.{args.arch}(num_classes={classes})"
          f".load_state_dict(strict=True): {result}")

    sample = os.path.splitext(args.state_dict)[0] + ".sample.pt"
    if os.path.exists(sample):
        s = torch.load(sample, map_location="cpu")
        model.fc = nn.Identity()
        model.eval()
        with torch.no_grad():
            features = model(s["input"])
        diff = (features - s["features"]).abs().max().item()
        print(f"{sample}: features {tuple(features.shape)}, max |PyTorch - TorchSharp| = {diff:.3e} "
              f"(largest feature {s['features'].abs().max().item():.3f})")


if __name__ == "__main__":
    main()
