#!/usr/bin/python3
"""Golden fixtures for the image augmentation (torchvision 0.14 + Pillow 9.4, the official code's stack).

Writes tests/fixtures/augment/augment.json.gz: two small source images and the output of every
deterministic step of the official VICReg TrainTransform at fixed parameters, computed by torchvision's
functional API on PIL images (exactly what the transforms call), plus samples of
RandomResizedCrop.get_params for the statistical tests. Pixel arrays are base64 of raw bytes
(uint8 HWC RGB; float32 little-endian CHW for Normalize). Rerun from the repository root:
    /usr/bin/python3 bench/reference/make_augment_fixtures.py
Tests never need Python.
"""
import base64
import gzip
import json
import os

import numpy as np
import torch
import torchvision
import PIL
from PIL import Image, ImageFilter, ImageOps
from torchvision import transforms
from torchvision.transforms import InterpolationMode
import torchvision.transforms.functional as F

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "fixtures", "augment", "augment.json.gz")
MEAN, STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]


def b64(a):
    return base64.b64encode(np.ascontiguousarray(a).tobytes()).decode("ascii")


def px(img):
    return b64(np.asarray(img.convert("RGB"), dtype=np.uint8))


def source(w, h, seed):
    """Smooth colour gradients + blobs + noise: saturated, grey and dark pixels all occur."""
    rng = np.random.RandomState(seed)
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    r = 127 + 120 * np.sin(x / w * 5.1 + rng.rand() * 6) * np.cos(y / h * 3.3)
    g = 127 + 120 * np.cos(x / w * 2.3 + y / h * 4.1 + rng.rand() * 6)
    b = 127 + 120 * np.sin((x + y) / (w + h) * 7.7 + rng.rand() * 6)
    a = np.stack([r, g, b], -1) + rng.randn(h, w, 3) * 25
    a[h // 3: h // 3 + 4, :, :] = 128  # a grey band (hue undefined, saturation 0)
    a[:, w // 2] = [250, 3, 128]       # a saturated column
    return Image.fromarray(np.clip(np.round(a), 0, 255).astype(np.uint8), "RGB")


def crop_samples(w, h, n, seed):
    torch.manual_seed(seed)
    rrc = transforms.RandomResizedCrop(224, scale=(0.08, 1.0), ratio=(3 / 4, 4 / 3))
    img = torch.empty(3, h, w)  # get_params only reads the size
    out = np.empty((n, 2), dtype=np.int16)
    for k in range(n):
        i, j, hh, ww = rrc.get_params(img, rrc.scale, rrc.ratio)
        out[k] = (ww, hh)
    return {"width": w, "height": h, "count": n, "wh_int16": b64(out)}


def main():
    torch.set_num_threads(1)
    imgs = {"a": source(32, 24, 1), "b": source(37, 29, 2)}
    cases = []

    def add(op, src, params, out):
        d = {"op": op, "source": src, "params": params}
        if isinstance(out, np.ndarray):
            d.update(width=int(out.shape[-1]), height=int(out.shape[-2]), float32_chw=b64(out.astype(np.float32)))
        else:
            d.update(width=out.width, height=out.height, rgb=px(out))
        cases.append(d)

    for name, img in imgs.items():
        w, h = img.size
        boxes = [(0, 0, w, h, 16), (0, 0, w, h, 48), (3, 2, 11, 9, 16), (5, 1, w - 7, h - 3, 8),
                 (1, 4, 9, h - 5, 24), (0, 0, w, h // 2, 13), (w - 6, h - 5, 6, 5, 40), (2, 3, w - 2, h - 3, w - 2)]
        for (x, y, cw, ch, size) in boxes:
            out = F.resized_crop(img, y, x, ch, cw, [size, size], InterpolationMode.BICUBIC)
            add("resized_crop", name, {"x": x, "y": y, "w": cw, "h": ch, "size": size}, out)
        for s in [0.1, 0.35, 0.7, 1.0, 1.37, 2.0]:
            add("blur", name, {"sigma": s}, img.filter(ImageFilter.GaussianBlur(radius=s)))  # official GaussianBlur
        if name != "a":
            continue  # the point-wise steps do not depend on the size: one source is enough
        add("flip", name, {}, F.hflip(img))
        add("grayscale", name, {}, F.rgb_to_grayscale(img, num_output_channels=3))
        add("solarize", name, {}, ImageOps.solarize(img, 128))  # the official Solarization class
        add("normalize", name, {}, F.normalize(F.to_tensor(img), MEAN, STD).numpy())
        for f in [0.6, 0.77, 1.0, 1.19, 1.4]:
            add("brightness", name, {"factor": f}, F.adjust_brightness(img, f))
            add("contrast", name, {"factor": f}, F.adjust_contrast(img, f))
        for f in [0.8, 0.93, 1.0, 1.11, 1.2]:
            add("saturation", name, {"factor": f}, F.adjust_saturation(img, f))
        for f in [-0.1, -0.0371, 0.0, 0.0029, 0.05, 0.1]:
            add("hue", name, {"factor": f}, F.adjust_hue(img, f))
        # ColorJitter order matters: a fixed composition in one order, as ColorJitter.forward applies it.
        out = F.adjust_hue(F.adjust_saturation(F.adjust_contrast(F.adjust_brightness(img, 1.3), 0.7), 1.15), -0.06)
        add("jitter_bcsh", name, {"brightness": 1.3, "contrast": 0.7, "saturation": 1.15, "hue": -0.06}, out)

    data = {
        "generator": "bench/reference/make_augment_fixtures.py",
        "versions": {"torch": torch.__version__, "torchvision": torchvision.__version__, "PIL": PIL.__version__},
        "mean": MEAN, "std": STD,
        "sources": {k: {"width": v.width, "height": v.height, "rgb": px(v)} for k, v in imgs.items()},
        "cases": cases,
        "crop_params": [crop_samples(500, 375, 3000, 0), crop_samples(1000, 200, 3000, 1)],
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with gzip.GzipFile(OUT, "wb", compresslevel=9, mtime=0) as f:  # mtime 0: reruns are byte-identical
        f.write(json.dumps(data, separators=(",", ":")).encode("ascii"))
    print(f"wrote {len(cases)} cases to {os.path.normpath(OUT)} ({os.path.getsize(OUT)} bytes)")


if __name__ == "__main__":
    main()
