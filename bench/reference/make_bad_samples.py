#!/usr/bin/python3
"""Writes the second round of the bad-input corpus (Pillow 9.4 and the standard library; deterministic):

tests/fixtures/bad/images/
  truncated-half.jpg         baseline JPEG cut in half (no EOI marker): ImageSharp decodes it silently, grey
                             below the cut; Pillow refuses it ("image file is truncated"). Skipped by default.
  truncated-progressive.jpg  progressive JPEG cut after two thirds (no EOI). Skipped by default.
  png-without-iend.png       a whole PNG whose IEND chunk is missing (cut after the image data). Skipped by default.
  truncated-half.gif         GIF cut in half (no trailer byte 0x3B). Skipped by default.
  picture.bmp, picture.gif, picture.webp, picture-lossless.webp, picture.tiff, picture-lzw.tiff
                             well-formed files of the formats that had none in the corpus: they must decode,
                             and they seed the reader fuzz test (tests/Vicreg.Tests/Reliability/ReaderFuzzTests.cs).
tests/fixtures/bad/audio/
  nan-samples.wav            float32 with 10 NaN samples: skipped (non-finite samples).
  inf-samples-float64.wav    float64 with +inf and -inf samples: skipped.
  out-of-range-float32.wav   float32 whose samples are scaled by 1e6: skipped (beyond ±16).
  garbage-float32.wav        float32 header over random bytes: skipped (non-finite or far out of range).
  loud-float32.wav           float32 peaking at 2.0 (+6 dBFS, an unclipped mix): decodes.
Rerun:  /usr/bin/python3 bench/reference/make_bad_samples.py
Tests never need Python.
"""
import io
import math
import os
import random
import struct

from PIL import Image

HERE = os.path.dirname(__file__)
IMAGES = os.path.join(HERE, "..", "..", "tests", "fixtures", "bad", "images")
AUDIO = os.path.join(HERE, "..", "..", "tests", "fixtures", "bad", "audio")
RATE = 8000
FRAMES = 4000


def picture(size=(48, 40)):
    img = Image.new("RGB", size)
    px = img.load()
    for y in range(size[1]):
        for x in range(size[0]):
            px[x, y] = ((x * 5) % 256, (y * 7) % 256, ((x + y) * 3) % 256)
    return img


def encoded(img, fmt, **kw):
    buf = io.BytesIO()
    img.save(buf, fmt, **kw)
    return buf.getvalue()


def float_wav(samples, bits=32):
    """A mono IEEE-float WAV (format 3) of the given sample values, packed without any clipping."""
    code = "<f" if bits == 32 else "<d"
    data = b"".join(struct.pack(code, v) for v in samples)
    block = bits // 8
    fmt = struct.pack("<HHIIHHH", 3, 1, RATE, RATE * block, block, bits, 0)
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", len(data)) + data
    return b"RIFF" + struct.pack("<I", len(body)) + body


def signal(i):
    t = i / RATE
    return 0.5 * math.sin(2 * math.pi * 440 * t) + 0.25 * math.sin(2 * math.pi * 1000 * t + 1)


def main():
    rng = random.Random(2)
    # A larger picture so that the cut lands inside the entropy-coded data, well past the headers.
    big = picture((96, 80))
    jpeg = encoded(big, "JPEG", quality=90)
    progressive = encoded(big, "JPEG", quality=90, progressive=True)
    png = encoded(picture(), "PNG")
    assert png[-12:-8] == b"\x00\x00\x00\x00" and png[-8:-4] == b"IEND"
    gif = encoded(big.convert("P"), "GIF")
    images = {
        "truncated-half.jpg": jpeg[: len(jpeg) // 2],
        "truncated-progressive.jpg": progressive[: 2 * len(progressive) // 3],
        "png-without-iend.png": png[:-12],
        "truncated-half.gif": gif[: len(gif) // 2],
        "picture.bmp": encoded(picture(), "BMP"),
        "picture.gif": encoded(picture().convert("P"), "GIF"),
        "picture.webp": encoded(picture(), "WEBP", quality=90),
        "picture-lossless.webp": encoded(picture(), "WEBP", lossless=True),
        "picture.tiff": encoded(picture(), "TIFF"),
        "picture-lzw.tiff": encoded(picture(), "TIFF", compression="tiff_lzw"),
    }
    clean = [signal(i) for i in range(FRAMES)]
    nan = list(clean)
    for i in range(100, 1100, 100):
        nan[i] = float("nan")
    inf = list(clean)
    inf[10], inf[20] = float("inf"), float("-inf")
    garbage = struct.unpack("<%df" % FRAMES, bytes(rng.randrange(256) for _ in range(4 * FRAMES)))
    audio = {
        "nan-samples.wav": float_wav(nan),
        "inf-samples-float64.wav": float_wav(inf, bits=64),
        "out-of-range-float32.wav": float_wav([v * 1e6 for v in clean]),
        "garbage-float32.wav": float_wav(garbage),
        "loud-float32.wav": float_wav([v * 2.0 / 0.75 for v in clean]),
    }
    for folder, files in ((IMAGES, images), (AUDIO, audio)):
        os.makedirs(folder, exist_ok=True)
        for name, payload in files.items():
            with open(os.path.join(folder, name), "wb") as f:
                f.write(payload)
        print(f"wrote {len(files)} files to {os.path.normpath(folder)}")


if __name__ == "__main__":
    main()
