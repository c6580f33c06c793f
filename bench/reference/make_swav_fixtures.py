#!/usr/bin/python3
"""Golden fixtures for SwAV's loss (tests/fixtures/swav.json) as the official code (facebookresearch/swav,
main_swav.py: distributed_sinkhorn and the swapped-prediction loop of train()) computes it. Two views:

  scores_v = normalize(z_v) @ C^T            C's rows have unit norm (the method renormalises them each step)
  q_v      = sinkhorn(scores_v.detach())     Q = exp(s / eps)^T, Q /= sum(Q), then `iterations` times:
                                             rows /= row sums, /= K; columns /= column sums, /= B; finally Q *= B
  loss     = 1/2 [ -mean_n sum_k q_1 log softmax(scores_2 / T) - mean_n sum_k q_2 log softmax(scores_1 / T) ]

Multi-crop ("swav_multicrop"): views 0 and 1 are the global views whose codes are computed
(crops_for_assign 0 1); every other view v predicts each global view's codes,
  loss = 1/2 sum_i [ sum_{v != i} -mean_n sum_k q_i log softmax(scores_v / T) ] / (views - 1).

Queue ("swav_queue"): the codes of global view i are computed over [queue_i @ C^T ; scores_i] and only the
batch's last B rows are kept (sinkhorn(...)[-bs:]); the queue holds past normalised embeddings, no gradient.
"swav_queue_sequence" runs the official state machine over several steps: the queue starts as zeros, is used
once its last row is non-zero (full) and is filled after use with the step's normalised global embeddings
(queue[i, bs:] = queue[i, :-bs]; queue[i, :bs] = embedding_i); per step the loss and the codes.

PyTorch 1.13 (Debian's python3-torch), float64 maths on inputs rounded to float32, so the C# side can feed
bit-identical float32 inputs. Every tensor is a flat row-major list. Per case: the loss, the global views'
codes and the gradients with respect to every view's embedding and the prototypes C.

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


def swav_views(globals_, locals_, c, temperature, epsilon, iterations, queues=None):
    """main_swav.py's loop for crops_for_assign = [0, 1]: the globals first, then the local views."""
    bs = globals_[0].shape[0]
    crops = list(globals_) + list(locals_)
    out = [F.normalize(z, dim=1) @ c.t() for z in crops]
    loss, codes = 0, []
    for i in range(2):
        with torch.no_grad():
            o = out[i].detach()
            if queues is not None:
                o = torch.cat((queues[i] @ c.t(), o))
            q = sinkhorn(o, epsilon, iterations)[-bs:]
        codes.append(q)
        subloss = 0
        for v in range(len(crops)):
            if v != i:
                subloss -= torch.mean(torch.sum(q * F.log_softmax(out[v] / temperature, dim=1), dim=1))
        loss += subloss / (len(crops) - 1)
    return loss / 2, codes


def unit_rows(gen, *shape):
    return F.normalize(rand(gen, *shape), dim=1).to(torch.float32).to(torch.float64)


def multicrop_cases(gen):
    cases = []
    for n, d, k, locals_, temperature, epsilon, iterations in [(8, 16, 10, 2, 0.1, 0.05, 3), (6, 12, 7, 4, 0.1, 0.05, 3)]:
        zs = [rand(gen, n, d).requires_grad_() for _ in range(2 + locals_)]
        c = unit_rows(gen, k, d).requires_grad_()
        loss, codes = swav_views(zs[:2], zs[2:], c, temperature, epsilon, iterations)
        grads = torch.autograd.grad(loss, zs + [c])
        cases.append({"n": n, "d": d, "k": k, "locals": locals_, "temperature": temperature, "epsilon": epsilon,
                      "iterations": iterations, "views": [flat(z) for z in zs], "prototypes": flat(c), "loss": loss.item(),
                      "codes": [flat(q) for q in codes], "grad_views": [flat(g) for g in grads[:-1]], "grad_prototypes": flat(grads[-1])})
    return cases


def queue_cases(gen):
    cases = []
    for n, d, k, length, locals_ in [(4, 8, 6, 12, 0), (4, 8, 6, 8, 2)]:
        zs = [rand(gen, n, d).requires_grad_() for _ in range(2 + locals_)]
        c = unit_rows(gen, k, d).requires_grad_()
        queues = [unit_rows(gen, length, d) for _ in range(2)]
        loss, codes = swav_views(zs[:2], zs[2:], c, 0.1, 0.05, 3, queues)
        grads = torch.autograd.grad(loss, zs + [c])
        cases.append({"n": n, "d": d, "k": k, "length": length, "locals": locals_, "views": [flat(z) for z in zs],
                      "prototypes": flat(c), "queues": [flat(q) for q in queues], "loss": loss.item(),
                      "codes": [flat(q) for q in codes], "grad_views": [flat(g) for g in grads[:-1]], "grad_prototypes": flat(grads[-1])})
    return cases


def queue_sequence(gen):
    """The official state machine: a zero queue of 2 batches, used once full, filled after use."""
    n, d, k, length, steps = 4, 8, 6, 8, 4
    c = unit_rows(gen, k, d)
    queue = torch.zeros(2, length, d)
    use_the_queue = False
    rows = []
    for _ in range(steps):
        z = [rand(gen, n, d) for _ in range(2)]
        embedding = [F.normalize(v, dim=1) for v in z]
        used = []
        out_queues = []
        for i in range(2):
            if use_the_queue or not torch.all(queue[i, -1, :] == 0):
                use_the_queue = True
            used.append(use_the_queue)
            out_queues.append(queue[i].clone() if use_the_queue else None)
            queue[i, n:] = queue[i, :-n].clone()
            queue[i, :n] = embedding[i]
        loss, codes = swav_views(z, [], c, 0.1, 0.05, 3, out_queues if use_the_queue else None)
        rows.append({"views": [flat(v) for v in z], "queue_used": used[0], "loss": loss.item(), "codes": [flat(q) for q in codes]})
    return {"n": n, "d": d, "k": k, "length": length, "prototypes": flat(c), "steps": rows}


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
    # Appended after the two-view cases, from the same generator, so those stay as they were.
    out = {"torch": torch.__version__, "swav": cases, "swav_multicrop": multicrop_cases(gen), "swav_queue": queue_cases(gen),
           "swav_queue_sequence": queue_sequence(gen)}
    path = os.path.join("tests", "fixtures", "swav.json")
    with open(path, "w") as f:
        json.dump(out, f, separators=(",", ":"))
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
