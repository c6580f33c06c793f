#!/usr/bin/python3
"""Golden fixtures for the audio front end (torchaudio 0.13, Debian's python3-torchaudio).

Writes tests/fixtures/audio/logmel.json:
  fbanks   torchaudio.functional.melscale_fbanks for several (n_freqs, f_min, f_max, n_mels, sample_rate,
           norm, mel_scale) settings: the [n_freqs, n_mels] matrix, float32 as torchaudio computes it, and
           the same algorithm run in float64 (torchaudio's own helpers on float64 tensors).
  spectra  torchaudio.transforms.MelSpectrogram on fixed waveforms (float32 inputs, so the C# side feeds
           the same bits), for several settings (window shorter than n_fft, power 1 and 2, HTK and Slaney),
           plus the project's full front end: log(mel + log_offset), then each example min-max scaled to
           [0, 1] (the paper normalises spectrograms to [0, 1]).

Rerun from the repository root:
    apt-get install python3-torchaudio
    /usr/bin/python3 bench/reference/make_audio_fixtures.py
Deterministic. Tests only read the JSON.
"""
import json
import math
import os

import torch
import torchaudio

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "tests", "fixtures", "audio", "logmel.json")


def flat(t):
    return [float(v) for v in t.detach().to(torch.float64).reshape(-1).tolist()]


def waveform(batch, samples, sample_rate, seed):
    """A chirp plus two tones and a little noise per example, rounded to float32."""
    g = torch.Generator().manual_seed(seed)
    t = torch.arange(samples, dtype=torch.float64) / sample_rate
    rows = []
    for b in range(batch):
        f0 = 220.0 * (b + 1)
        chirp = torch.sin(2 * math.pi * (f0 * t + 0.5 * 3000.0 * t * t))
        tones = 0.3 * torch.sin(2 * math.pi * 1234.5 * t) + 0.2 * torch.sin(2 * math.pi * (5000.0 - 700 * b) * t)
        noise = 0.05 * torch.randn(samples, generator=g, dtype=torch.float64)
        rows.append(0.5 * chirp + tones + noise)
    return torch.stack(rows).to(torch.float32)


FBANKS = [
    dict(n_freqs=201, f_min=0.0, f_max=8000.0, n_mels=64, sample_rate=16000, norm=None, mel_scale="htk"),
    dict(n_freqs=257, f_min=20.0, f_max=7600.0, n_mels=80, sample_rate=16000, norm="slaney", mel_scale="slaney"),
    dict(n_freqs=513, f_min=0.0, f_max=22050.0, n_mels=128, sample_rate=44100, norm=None, mel_scale="slaney"),
    dict(n_freqs=1025, f_min=50.0, f_max=14000.0, n_mels=40, sample_rate=32000, norm="slaney", mel_scale="htk"),
]

SPECTRA = [
    dict(sample_rate=16000, n_fft=400, win_length=400, hop_length=160, n_mels=64, f_min=0.0, f_max=8000.0,
         power=2.0, norm=None, mel_scale="htk", log_offset=1e-6, batch=2, samples=4000, seed=1),
    dict(sample_rate=16000, n_fft=512, win_length=320, hop_length=160, n_mels=80, f_min=20.0, f_max=7600.0,
         power=1.0, norm="slaney", mel_scale="slaney", log_offset=1e-3, batch=3, samples=3210, seed=2),
    dict(sample_rate=22050, n_fft=1024, win_length=1024, hop_length=256, n_mels=128, f_min=0.0, f_max=11025.0,
         power=2.0, norm=None, mel_scale="slaney", log_offset=1e-6, batch=1, samples=11025, seed=3),
]


def fbanks_float64(n_freqs, f_min, f_max, n_mels, sample_rate, norm, mel_scale):
    """torchaudio's melscale_fbanks algorithm, run in float64 (the public function is float32 only)."""
    F = torchaudio.functional.functional
    all_freqs = torch.linspace(0, sample_rate // 2, n_freqs, dtype=torch.float64)
    m_pts = torch.linspace(F._hz_to_mel(f_min, mel_scale), F._hz_to_mel(f_max, mel_scale), n_mels + 2, dtype=torch.float64)
    f_pts = F._mel_to_hz(m_pts, mel_scale)
    fb = F._create_triangular_filterbank(all_freqs, f_pts)
    if norm == "slaney":
        fb *= (2.0 / (f_pts[2: n_mels + 2] - f_pts[:n_mels])).unsqueeze(0)
    return fb


def main():
    torch.set_num_threads(1)
    out = {"torchaudio": torchaudio.__version__, "torch": torch.__version__, "fbanks": [], "spectra": []}
    for c in FBANKS:
        fb = torchaudio.functional.melscale_fbanks(c["n_freqs"], c["f_min"], c["f_max"], c["n_mels"],
                                                   c["sample_rate"], c["norm"], c["mel_scale"])
        out["fbanks"].append({**c, "shape": list(fb.shape), "values": flat(fb), "values_float64": flat(fbanks_float64(**c))})
    for c in SPECTRA:
        x = waveform(c["batch"], c["samples"], c["sample_rate"], c["seed"])
        mel = torchaudio.transforms.MelSpectrogram(
            sample_rate=c["sample_rate"], n_fft=c["n_fft"], win_length=c["win_length"], hop_length=c["hop_length"],
            f_min=c["f_min"], f_max=c["f_max"], n_mels=c["n_mels"], power=c["power"], norm=c["norm"],
            mel_scale=c["mel_scale"], center=True, pad_mode="reflect")(x)
        logmel = torch.log(mel + c["log_offset"])
        lo = logmel.amin(dim=(1, 2), keepdim=True)
        hi = logmel.amax(dim=(1, 2), keepdim=True)
        unit = (logmel - lo) / (hi - lo)
        out["spectra"].append({**c, "input_shape": list(x.shape), "input": flat(x),
                               "mel_shape": list(mel.shape), "mel": flat(mel), "normalized": flat(unit)})
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(out, f, separators=(",", ":"))
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
