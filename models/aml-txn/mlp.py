"""The aml-txn network and its training loop, shared by train.py (the served model) and
compress.py (teacher, distilled and pruned variants).

The standardisation is a pair of buffers inside the graph, so serving feeds raw features; the
ONNX initializers are named mean, std, net.<i>.weight, net.<i>.bias.
"""
from __future__ import annotations

import os
import sys
from typing import Dict, Optional, Sequence, Tuple

import numpy as np
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "_toolchain"))

import cardkit  # noqa: E402


class AmlMlp(nn.Module):
    def __init__(self, mean: np.ndarray, std: np.ndarray, hidden: Sequence[int] = (64, 32)):
        super().__init__()
        self.register_buffer("mean", torch.tensor(np.asarray(mean), dtype=torch.float32))
        self.register_buffer("std", torch.tensor(np.asarray(std), dtype=torch.float32))
        self.hidden = tuple(int(h) for h in hidden)
        layers, d = [], len(mean)
        for h in self.hidden:
            layers += [nn.Linear(d, h), nn.ReLU()]
            d = h
        layers.append(nn.Linear(d, 1))
        self.net = nn.Sequential(*layers)

    def logits(self, features):
        return self.net((features - self.mean) / self.std).squeeze(-1)

    def forward(self, features):
        return torch.sigmoid(self.net((features - self.mean) / self.std))

    def parameters_count(self) -> int:
        return int(sum(p.numel() for p in self.net.parameters()))

    def architecture(self) -> str:
        return "MLP " + "-".join(str(v) for v in (len(self.mean), *self.hidden, 1))


def from_onnx(path: str) -> AmlMlp:
    """The production model back in torch, from its ONNX initializers (no onnxruntime in Python)."""
    import onnx
    from onnx import numpy_helper

    init = {i.name: numpy_helper.to_array(i) for i in onnx.load(path).graph.initializer}
    weights = sorted((k for k in init if k.startswith("net.") and k.endswith(".weight")), key=lambda k: int(k.split(".")[1]))
    hidden = [init[k].shape[0] for k in weights[:-1]]
    m = AmlMlp(init["mean"], init["std"], hidden)
    m.load_state_dict({k: torch.tensor(np.array(v)) for k, v in init.items()})
    m.eval()
    return m


def predict(model: AmlMlp, X: np.ndarray) -> np.ndarray:
    model.eval()
    with torch.no_grad():
        return model(torch.tensor(X)).squeeze(1).numpy()


def fit(model: AmlMlp, X: np.ndarray, y: np.ndarray, weights: np.ndarray, Xv: np.ndarray, yv: np.ndarray, *,
        epochs: int = 40, lr: float = 2e-3, batch: int = 256, seed: int = 7,
        teacher_logits: Optional[np.ndarray] = None, temperature: float = 4.0, alpha: float = 0.7,
        log: str = "") -> Tuple[AmlMlp, float]:
    """Adam on per-example-weighted BCE, keeping the epoch with the best validation PR-AUC.

    weights: one per example (slice weight x positive weight), multiplied into the loss.
    teacher_logits: when given, distillation: alpha x T^2 x BCE(sigmoid(s/T), sigmoid(t/T)) (soft
    targets) + (1 - alpha) x the weighted BCE on the hard labels."""
    opt = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=1e-5)
    Xt, yt, wt = torch.tensor(X), torch.tensor(y, dtype=torch.float32), torch.tensor(weights, dtype=torch.float32)
    tl = torch.tensor(teacher_logits, dtype=torch.float32) if teacher_logits is not None else None
    best: Tuple[float, Optional[Dict[str, torch.Tensor]]] = (-1.0, None)
    g = torch.Generator().manual_seed(seed)
    for epoch in range(epochs):
        model.train()
        perm = torch.randperm(len(yt), generator=g)
        for i in range(0, len(perm), batch):
            idx = perm[i:i + batch]
            z = model.logits(Xt[idx])
            hard = nn.functional.binary_cross_entropy_with_logits(z, yt[idx], weight=wt[idx])
            if tl is None:
                loss = hard
            else:
                soft_t = torch.sigmoid(tl[idx] / temperature)
                soft = nn.functional.binary_cross_entropy_with_logits(z / temperature, soft_t, weight=wt[idx])
                loss = alpha * temperature ** 2 * soft + (1 - alpha) * hard
            opt.zero_grad(); loss.backward(); opt.step()
        ap = cardkit.binary_metrics(yv, predict(model, Xv))["prAuc"]
        if ap > best[0]:
            best = (ap, {k: v.clone() for k, v in model.state_dict().items()})
        if log:
            print(f"{log} epoch {epoch} loss {loss.item():.4f} val prAuc {ap:.4f}", flush=True)
    model.load_state_dict(best[1])
    model.eval()
    return model, best[0]


def best_f1_threshold(y: np.ndarray, p: np.ndarray) -> float:
    cands = np.linspace(0.05, 0.95, 91)
    f1s = [cardkit.binary_metrics(y, p, float(c))["f1"] for c in cands]
    return float(round(cands[int(np.argmax(f1s))], 2))


def prune_units(model: AmlMlp, keep_fraction: float) -> AmlMlp:
    """Structured pruning: in every hidden layer keep the units with the largest L1 norm of their
    incoming weights (and bias), drop the rest together with their outgoing weights. The result is
    a genuinely smaller dense MLP, not a masked one."""
    linears = [m for m in model.net if isinstance(m, nn.Linear)]
    keep_idx = []
    for lin in linears[:-1]:
        score = lin.weight.detach().abs().sum(1) + lin.bias.detach().abs()
        k = max(1, int(round(lin.out_features * keep_fraction)))
        keep_idx.append(torch.sort(torch.topk(score, k).indices).values)
    small = AmlMlp(model.mean.numpy(), model.std.numpy(), [len(k) for k in keep_idx])
    new_linears = [m for m in small.net if isinstance(m, nn.Linear)]
    prev = torch.arange(linears[0].in_features)
    with torch.no_grad():
        for li, (old, new) in enumerate(zip(linears, new_linears)):
            rows = keep_idx[li] if li < len(keep_idx) else torch.arange(old.out_features)
            new.weight.copy_(old.weight[rows][:, prev])
            new.bias.copy_(old.bias[rows])
            prev = rows
    return small


def export(model: AmlMlp, path: str, n_features: int) -> None:
    cardkit.export_onnx(model, [torch.zeros(2, n_features)], path, ["features"], ["prob"],
                        {"features": {0: "batch"}, "prob": {0: "batch"}})


def per_typology(p: np.ndarray, typ: np.ndarray, typologies: Sequence[str], thr: float):
    """Recall per laundering typology and false-positive rate per legitimate look-alike."""
    recall, fpr = {}, {}
    for t in typologies:
        sel = typ == t
        recall[t] = {"recall": float((p[sel] >= thr).mean()) if sel.any() else None, "n": int(sel.sum())}
    for t in sorted(set(x for x in typ if str(x).startswith("legit:"))):
        sel = typ == t
        fpr[t] = {"falsePositiveRate": float((p[sel] >= thr).mean()), "n": int(sel.sum())}
    return recall, fpr
