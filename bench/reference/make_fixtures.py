#!/usr/bin/python3
"""Generate the golden fixtures used by the Vicreg.Multimodal C# test suite.

What it produces (all under tests/fixtures/, compact JSON, floats written with
full float64 precision via repr, every tensor stored as a FLAT row-major list
together with its shape):

  vicreg_loss.json          VICReg invariance / variance / covariance / total
                            terms and d(term)/d(z1), d(term)/d(z2) for several
                            (N, D) cases (facebookresearch/vicreg semantics,
                            covariance divided by N-1, float64 maths).
  barlow_twins.json         Barlow Twins loss (BatchNorm1d(affine=False) in
                            training mode, biased variance, eps 1e-5) and its
                            gradients.
  lars_steps.json           Three steps of the LARS optimizer of
                            facebookresearch/vicreg main_vicreg.py (with
                            exclude_bias_and_norm: ndim==1 params skip weight
                            decay and trust-ratio adaptation), float64.
  resnet_state_dicts.json   state_dict() key order and shapes (buffers
                            included) and parameter counts of torchvision
                            resnet18 / resnet34 / resnet50 / wide_resnet50_2.
  schedule.json             Learning rate at every step of the official
                            adjust_learning_rate (warm-up + cosine) schedule.

Inputs (embeddings, LARS initial values and gradients) are generated with fixed
seeds, rounded to float32 and then promoted back to float64 for computation, so
the C# side can feed bit-identical float32 inputs.

Rerun (from the repository root; needs the Debian packages python3-torch,
python3-torchvision and python3-numpy, i.e. PyTorch 1.13 / torchvision 0.14):

    /usr/bin/python3 bench/reference/make_fixtures.py

The output is deterministic. The C# tests only read the JSON files; they never
need Python.
"""

import json
import math
import os

import torch
import torch.nn.functional as F
import torchvision

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT_DIR = os.path.join(ROOT, "tests", "fixtures")

DT = torch.float64


def flat(t):
    """Flat row-major list of Python floats (float64 repr precision)."""
    return [float(v) for v in t.detach().to(DT).reshape(-1).tolist()]


def f32_round(t):
    """Round to float32 and come back to float64."""
    return t.to(torch.float32).to(DT)


def write_json(name, obj):
    path = os.path.join(OUT_DIR, name)
    with open(path, "w") as f:
        json.dump(obj, f, separators=(",", ":"), allow_nan=False)
        f.write("\n")
    print("wrote %s (%d bytes)" % (path, os.path.getsize(path)))
    return path


def make_pair(gen, n, d):
    scale = torch.rand(d, generator=gen, dtype=DT) * 1.4 + 0.3
    z1 = torch.randn(n, d, generator=gen, dtype=DT) * scale
    z2 = z1 + 0.5 * torch.randn(n, d, generator=gen, dtype=DT) + 0.1
    return f32_round(z1), f32_round(z2)


def off_diagonal(m):
    d = m.shape[0]
    return m[~torch.eye(d, dtype=torch.bool)]


# --------------------------------------------------------------------------
# 1. VICReg
# --------------------------------------------------------------------------
GAMMA, EPS = 1.0, 1e-4
SIM, STD, COV = 25.0, 25.0, 1.0


def vicreg_terms(z1, z2):
    n, d = z1.shape
    inv = F.mse_loss(z1, z2)
    x = z1 - z1.mean(dim=0)
    y = z2 - z2.mean(dim=0)
    std_x = torch.sqrt(x.var(dim=0) + EPS)
    std_y = torch.sqrt(y.var(dim=0) + EPS)
    var = torch.mean(F.relu(GAMMA - std_x)) / 2 + torch.mean(F.relu(GAMMA - std_y)) / 2
    cov_x = (x.T @ x) / (n - 1)
    cov_y = (y.T @ y) / (n - 1)
    cov = off_diagonal(cov_x).pow(2).sum() / d + off_diagonal(cov_y).pow(2).sum() / d
    total = SIM * inv + STD * var + COV * cov
    return {"invariance": inv, "variance": var, "covariance": cov, "total": total}


def cov_term_via_gram(z):
    """Same covariance term through the N x N Gram identity (sanity check)."""
    n, d = z.shape
    x = z - z.mean(dim=0)
    g = x @ x.T
    col_sq = (x * x).sum(dim=0)
    return ((g * g).sum() - (col_sq * col_sq).sum()) / (n - 1) ** 2 / d


def make_vicreg():
    gen = torch.Generator().manual_seed(1234)
    cases = []
    active_counts = []
    for n, d in [(2, 8), (8, 32), (16, 64), (32, 8), (64, 16), (12, 12)]:
        z1, z2 = make_pair(gen, n, d)
        z1.requires_grad_(True)
        z2.requires_grad_(True)
        terms = vicreg_terms(z1, z2)
        grads = {}
        for k, v in terms.items():
            g1, g2 = torch.autograd.grad(v, (z1, z2), retain_graph=True)
            grads[k] = {"z1": flat(g1), "z2": flat(g2)}

        # sanity: Gram identity for the covariance term
        with torch.no_grad():
            alt = cov_term_via_gram(z1) + cov_term_via_gram(z2)
            assert abs(alt.item() - terms["covariance"].item()) < 1e-10, (n, d, alt, terms["covariance"])
            sx = torch.sqrt((z1 - z1.mean(0)).var(0) + EPS)
            sy = torch.sqrt((z2 - z2.mean(0)).var(0) + EPS)
            active_counts.append((n, d, int((sx < GAMMA).sum()), int((sy < GAMMA).sum())))

        cases.append({
            "n": n, "d": d,
            "z1": flat(z1), "z2": flat(z2),
            "invariance": terms["invariance"].item(),
            "variance": terms["variance"].item(),
            "covariance": terms["covariance"].item(),
            "total": terms["total"].item(),
            "grads": grads,
        })
    # sanity: autograd vs finite differences on a small case
    gen2 = torch.Generator().manual_seed(7)
    a, b = make_pair(gen2, 6, 5)
    a.requires_grad_(True)
    b.requires_grad_(True)
    assert torch.autograd.gradcheck(lambda p, q: vicreg_terms(p, q)["total"], (a, b))
    print("vicreg: std hinge active (n, d, #active z1, #active z2):", active_counts)
    write_json("vicreg_loss.json", {
        "gamma": GAMMA, "eps": EPS, "sim": SIM, "std": STD, "cov": COV,
        "cases": cases,
    })


# --------------------------------------------------------------------------
# 2. Barlow Twins
# --------------------------------------------------------------------------
LAMBDA = 0.0051


def barlow_loss(z1, z2):
    n, d = z1.shape
    z1n = F.batch_norm(z1, None, None, training=True, eps=1e-5)
    z2n = F.batch_norm(z2, None, None, training=True, eps=1e-5)
    c = z1n.T @ z2n / n
    on = (torch.diagonal(c) - 1).pow(2).sum()
    off = off_diagonal(c).pow(2).sum()
    return on + LAMBDA * off


def barlow_manual(z1, z2):
    n, d = z1.shape

    def bn(z):
        m = z.mean(0)
        v = ((z - m) ** 2).mean(0)
        return (z - m) / torch.sqrt(v + 1e-5)

    c = bn(z1).T @ bn(z2) / n
    eye = torch.eye(d, dtype=DT)
    return ((c - eye) ** 2 * eye).sum() + LAMBDA * ((c * (1 - eye)) ** 2).sum()


def make_barlow():
    gen = torch.Generator().manual_seed(4321)
    cases = []
    for n, d in [(8, 32), (16, 64), (32, 8), (64, 16), (12, 12)]:
        z1, z2 = make_pair(gen, n, d)
        z1.requires_grad_(True)
        z2.requires_grad_(True)
        loss = barlow_loss(z1, z2)
        g1, g2 = torch.autograd.grad(loss, (z1, z2))
        with torch.no_grad():
            alt = barlow_manual(z1, z2)
            assert abs(alt.item() - loss.item()) <= 1e-10 * max(1.0, abs(loss.item())), (n, d)
        cases.append({
            "n": n, "d": d, "z1": flat(z1), "z2": flat(z2),
            "loss": loss.item(),
            "grads": {"z1": flat(g1), "z2": flat(g2)},
        })
    write_json("barlow_twins.json", {"lambda": LAMBDA, "cases": cases})


# --------------------------------------------------------------------------
# 3. LARS (facebookresearch/vicreg main_vicreg.py semantics)
# --------------------------------------------------------------------------
def make_lars():
    lr, wd, momentum, eta = 0.5, 0.01, 0.9, 0.001
    gen = torch.Generator().manual_seed(2024)
    shapes = {"w": (4, 3), "b": (3,), "z": (2, 2), "c": (2, 3, 2, 2)}
    params = {}
    for name, shape in shapes.items():
        if name == "z":
            params[name] = torch.zeros(shape, dtype=DT)
        else:
            params[name] = f32_round(torch.randn(shape, generator=gen, dtype=DT))
    out_params = {k: {"shape": list(v.shape), "initial": flat(v)} for k, v in params.items()}
    mu = {k: torch.zeros_like(v) for k, v in params.items()}
    steps = []
    for _ in range(3):
        grads = {k: f32_round(torch.randn(v.shape, generator=gen, dtype=DT)) for k, v in params.items()}
        for k, p in params.items():
            excluded = p.ndim == 1
            dp = grads[k].clone()
            if not excluded:
                dp = dp + wd * p
                pn = torch.linalg.vector_norm(p).item()
                un = torch.linalg.vector_norm(dp).item()
                q = eta * pn / un if (pn > 0.0 and un > 0.0) else 1.0
                dp = dp * q
            mu[k] = momentum * mu[k] + dp
            params[k] = p - lr * mu[k]
        steps.append({
            "grads": {k: flat(v) for k, v in grads.items()},
            "after": {k: flat(v) for k, v in params.items()},
        })
    write_json("lars_steps.json", {
        "lr": lr, "weight_decay": wd, "momentum": momentum, "eta": eta,
        "params": out_params, "steps": steps,
    })


# --------------------------------------------------------------------------
# 4. torchvision ResNet state dicts
# --------------------------------------------------------------------------
def make_resnets():
    out = {}
    for name in ["resnet18", "resnet34", "resnet50", "wide_resnet50_2"]:
        model = getattr(torchvision.models, name)(weights=None)
        count = sum(p.numel() for p in model.parameters())
        fc = model.fc.weight.numel() + model.fc.bias.numel()
        out[name] = {
            "parameter_count": int(count),
            "parameter_count_without_fc": int(count - fc),
            "state_dict": [[k, list(v.shape)] for k, v in model.state_dict().items()],
        }
        print("%s: %d params, %d without fc, %d state_dict entries"
              % (name, count, count - fc, len(out[name]["state_dict"])))
    write_json("resnet_state_dicts.json", out)


# --------------------------------------------------------------------------
# 5. Learning-rate schedule (adjust_learning_rate of main_vicreg.py)
# --------------------------------------------------------------------------
def make_schedule():
    base_lr_arg, batch, epochs, warmup_epochs, spe = 0.2, 2048, 100, 10, 7
    lrs = []
    for step in range(epochs * spe):
        max_steps = epochs * spe
        warmup_steps = warmup_epochs * spe
        base_lr = base_lr_arg * batch / 256
        if step < warmup_steps:
            lr = base_lr * step / warmup_steps
        else:
            s = step - warmup_steps
            max_steps -= warmup_steps
            q = 0.5 * (1 + math.cos(math.pi * s / max_steps))
            end_lr = base_lr * 0.001
            lr = base_lr * q + end_lr * (1 - q)
        lrs.append(lr)
    write_json("schedule.json", {
        "base_lr": base_lr_arg, "batch_size": batch, "epochs": epochs,
        "warmup_epochs": warmup_epochs, "steps_per_epoch": spe, "lr": lrs,
    })

# --------------------------------------------------------------------------
# 4. torch.optim.AdamW and torch.optim.SGD (the project writes its own; see Vicreg.Core.Scalars)
# --------------------------------------------------------------------------
def make_optimizers():
    gen = torch.Generator().manual_seed(77)
    shapes = {"w": (3, 4), "b": (4,)}
    out = {}
    for name, factory, settings in (
        ("adamw", lambda ps: torch.optim.AdamW(ps, lr=0.01, weight_decay=0.05), {"lr": 0.01, "weight_decay": 0.05}),
        ("sgd", lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, weight_decay=0.001), {"lr": 0.1, "momentum": 0.9, "weight_decay": 0.001}),
    ):
        params = {k: f32_round(torch.randn(v, generator=gen, dtype=DT)).requires_grad_() for k, v in shapes.items()}
        initial = {k: {"shape": list(v.shape), "initial": flat(v.detach())} for k, v in params.items()}
        opt = factory(list(params.values()))
        steps = []
        for _ in range(3):
            grads = {k: f32_round(torch.randn(v.shape, generator=gen, dtype=DT)) for k, v in params.items()}
            for k, p in params.items():
                p.grad = grads[k].clone()
            opt.step()
            steps.append({"grads": {k: flat(v) for k, v in grads.items()},
                          "after": {k: flat(v.detach()) for k, v in params.items()}})
        out[name] = dict(settings, params=initial, steps=steps)
    write_json("optimizers.json", out)


def main():
    torch.manual_seed(0)
    os.makedirs(OUT_DIR, exist_ok=True)
    make_vicreg()
    make_barlow()
    make_lars()
    make_optimizers()
    make_resnets()
    make_schedule()


if __name__ == "__main__":
    main()
