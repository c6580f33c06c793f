#!/usr/bin/python3
"""What torchvision's pil_loader (Image.open + convert("RGB"), Pillow 9.4) makes of each decodable file
of the bad-input corpus, for the decode-correctness test. Writes tests/fixtures/bad/decoded.json.gz:
per file, width, height and base64 RGB bytes; undecodable files are listed with the error.
    /usr/bin/python3 bench/reference/make_decode_fixtures.py
"""
import base64
import gzip
import json
import os

import numpy as np
from PIL import Image

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "fixtures", "bad")


def main():
    out = {}
    for name in sorted(os.listdir(os.path.join(ROOT, "images"))):
        try:
            with open(os.path.join(ROOT, "images", name), "rb") as f:
                img = Image.open(f)
                if img.width * img.height > Image.MAX_IMAGE_PIXELS:
                    raise ValueError("decompression bomb")
                raw = np.asarray(img) if img.mode.startswith("I") else None  # 16-bit PNG opens as "I"
                rgb = img.convert("RGB")
            a = np.asarray(rgb, dtype=np.uint8)
            out[name] = {"width": rgb.width, "height": rgb.height, "rgb": base64.b64encode(a.tobytes()).decode("ascii")}
            if raw is not None:
                # Pillow's I -> RGB clips at 255 instead of scaling; also store the scaled values v/257.
                scaled = np.repeat(np.round(raw.astype(np.float64) / 257.0).astype(np.uint8)[..., None], 3, axis=2)
                out[name]["rgb_scaled"] = base64.b64encode(scaled.tobytes()).decode("ascii")
        except Exception as e:  # undecodable for PIL as well
            out[name] = {"error": type(e).__name__}
    path = os.path.join(ROOT, "decoded.json.gz")
    with gzip.GzipFile(path, "wb", compresslevel=9, mtime=0) as f:
        f.write(json.dumps(out, separators=(",", ":"), sort_keys=True).encode("ascii"))
    print(f"wrote {len(out)} entries to {os.path.normpath(path)}")


if __name__ == "__main__":
    main()
