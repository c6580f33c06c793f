#!/usr/bin/python3
"""torchaudio's MelSpectrogram (+ log and per-example [0, 1] scaling) on the same WAV clips as `vicreg bench logmel`.

Same settings as the C# side (LogMelBenchmark.Settings): 16 kHz, n_fft 512, win 400, hop 160, 64 mels, HTK,
power 2, log(mel + 1e-6). Decode excluded. Prints one CSV line: clips,clip_seconds,batch,repeats,threads,median_seconds.
Usage: /usr/bin/python3 bench/reference/logmel_bench.py DIR --batch 64 --repeats 5 --threads 2
"""
import argparse
import glob
import os
import statistics
import time

import torch
import torchaudio


def main():
    p = argparse.ArgumentParser()
    p.add_argument("folder")
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    files = sorted(glob.glob(os.path.join(a.folder, "**", "*.wav"), recursive=True))
    clips = []
    for f in files:
        x, rate = torchaudio.load(f)
        if rate != 16000:
            x = torchaudio.functional.resample(x, rate, 16000)
        clips.append(x.mean(0))
    length = min(c.shape[0] for c in clips)
    audio = torch.stack([c[:length] for c in clips]).unsqueeze(1)
    mel = torchaudio.transforms.MelSpectrogram(sample_rate=16000, n_fft=512, win_length=400, hop_length=160, n_mels=64,
                                               f_min=0.0, f_max=8000.0, power=2.0, mel_scale="htk")
    times = []
    with torch.no_grad():
        for r in range(a.repeats + 1):
            start = time.perf_counter()
            for i in range(0, len(clips), a.batch):
                m = torch.log(mel(audio[i:i + a.batch]) + 1e-6)
                lo = m.amin(dim=(-2, -1), keepdim=True)
                hi = m.amax(dim=(-2, -1), keepdim=True)
                _ = (m - lo) / (hi - lo)
            if r > 0:
                times.append(time.perf_counter() - start)
    print(f"{len(clips)},{length / 16000},{a.batch},{a.repeats},{a.threads},{statistics.median(times)}")


if __name__ == "__main__":
    main()
