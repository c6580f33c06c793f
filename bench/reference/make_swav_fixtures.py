#!/usr/bin/python3
"""Golden fixtures for SwAV's loss (tests/fixtures/swav.json), for two views, as the official code
(facebookresearch/swav, main_swav.py: distributed_sinkhorn and the swapped-prediction loop) computes it:

  scores_v = normalize(z_v) @ C^T            C's rows have unit norm (the method renormalises them each step)
  q_v      = sinkhorn(scores_v.detach())     Q = exp(s / eps)^T, Q /= sum(Q), then `iterations` times:
                                             rows /= row sums, /= K; columns /= column sums, /= B; finally Q *= B
  loss     = 1/2 [ -mean_n sum_k q_1 log softmax(scores_2 / T) - mean_n sum_k q_2 log softmax(scores_1 / T) ]

PyTorch 1.13 (Debian's python3-torch), float64 maths on inputs rounded to float32, so the C# side can feed
bit-identical float32 inputs. Every tensor is a flat row-major list. Per case: the loss, both views' codes
and the gradients with respect to z1, z2 and the prototypes C.

Rerun from the repository root: /usr/bin/python3 bench/reference/make_swav_fixtures.py
"""

import json
import os

import torch
import torch.nn.functional as F

torch.set_num_threads(2)
torch.set_default_dtype(torch.float64)


def rand(gen, *shape):
    return torch.randn(*shape, generator=gen, dtype=torch.float32).to(torch.float64)


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


@torch.no_grad()
def sinkhorn(out, epsilon, iterations):
    q = torch.exp(out / epsilon).t()  # K x B
    b, k = q.shape[1], q.shape[0]
    q /= torch.sum(q)
    for _ in range(iterations):
        q /= torch.sum(q, dim=1, keepdim=True)
        q /= k
        q /= torch.sum(q, dim=0, keepdim=True)
        q /= b
    q *= b
    return q.t()


def swav(z1, z2, c, temperature, epsilon, iterations):
    s1 = F.normalize(z1, dim=1) @ c.t()
    s2 = F.normalize(z2, dim=1) @ c.t()
    q1, q2 = sinkhorn(s1.detach(), epsilon, iterations), sinkhorn(s2.detach(), epsilon, iterations)
    l12 = -torch.mean(torch.sum(q1 * F.log_softmax(s2 / temperature, dim=1), dim=1))
    l21 = -torch.mean(torch.sum(q2 * F.log_softmax(s1 / temperature, dim=1), dim=1))
    return (l12 + l21) / 2, q1, q2


def main():
    gen = torch.Generator().manual_seed(20261201)
    cases = []
    for n, d, k, temperature, epsilon, iterations in [(8, 16, 10, 0.1, 0.05, 3), (12, 6, 5, 0.2, 0.05, 3), (6, 32, 20, 0.1, 0.1, 5)]:
        z1, z2 = rand(gen, n, d).requires_grad_(), rand(gen, n, d).requires_grad_()
        c = F.normalize(rand(gen, k, d), dim=1).to(torch.float32).to(torch.float64).requires_grad_()
        loss, q1, q2 = swav(z1, z2, c, temperature, epsilon, iterations)
        g1, g2, gc = torch.autograd.grad(loss, [z1, z2, c])
        cases.append({"n": n, "d": d, "k": k, "temperature": temperature, "epsilon": epsilon, "iterations": iterations,
                      "z1": flat(z1), "z2": flat(z2), "prototypes": flat(c), "loss": loss.item(),
                      "codes1": flat(q1), "codes2": flat(q2), "grad_z1": flat(g1), "grad_z2": flat(g2), "grad_prototypes": flat(gc)})
    out = {"torch": torch.__version__, "swav": cases}
    path = os.path.join("tests", "fixtures", "swav.json")
    with open(path, "w") as f:
        json.dump(out, f, separators=(",", ":"))
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
