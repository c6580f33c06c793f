#!/usr/bin/python3
"""Writes the bad-input corpus under tests/fixtures/bad/images/ (Pillow; deterministic).

Every file is a case the loaders must survive: decoded correctly, or skipped with one line naming the
file. The config cases in tests/fixtures/bad/configs/ are hand-written JSON. Rerun:
    /usr/bin/python3 bench/reference/make_bad_inputs.py
Tests never need Python.
"""
import io
import os
import random
import struct
import zlib

from PIL import Image

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "fixtures", "bad", "images")


def picture(mode="RGB", size=(48, 40)):
    img = Image.new("RGB", size)
    px = img.load()
    for y in range(size[1]):
        for x in range(size[0]):
            px[x, y] = ((x * 5) % 256, (y * 7) % 256, ((x + y) * 3) % 256)
    if mode == "I;16":  # 16-bit grayscale goes through 32-bit integers, scaled to the 16-bit range
        return img.convert("L").point(lambda v: v * 257, "I").convert("I;16")
    return img.convert(mode) if mode != "RGB" else img


def encoded(img, fmt, **kw):
    buf = io.BytesIO()
    img.save(buf, fmt, **kw)
    return buf.getvalue()


def png_with_header(width, height):
    """A PNG whose header claims width x height, with a tiny (wrong) image body."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 16)) + chunk(b"IEND", b"")


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = random.Random(0)
    jpeg = encoded(picture(), "JPEG", quality=90)
    png = encoded(picture(), "PNG")
    corrupt = bytearray(jpeg)
    for i in range(len(corrupt) // 2, len(corrupt) // 2 + 64):
        corrupt[i] = rng.randrange(256)
    cases = {
        # undecodable: skipped with one line
        "zero-byte.jpg": b"",
        "truncated.jpg": jpeg[: len(jpeg) // 3],
        "not-an-image.jpg": b"this is a text file, not a JPEG\n" * 4,
        "truncated.png": png[: len(png) // 2],
        "png-signature-then-garbage.png": b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(200)),
        "huge-dimensions.png": png_with_header(200_000, 200_000),
        "html-page.png": b"<html><body>404 Not Found</body></html>\n",
        # decodable: must come out as 3-channel images
        "cmyk.jpg": encoded(picture("CMYK"), "JPEG", quality=90),
        "grayscale.jpg": encoded(picture("L"), "JPEG", quality=90),
        "gray16.png": encoded(picture("I;16"), "PNG"),
        "palette.png": encoded(picture("P"), "PNG"),
        "rgba.png": encoded(picture("RGBA"), "PNG"),
        "png-named-jpg.jpg": png,
        "bmp-named-png.png": encoded(picture(), "BMP"),
        "one-pixel.png": encoded(picture(size=(1, 1)), "PNG"),
        "corrupt-scan-data.jpg": bytes(corrupt),
        "progressive.jpg": encoded(picture(), "JPEG", quality=80, progressive=True),
    }
    for name, data in cases.items():
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)
    print(f"wrote {len(cases)} files to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
