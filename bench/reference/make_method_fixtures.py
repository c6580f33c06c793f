#!/usr/bin/python3
"""Golden fixtures for the non-VICReg methods of the ablations (tests/fixtures/methods.json).

PyTorch 1.13 (Debian's python3-torch), float64 maths on inputs rounded to float32, so the C# side can feed
bit-identical float32 inputs. Every tensor is a flat row-major list with its shape.

  simclr       NT-Xent (SimCLR): 2N l2-normalised embeddings, cosine / T, cross-entropy against the partner
               view among the 2N-1 others, mean over all 2N anchors. Value and d/dz1, d/dz2.
  byol         mean(2 - 2 cos(p1, sg(t2))) + mean(2 - 2 cos(p2, sg(t1))). Value and d/dp1, d/dp2.
  simsiam      -cos(p1, sg(z2))/2 - cos(p2, sg(z1))/2 (row means). Value and d/dp1, d/dp2.
  varcov       VICReg's variance (mean of the two branches) and covariance (sum of the two) terms, and the
               gradient of mu*var + nu*cov with mu = 1, nu = 0.01 (the paper's Table 4 add-on).
  simclr_varcov / barlow_varcov
               the whole method loss with the add-on (mu = 1, nu = 0.01), value and gradients.
  byol_tau     BYOL's momentum schedule tau_k = 1 - (1 - tau_0) (cos(pi k / K) + 1) / 2.

Rerun from the repository root: /usr/bin/python3 bench/reference/make_method_fixtures.py
"""

import json
import math
import os

import torch
import torch.nn.functional as F

torch.set_num_threads(2)
torch.set_default_dtype(torch.float64)


def rand(gen, *shape):
    return torch.randn(*shape, generator=gen, dtype=torch.float32).to(torch.float64)


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def nt_xent(z1, z2, temperature):
    n = z1.shape[0]
    z = torch.cat([F.normalize(z1, dim=1), F.normalize(z2, dim=1)], 0)
    logits = z @ z.t() / temperature
    logits = logits.masked_fill(torch.eye(2 * n, dtype=torch.bool), float("-inf"))
    target = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)])
    return F.cross_entropy(logits, target)


def byol(p1, p2, t1, t2):
    def reg(p, t):
        return (2 - 2 * (F.normalize(p, dim=1) * F.normalize(t.detach(), dim=1)).sum(1)).mean()
    return reg(p1, t2) + reg(p2, t1)


def simsiam(p1, p2, z1, z2):
    def d(p, z):
        return -(F.normalize(p, dim=1) * F.normalize(z.detach(), dim=1)).sum(1).mean()
    return d(p1, z2) / 2 + d(p2, z1) / 2


def variance(z, gamma=1.0, eps=1e-4):
    std = torch.sqrt(z.var(dim=0) + eps)
    return F.relu(gamma - std).mean()


def covariance(z):
    n, d = z.shape
    x = z - z.mean(0)
    c = x.t() @ x / (n - 1)
    off = c - torch.diag(torch.diag(c))
    return off.pow(2).sum() / d


def varcov(z1, z2):
    return (variance(z1) + variance(z2)) / 2, covariance(z1) + covariance(z2)


def barlow(z1, z2, lambd=0.0051):
    n = z1.shape[0]
    bn = torch.nn.BatchNorm1d(z1.shape[1], affine=False).double()
    c = bn(z1).t() @ bn(z2) / n
    on = (torch.diagonal(c) - 1).pow(2).sum()
    off = (c - torch.diag(torch.diag(c))).pow(2).sum()
    return on + lambd * off


def grads(loss, inputs):
    g = torch.autograd.grad(loss, inputs, allow_unused=True)
    return [flat(x) if x is not None else flat(torch.zeros_like(i)) for x, i in zip(g, inputs)]


def main():
    gen = torch.Generator().manual_seed(20260511)
    out = {"torch": torch.__version__}
    mu, nu = 1.0, 0.01

    cases = []
    for n, d, temperature in [(8, 16, 0.1), (12, 6, 0.5), (6, 32, 0.2)]:
        z1, z2 = rand(gen, n, d).requires_grad_(), rand(gen, n, d).requires_grad_()
        loss = nt_xent(z1, z2, temperature)
        g1, g2 = grads(loss, [z1, z2])
        cases.append({"n": n, "d": d, "temperature": temperature, "z1": flat(z1), "z2": flat(z2),
                      "loss": loss.item(), "grad_z1": g1, "grad_z2": g2})
    out["simclr"] = cases

    cases = []
    for n, d in [(8, 16), (5, 3)]:
        p1, p2, t1, t2 = (rand(gen, n, d).requires_grad_() for _ in range(4))
        loss = byol(p1, p2, t1, t2)
        gp1, gp2, gt1, gt2 = grads(loss, [p1, p2, t1, t2])
        cases.append({"n": n, "d": d, "p1": flat(p1), "p2": flat(p2), "t1": flat(t1), "t2": flat(t2),
                      "loss": loss.item(), "grad_p1": gp1, "grad_p2": gp2, "grad_t1": gt1, "grad_t2": gt2})
    out["byol"] = cases

    cases = []
    for n, d in [(8, 16), (5, 3)]:
        p1, p2, z1, z2 = (rand(gen, n, d).requires_grad_() for _ in range(4))
        loss = simsiam(p1, p2, z1, z2)
        gp1, gp2, gz1, gz2 = grads(loss, [p1, p2, z1, z2])
        cases.append({"n": n, "d": d, "p1": flat(p1), "p2": flat(p2), "z1": flat(z1), "z2": flat(z2),
                      "loss": loss.item(), "grad_p1": gp1, "grad_p2": gp2, "grad_z1": gz1, "grad_z2": gz2})
    out["simsiam"] = cases

    cases = []
    for n, d in [(8, 16), (16, 4)]:
        z1, z2 = (0.3 * rand(gen, n, d)).requires_grad_(), (0.3 * rand(gen, n, d)).requires_grad_()
        z1 = z1.detach().requires_grad_()
        z2 = z2.detach().requires_grad_()
        v, c = varcov(z1, z2)
        g1, g2 = grads(mu * v + nu * c, [z1, z2])
        cases.append({"n": n, "d": d, "mu": mu, "nu": nu, "z1": flat(z1), "z2": flat(z2),
                      "variance": v.item(), "covariance": c.item(), "grad_z1": g1, "grad_z2": g2})
    out["varcov"] = cases

    z1 = (0.5 * rand(gen, 8, 16)).requires_grad_()
    z2 = (0.5 * rand(gen, 8, 16)).requires_grad_()
    v, c = varcov(z1, z2)
    loss = nt_xent(z1, z2, 0.2) + mu * v + nu * c
    g1, g2 = grads(loss, [z1, z2])
    out["simclr_varcov"] = {"n": 8, "d": 16, "temperature": 0.2, "mu": mu, "nu": nu, "z1": flat(z1), "z2": flat(z2),
                            "loss": loss.item(), "grad_z1": g1, "grad_z2": g2}

    z1 = (0.5 * rand(gen, 8, 16)).requires_grad_()
    z2 = (0.5 * rand(gen, 8, 16)).requires_grad_()
    v, c = varcov(z1, z2)
    loss = barlow(z1, z2) + mu * v + nu * c
    g1, g2 = grads(loss, [z1, z2])
    out["barlow_varcov"] = {"n": 8, "d": 16, "off_diagonal": 0.0051, "mu": mu, "nu": nu, "z1": flat(z1), "z2": flat(z2),
                            "loss": loss.item(), "grad_z1": g1, "grad_z2": g2}

    tau0, total = 0.99, 10
    out["byol_tau"] = {"tau0": tau0, "total_steps": total,
                       "tau": [1 - (1 - tau0) * (math.cos(math.pi * k / total) + 1) / 2 for k in range(total + 1)]}

    path = os.path.join("tests", "fixtures", "methods.json")
    with open(path, "w") as f:
        json.dump(out, f, separators=(",", ":"))
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
