#!/usr/bin/python3
"""PyTorch-written state dicts for the interop tests (tests/fixtures/interop/).

The models are torchvision's own ResNet code (torchvision.models.resnet: ResNet, BasicBlock,
Bottleneck, forward and all) built with every channel count divided by a factor, so the key names are
exactly torchvision's and the official VICReg checkpoint's, while the files stay small enough to commit.
The division is done by handing torchvision's resnet module a Conv2d / BatchNorm2d / Linear that divide
their channel arguments; nothing else changes.

Files:
  resnet18_w4.pt            torchvision resnet18 / 16 (stem width 4), state dict as torchvision saves it
                            (fc included, 10 classes), BN statistics made non-trivial.
  resnet50_w2.pth           torchvision resnet50 / 32 (stem width 2) without fc: the layout of the official
                            VICReg backbone file (resnet50.pth, keys conv1.weight ... layer4.2.bn3.*).
  resnet50_w2_fullckpt.pth  the same backbone inside the official full-checkpoint layout of main_vicreg.py:
                            {"epoch", "model": DDP state dict with module.backbone.* and module.projector.*,
                            "optimizer": the LARS state dict, whose param groups hold the filter functions}.
  expected_features.pt      a fixed input per model and PyTorch's eval-mode features for it:
                            resnet18.input / resnet18.features / resnet50.input / resnet50.features.

Rerun from the repository root: /usr/bin/python3 bench/reference/make_interop_fixtures.py
"""

import os
import sys

import torch
import torch.nn as tnn
import torchvision
import torchvision.models.resnet as tv_resnet

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "fixtures", "interop")


class _Narrow:
    """Stands in for torch.nn inside torchvision.models.resnet, dividing channel counts by `factor`."""

    def __init__(self, factor):
        f = factor

        def sc(c):
            return c if c == 3 else c // f

        class Conv2d(tnn.Conv2d):
            def __init__(self, cin, cout, *args, **kwargs):
                super().__init__(sc(cin), sc(cout), *args, **kwargs)

        class BatchNorm2d(tnn.BatchNorm2d):
            def __init__(self, c, *args, **kwargs):
                super().__init__(sc(c), *args, **kwargs)

        class Linear(tnn.Linear):
            def __init__(self, cin, cout, *args, **kwargs):
                super().__init__(sc(cin), cout, *args, **kwargs)

        self.Conv2d, self.BatchNorm2d, self.Linear = Conv2d, BatchNorm2d, Linear

    def __getattr__(self, name):
        return getattr(tnn, name)


def narrow_resnet(builder, factor, **kwargs):
    saved = tv_resnet.nn
    tv_resnet.nn = _Narrow(factor)
    try:
        return builder(weights=None, **kwargs)
    finally:
        tv_resnet.nn = saved


def make_statistics_nontrivial(model, size, gen):
    """Random BN affine parameters and running statistics from a few training-mode passes, so that the
    eval-mode features depend on every tensor in the state dict."""
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, tnn.BatchNorm2d):
                m.weight.copy_(torch.rand(m.weight.shape, generator=gen) * 0.5 + 0.75)
                m.bias.copy_(torch.randn(m.bias.shape, generator=gen) * 0.1)
                m.momentum = 0.5
        model.train()
        for _ in range(3):
            model(torch.randn(8, 3, size, size, generator=gen))
    model.eval()


def exclude_bias_and_norm(p):
    return p.ndim == 1


class LARS(torch.optim.Optimizer):
    """Only here to give the full checkpoint the official optimizer-state layout (param groups holding the
    two filter functions, a 'mu' buffer per parameter)."""

    def __init__(self, params, lr=0.0, weight_decay=0, momentum=0.9, eta=0.001,
                 weight_decay_filter=None, lars_adaptation_filter=None):
        super().__init__(params, dict(lr=lr, weight_decay=weight_decay, momentum=momentum, eta=eta,
                                      weight_decay_filter=weight_decay_filter,
                                      lars_adaptation_filter=lars_adaptation_filter))

    @torch.no_grad()
    def step(self):
        for g in self.param_groups:
            for p in g["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                if "mu" not in state:
                    state["mu"] = torch.zeros_like(p)
                state["mu"].mul_(g["momentum"]).add_(p.grad)
                p.add_(state["mu"], alpha=-g["lr"])


class VICRegLike(tnn.Module):
    def __init__(self, backbone, dim):
        super().__init__()
        self.backbone = backbone
        self.projector = tnn.Sequential(tnn.Linear(dim, 16), tnn.BatchNorm1d(16), tnn.ReLU(True),
                                        tnn.Linear(16, 16, bias=False))


class DDPLike(tnn.Module):
    def __init__(self, module):
        super().__init__()
        self.module = module


def main():
    torch.set_num_threads(2)
    os.makedirs(OUT, exist_ok=True)
    gen = torch.Generator().manual_seed(1234)
    torch.manual_seed(1234)
    expected = {}

    r18 = narrow_resnet(torchvision.models.resnet18, 16, num_classes=10)
    make_statistics_nontrivial(r18, 64, gen)
    torch.save(r18.state_dict(), os.path.join(OUT, "resnet18_w4.pt"))
    x = torch.randn(2, 3, 64, 64, generator=gen)
    r18.fc = tnn.Identity()
    with torch.no_grad():
        expected["resnet18.input"] = x
        expected["resnet18.features"] = r18(x)

    r50 = narrow_resnet(torchvision.models.resnet50, 32)
    make_statistics_nontrivial(r50, 64, gen)
    r50.fc = tnn.Identity()  # the official backbone has no classifier
    backbone_sd = r50.state_dict()
    torch.save(backbone_sd, os.path.join(OUT, "resnet50_w2.pth"))
    x = torch.randn(2, 3, 64, 64, generator=gen)
    with torch.no_grad():
        expected["resnet50.input"] = x
        expected["resnet50.features"] = r50(x)

    # The official full checkpoint: torch.save(dict(epoch=..., model=model.state_dict(),
    # optimizer=optimizer.state_dict())) with model wrapped in DistributedDataParallel.
    wrapped = DDPLike(VICRegLike(r50, 64))
    wrapped.train()
    opt = LARS(wrapped.parameters(), lr=0.0, weight_decay=1e-6,
               weight_decay_filter=exclude_bias_and_norm, lars_adaptation_filter=exclude_bias_and_norm)
    bn_state = {k: v.clone() for k, v in wrapped.module.backbone.state_dict().items()}
    loss = wrapped.module.projector(wrapped.module.backbone(torch.randn(4, 3, 64, 64, generator=gen))).pow(2).mean()
    loss.backward()
    opt.step()  # lr 0: weights unchanged, but the optimizer state exists as in a real checkpoint
    wrapped.module.backbone.load_state_dict(bn_state)  # undo the running-stat update of that pass
    torch.save(dict(epoch=3, model=wrapped.state_dict(), optimizer=opt.state_dict()),
               os.path.join(OUT, "resnet50_w2_fullckpt.pth"))

    torch.save(expected, os.path.join(OUT, "expected_features.pt"))
    for name in sorted(os.listdir(OUT)):
        print(f"{name}: {os.path.getsize(os.path.join(OUT, name))} bytes")
    print(f"torch {torch.__version__}, torchvision {torchvision.__version__}, python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
