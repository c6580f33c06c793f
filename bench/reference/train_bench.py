#!/usr/bin/python3
"""PyTorch reference timing of one VICReg training step, for `vicreg bench train`.

The same work as the C# side: a torchvision ResNet (fc removed, zero-init residual), the official
expander (Linear-BN-ReLU ... Linear without bias), the official VICReg loss (D x D covariance, as in
facebookresearch/vicreg) and the official LARS (biases and norms excluded), on two fixed random views.
bf16: the forward under torch.autocast in bfloat16 with channels-last input, loss in fp32 (as the C# side).
--input device: the views are made on the device once (no copy in the step); --input pinned: they live in pinned
host memory and are copied to the device with non_blocking=True every step, as training's batches arrive (on the
CPU there is nothing to copy). The C# side does the same for the same value.
Prints one CSV line: impl,encoder,batch,size,expander,precision,device,input,threads,median_step_s,steps_per_s,samples_per_s
Measuring tool only: nothing in the project needs Python at run time.
Usage: /usr/bin/python3 bench/reference/train_bench.py --encoder resnet18 --batch 32 --size 64 --expander 512-512-512
"""
import argparse
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision


def expander(in_dim, spec):
    dims = [in_dim] + [int(x) for x in spec.split("-")]
    layers = []
    for i in range(len(dims) - 2):
        layers += [nn.Linear(dims[i], dims[i + 1]), nn.BatchNorm1d(dims[i + 1]), nn.ReLU(True)]
    layers.append(nn.Linear(dims[-2], dims[-1], bias=False))
    return nn.Sequential(*layers)


def off_diagonal(x):
    n, m = x.shape
    return x.flatten()[:-1].view(n - 1, n + 1)[:, 1:].flatten()


def vicreg_loss(x, y):
    n, d = x.shape
    repr_loss = F.mse_loss(x, y)
    x = x - x.mean(dim=0)
    y = y - y.mean(dim=0)
    std_x = torch.sqrt(x.var(dim=0) + 0.0001)
    std_y = torch.sqrt(y.var(dim=0) + 0.0001)
    std_loss = torch.mean(F.relu(1 - std_x)) / 2 + torch.mean(F.relu(1 - std_y)) / 2
    cov_x = (x.T @ x) / (n - 1)
    cov_y = (y.T @ y) / (n - 1)
    cov_loss = off_diagonal(cov_x).pow_(2).sum().div(d) + off_diagonal(cov_y).pow_(2).sum().div(d)
    return 25.0 * repr_loss + 25.0 * std_loss + 1.0 * cov_loss


class LARS(torch.optim.Optimizer):
    """The official VICReg LARS (exclude_bias_and_norm for weight decay and the trust ratio)."""

    def __init__(self, params, lr, weight_decay=1e-6, momentum=0.9, eta=0.001):
        super().__init__(params, dict(lr=lr, weight_decay=weight_decay, momentum=momentum, eta=eta))

    @torch.no_grad()
    def step(self):
        for g in self.param_groups:
            for p in g["params"]:
                dp = p.grad
                if dp is None:
                    continue
                if p.ndim != 1:
                    dp = dp.add(p, alpha=g["weight_decay"])
                    param_norm = torch.norm(p)
                    update_norm = torch.norm(dp)
                    one = torch.ones_like(param_norm)
                    q = torch.where(param_norm > 0.0,
                                    torch.where(update_norm > 0, (g["eta"] * param_norm / update_norm), one), one)
                    dp = dp.mul(q)
                state = self.state[p]
                if "mu" not in state:
                    state["mu"] = torch.zeros_like(p)
                mu = state["mu"]
                mu.mul_(g["momentum"]).add_(dp)
                p.add_(mu, alpha=-g["lr"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--encoder", default="resnet18")
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--size", type=int, default=64)
    ap.add_argument("--expander", default="512-512-512")
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--precision", default="fp32", choices=["fp32", "bf16"])
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--input", default="device", choices=["device", "pinned"])
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    device = torch.device(args.device)
    backbone = getattr(torchvision.models, args.encoder)(zero_init_residual=True)
    features = backbone.fc.in_features
    backbone.fc = nn.Identity()
    model = nn.Sequential(backbone, expander(features, args.expander)).to(device).train()
    opt = LARS(model.parameters(), lr=0.1)
    pinned = args.input == "pinned"
    gpu = device.type == "cuda"
    a = torch.randn(args.batch, 3, args.size, args.size, device="cpu" if pinned else device)
    b = a + 0.5 * torch.randn_like(a)
    bf16 = args.precision == "bf16"
    if bf16:
        a = a.contiguous(memory_format=torch.channels_last)
        b = b.contiguous(memory_format=torch.channels_last)
    if pinned and gpu:
        a, b = a.pin_memory(), b.pin_memory()
    host_a, host_b = a, b
    times = []
    for step in range(args.warmup + args.steps):
        t0 = time.perf_counter()
        if pinned:
            a = host_a.to(device, non_blocking=True)
            b = host_b.to(device, non_blocking=True)
        opt.zero_grad()
        with torch.autocast(device.type, dtype=torch.bfloat16, enabled=bf16):
            za = model(a)
            zb = model(b)
        loss = vicreg_loss(za.float(), zb.float())
        loss.backward()
        loss.item()
        opt.step()
        if device.type == "cuda":
            torch.cuda.synchronize()
        if step >= args.warmup:
            times.append(time.perf_counter() - t0)
    median = statistics.median(times)
    print(f"pytorch-{torch.__version__},{args.encoder},{args.batch},{args.size},{args.expander},{args.precision},"
          f"{args.device},{args.input},{torch.get_num_threads()},{median:.6f},{1 / median:.4f},{args.batch / median:.2f}", flush=True)


if __name__ == "__main__":
    main()
