#!/usr/bin/python3
"""Load a backbone that torchvision's constructor cannot take (a narrow or small-stem ResNet) through the module
`vicreg export` writes next to it, with strict=True, and compare its features with this project's.

    vicreg export --run runs/NAME --out /tmp/narrow.pt --with-sample     # also writes /tmp/narrow.py
    /usr/bin/python3 bench/reference/check_export_module.py /tmp/narrow.pt
"""

import importlib.util
import os
import sys

import torch


def main():
    weights = sys.argv[1]
    module_path = os.path.splitext(weights)[0] + ".py"
    spec = importlib.util.spec_from_file_location("exported", module_path)
    exported = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(exported)
    model = exported.build()
    sd = torch.load(weights, map_location="cpu")
    result = model.load_state_dict(sd, strict=True)
    print(f"torch {torch.__version__}; {module_path}: build().load_state_dict({os.path.basename(weights)}, strict=True): {result}")
    print(f"  stem {exported.STEM}, widths {[exported.WIDTH * 2 ** i for i in range(4)]}, blocks {exported.LAYERS}, {len(sd)} tensors")
    sample = os.path.splitext(weights)[0] + ".sample.pt"
    if os.path.exists(sample):
        s = torch.load(sample, map_location="cpu")
        model.eval()
        with torch.no_grad():
            features = model(s["input"])
        diff = (features - s["features"]).abs().max().item()
        print(f"{sample}: features {tuple(features.shape)}, max |PyTorch - TorchSharp| = {diff:.3e} "
              f"(largest feature {s['features'].abs().max().item():.3f})")


if __name__ == "__main__":
    main()
