#!/usr/bin/python3
"""Writes scikit-learn's bundled handwritten digits (1,797 real 8x8 scans, 10 classes) as a gzipped IDX pair per
split, the format `vicreg synth spoken-pairs --train-images/--val-images` and `data.kind idx` read.

    /usr/bin/python3 bench/digits_to_idx.py data/digits-idx      # Debian: apt-get install python3-sklearn

Split: the first 135 images of each class (file order) train, the rest (39-48 a class, 447) are held out.
Pixels: the set's 0-16 ink levels scaled to 0-255 (round(v * 255 / 16)); the images stay 8x8 (the pipeline
resizes crops and evaluation views to data.image_size).
"""
import gzip
import os
import struct
import sys

import numpy as np
from sklearn.datasets import load_digits

TRAIN_PER_CLASS = 135


def write_idx(folder, split, images, labels):
    with gzip.open(os.path.join(folder, f"{split}-images-idx3-ubyte.gz"), "wb") as f:
        f.write(struct.pack(">iiii", 0x803, len(images), 8, 8))
        f.write(images.astype(np.uint8).tobytes())
    with gzip.open(os.path.join(folder, f"{split}-labels-idx1-ubyte.gz"), "wb") as f:
        f.write(struct.pack(">ii", 0x801, len(labels)))
        f.write(labels.astype(np.uint8).tobytes())


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: digits_to_idx.py OUT_FOLDER")
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    digits = load_digits()
    pixels = np.rint(digits.images * 255.0 / 16.0).clip(0, 255)
    labels = digits.target
    train = np.zeros(len(labels), dtype=bool)
    for c in range(10):
        train[np.flatnonzero(labels == c)[:TRAIN_PER_CLASS]] = True
    write_idx(out, "train", pixels[train], labels[train])
    write_idx(out, "test", pixels[~train], labels[~train])
    held = np.bincount(labels[~train], minlength=10)
    print(f"{out}: {train.sum()} training and {(~train).sum()} held-out 8x8 digits "
          f"(held out per class {held.min()}-{held.max()})")


if __name__ == "__main__":
    main()
