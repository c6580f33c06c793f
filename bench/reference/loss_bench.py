#!/usr/bin/python3
"""PyTorch reference timing of the VICReg loss, forward + backward, for bench/loss_vs_pytorch.sh.

The "feature" form is the official facebookresearch/vicreg loss (D x D covariance); the "gram" form
computes the same covariance term from the N x N Gram matrix. Prints one CSV line per form:
    form,n,d,threads,median_s
Measuring tool only: nothing in the project needs Python at run time.
Usage: /usr/bin/python3 bench/reference/loss_bench.py --n 256 --d 8192 --repeats 3 [--threads 2]
       /usr/bin/python3 bench/reference/loss_bench.py --ns 64,256,1024 --ds 256,1024,2048   (a sweep)
"""
import argparse
import os
import statistics
import time

import torch
import torch.nn.functional as F


def off_diagonal(x):
    n, m = x.shape
    return x.flatten()[:-1].view(n - 1, n + 1)[:, 1:].flatten()


def covariance_feature(x, n, d):
    cov = (x.T @ x) / (n - 1)
    return off_diagonal(cov).pow_(2).sum().div(d)


def covariance_gram(x, n, d):
    frob = (x @ x.T).pow(2).sum()
    diag = x.pow(2).sum(0).pow(2).sum()
    return (frob - diag) / ((n - 1) ** 2) / d


def vicreg(z1, z2, cov_fn):
    n, d = z1.shape
    repr_loss = F.mse_loss(z1, z2)
    x = z1 - z1.mean(dim=0)
    y = z2 - z2.mean(dim=0)
    std_x = torch.sqrt(x.var(dim=0) + 0.0001)
    std_y = torch.sqrt(y.var(dim=0) + 0.0001)
    std_loss = torch.mean(F.relu(1 - std_x)) / 2 + torch.mean(F.relu(1 - std_y)) / 2
    cov_loss = cov_fn(x, n, d) + cov_fn(y, n, d)
    return 25.0 * repr_loss + 25.0 * std_loss + 1.0 * cov_loss


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=256)
    ap.add_argument("--d", type=int, default=8192)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--ns", default=None, help="comma-separated batch sizes (a sweep; overrides --n)")
    ap.add_argument("--ds", default=None, help="comma-separated widths (a sweep; overrides --d)")
    ap.add_argument("--threads", type=int, default=os.cpu_count(), help="intra-op threads (match the C# side)")
    ap.add_argument("--device", default="cpu", help="cpu or cuda[:N]")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    ns = [int(x) for x in args.ns.split(",")] if args.ns else [args.n]
    ds = [int(x) for x in args.ds.split(",")] if args.ds else [args.d]
    for n in ns:
        for d in ds:
            measure(n, d, args.repeats, torch.device(args.device))


def measure(n, d, repeats, device):
    torch.manual_seed(0)
    base1 = torch.randn(n, d).to(device)
    base2 = base1 + 0.5 * torch.randn(n, d).to(device)
    for form, fn in (("gram", covariance_gram), ("feature", covariance_feature)):
        times = []
        for r in range(repeats + (1 if form == "gram" else 0)):
            z1 = base1.clone().requires_grad_()
            z2 = base2.clone().requires_grad_()
            t0 = time.perf_counter()
            vicreg(z1, z2, fn).backward()
            if device.type == "cuda":
                torch.cuda.synchronize(device)
            dt = time.perf_counter() - t0
            if form == "gram" and r == 0:
                continue  # warm-up, as on the C# side
            times.append(dt)
        print(f"{form},{n},{d},{torch.get_num_threads()},{statistics.median(times):.6f}", flush=True)


if __name__ == "__main__":
    main()
