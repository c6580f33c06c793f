#!/usr/bin/python3
"""Writes the audio corpus under tests/fixtures/bad/audio/ (standard library only; deterministic).

Every good file holds the same signal, so the tests can check the decode against the formula:
    x(t) = 0.5 * sin(2*pi*440*t) + 0.25 * sin(2*pi*1000*t + 1),  at 8 kHz, 0.5 s (4000 frames),
with channel c scaled by (1 - 0.1*c) so that the mono mixdown is x(t) * mean_c(1 - 0.1*c).
Files that must decode: pcm8, pcm16, pcm24, pcm32, float32, float64, extensible-pcm24 (stereo),
six-channel (16-bit), stereo-float32, short (0.05 s, shorter than any crop; padded by the loader).
Files that must be skipped with one line: zero-byte, wrong-magic, truncated-header, no-data-chunk,
text-named-wav, truncated-data (the header claims more samples than the file holds; decoded partially, as
the header's frame count cannot be trusted, the loader keeps what is there and says so), unsupported-alaw.
Rerun:  /usr/bin/python3 bench/reference/make_bad_audio.py
"""
import math
import os
import struct

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "fixtures", "bad", "audio")
RATE = 8000
FRAMES = 4000


def signal(i):
    t = i / RATE
    return 0.5 * math.sin(2 * math.pi * 440 * t) + 0.25 * math.sin(2 * math.pi * 1000 * t + 1)


def encode(value, fmt, bits):
    if fmt == 3:
        return struct.pack("<f" if bits == 32 else "<d", value)
    if bits == 8:
        return struct.pack("<B", max(0, min(255, int(round(value * 127 + 128)))))
    full = (1 << (bits - 1)) - 1
    q = max(-full - 1, min(full, int(round(value * full))))
    if bits == 16:
        return struct.pack("<h", q)
    if bits == 24:
        return struct.pack("<i", q)[:3]
    return struct.pack("<i", q)


def wav(fmt, bits, channels, frames=FRAMES, extensible=False, claim_frames=None):
    block = channels * bits // 8
    data = bytearray()
    for i in range(frames):
        s = signal(i)
        for c in range(channels):
            data += encode(s * (1 - 0.1 * c), fmt, bits)
    if extensible:
        sub = struct.pack("<IHH8s", fmt, 0, 0x10, bytes([0x80, 0, 0, 0xAA, 0, 0x38, 0x9B, 0x71]))
        mask = (1 << channels) - 1
        fmt_chunk = struct.pack("<HHIIHHHHI", 0xFFFE, channels, RATE, RATE * block, block, bits, 22, bits, mask) + sub
    else:
        fmt_chunk = struct.pack("<HHIIHH", fmt, channels, RATE, RATE * block, block, bits)
        if fmt == 3:
            fmt_chunk += struct.pack("<H", 0)
    data_len = len(data) if claim_frames is None else claim_frames * block
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt_chunk)) + fmt_chunk + b"data" + struct.pack("<I", data_len) + bytes(data)
    return b"RIFF" + struct.pack("<I", 4 + len(body) - 4 + (data_len - len(data))) + body


def main():
    os.makedirs(OUT, exist_ok=True)
    files = {
        "pcm8.wav": wav(1, 8, 1),
        "pcm16.wav": wav(1, 16, 1),
        "pcm24.wav": wav(1, 24, 1),
        "pcm32.wav": wav(1, 32, 1),
        "float32.wav": wav(3, 32, 1),
        "float64.wav": wav(3, 64, 1),
        "extensible-pcm24.wav": wav(1, 24, 2, extensible=True),
        "six-channel.wav": wav(1, 16, 6),
        "stereo-float32.wav": wav(3, 32, 2),
        "short.wav": wav(1, 16, 1, frames=400),
        "zero-byte.wav": b"",
        "wrong-magic.wav": b"RIFX" + wav(1, 16, 1)[4:],
        "truncated-header.wav": wav(1, 16, 1)[:30],
        "no-data-chunk.wav": wav(1, 16, 1)[:36],
        "text-named-wav.wav": b"this is not audio, it is a text file with a .wav name\n" * 4,
        "truncated-data.wav": wav(1, 16, 1, frames=1000, claim_frames=FRAMES),
        "unsupported-alaw.wav": wav(1, 16, 1)[:20] + struct.pack("<H", 6) + wav(1, 16, 1)[22:],
    }
    for name, payload in files.items():
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(payload)
    print(f"wrote {len(files)} files to {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
