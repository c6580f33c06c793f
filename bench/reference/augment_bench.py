#!/usr/bin/python3
"""torchvision + PIL side of `vicreg bench augment`: the official VICReg TrainTransform
(facebookresearch/vicreg augmentations.py, reproduced below) on the same JPEG files.

One pair = torchvision's pil_loader (open + convert("RGB"), i.e. the JPEG decode) + both views
(ToTensor + Normalize included), as ImageFolder + TrainTransform do per sample. Prints one line per
worker count: `reference workers=W pairs_per_s=X pairs_per_cpu_s=Y rounds=a,b,c` (wall-clock rate,
and pairs per CPU-second summed over the workers, which a busy machine disturbs less). Workers are processes (as a DataLoader's),
each with torch.set_num_threads(1).
    /usr/bin/python3 bench/reference/augment_bench.py --images DIR [--pairs 200] [--rounds 5] [--workers 1,2]
"""
import argparse
import glob
import multiprocessing as mp
import os
import time

import numpy as np
import torch
from PIL import Image, ImageFilter, ImageOps
import torchvision.transforms as transforms
from torchvision.transforms import InterpolationMode


class GaussianBlur(object):
    def __init__(self, p):
        self.p = p

    def __call__(self, img):
        if np.random.rand() < self.p:
            sigma = np.random.rand() * 1.9 + 0.1
            return img.filter(ImageFilter.GaussianBlur(sigma))
        return img


class Solarization(object):
    def __init__(self, p):
        self.p = p

    def __call__(self, img):
        if np.random.rand() < self.p:
            return ImageOps.solarize(img)
        return img


def view(blur_p, solarize_p, size):
    return transforms.Compose([
        transforms.RandomResizedCrop(size, interpolation=InterpolationMode.BICUBIC),
        transforms.RandomHorizontalFlip(p=0.5),
        transforms.RandomApply([transforms.ColorJitter(brightness=0.4, contrast=0.4, saturation=0.2, hue=0.1)], p=0.8),
        transforms.RandomGrayscale(p=0.2),
        GaussianBlur(p=blur_p),
        Solarization(p=solarize_p),
        transforms.ToTensor(),
        transforms.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225]),
    ])


def pil_loader(path):
    with open(path, "rb") as f:
        img = Image.open(f)
        return img.convert("RGB")


def work(args):
    files, start, count, size, seed = args
    torch.set_num_threads(1)
    torch.manual_seed(seed)
    np.random.seed(seed)
    t1, t2 = view(1.0, 0.0, size), view(0.1, 0.2, size)
    cpu = time.process_time()
    for k in range(start, start + count):
        img = pil_loader(files[k % len(files)])
        x1, x2 = t1(img), t2(img)
    return count, time.process_time() - cpu


def one_round(pool, workers, files, pairs, size, seed):
    jobs = [(files, w * pairs, pairs, size, seed * 100 + w) for w in range(workers)]
    t = time.perf_counter()
    results = pool.map(work, jobs) if pool else [work(jobs[0])]
    wall = time.perf_counter() - t
    done, cpu = sum(n for n, _ in results), sum(c for _, c in results)
    return done / wall, done / cpu


def serve(a, files):
    import sys
    pools = {}
    for workers in [int(w) for w in a.workers.split(",")]:
        pools[workers] = mp.get_context("fork").Pool(workers) if workers > 1 else None
        one_round(pools[workers], workers, files, 4, a.size, 99)  # warm-up
    print("ready", flush=True)
    seed = 0
    for line in sys.stdin:
        parts = line.split()
        if not parts or parts[0] == "quit":
            break
        workers = int(parts[1])
        seed += 1
        wall, cpu = one_round(pools[workers], workers, files, a.pairs, a.size, seed)
        print(f"rate workers={workers} pairs_per_s={wall:.2f} pairs_per_cpu_s={cpu:.2f}", flush=True)
    for p in pools.values():
        if p:
            p.close()
            p.join()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--images", required=True)
    ap.add_argument("--pairs", type=int, default=200, help="pairs per worker per round")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--size", type=int, default=224)
    ap.add_argument("--serve", action="store_true",
                    help="interleaved mode: after the warm-up, run one round per 'round W' line on stdin, "
                         "answering 'rate workers=W pairs_per_s=X pairs_per_cpu_s=Y'; 'quit' ends")
    a = ap.parse_args()
    files = sorted(f for f in glob.glob(os.path.join(a.images, "**", "*"), recursive=True)
                   if f.lower().endswith((".jpg", ".jpeg", ".png")))
    if not files:
        raise SystemExit(f"no images in {a.images}")
    torch.set_num_threads(1)
    if a.serve:
        serve(a, files)
        return
    for workers in [int(w) for w in a.workers.split(",")]:
        pool = mp.get_context("fork").Pool(workers) if workers > 1 else None
        jobs = lambda r, n=a.pairs: [(files, w * n, n, a.size, 1000 * r + w) for w in range(workers)]
        (pool.map(work, jobs(99, 4)) if pool else work(jobs(99, 4)[0]))  # warm-up
        rates, cpu_rates = [], []
        for r in range(a.rounds):
            t = time.perf_counter()
            results = pool.map(work, jobs(r)) if pool else [work(jobs(r)[0])]
            wall = time.perf_counter() - t
            done, cpu = sum(n for n, _ in results), sum(c for _, c in results)
            rates.append(done / wall)
            cpu_rates.append(done / cpu)
        if pool:
            pool.close()
            pool.join()
        med = sorted(rates)[len(rates) // 2]
        cpu_med = sorted(cpu_rates)[len(cpu_rates) // 2]
        print(f"reference workers={workers} pairs_per_s={med:.2f} pairs_per_cpu_s={cpu_med:.2f} "
              f"rounds={','.join(f'{x:.1f}' for x in rates)}", flush=True)


if __name__ == "__main__":
    main()
