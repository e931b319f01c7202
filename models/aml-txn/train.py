"""Train the aml-txn model: P(laundering) of one transaction from its account-history features.

Command (from the repo root, Debian's interpreter, ~1 minute of one CPU):
    nice -n 10 /usr/bin/python3 models/aml-txn/train.py
    npm run models:quantize -- aml-txn     # the int8 variant and its measured loss, recorded in the card
    node scripts/run-ts.cjs apps/aml/src/cli/backtest-starter-rules.ts   # rules on the same split

Steps: generate the synthetic AMLworld-style set (generate.py, seeded), compute the features in
processing order (features.py, the reference the TypeScript in libs/aml must match), split by
time (train: days 0-19, validation: days 19-23 for early stopping and the threshold, held-out:
days 23-28, never seen in training), train a small MLP with the standardisation baked into the
graph (so serving feeds raw features), export ONNX opset 17, write heldout.json and card.json,
and the TS parity fixture under libs/aml/src/__fixtures__/.
"""
from __future__ import annotations

import csv
import json
import os
import sys

import numpy as np
import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(REPO, "models", "_toolchain"))
sys.path.insert(0, HERE)

import cardkit  # noqa: E402
from generate import generate, write_csv, TYPOLOGIES, USD_RATES, FORMATS, START  # noqa: E402
from features import FEATURES, compute_features, txn_from_row, BELOW_LO, BELOW_HI, \
    CYCLE_MAX_HOPS, CYCLE_MAX_ORIGINS, MAX_GAP_MIN  # noqa: E402

SEED = 7
DAYS = 28
INDIVIDUALS = 4000
TRAIN_END_DAY, VAL_END_DAY = 19, 23
VERSION = "1.2.0"


class AmlMlp(nn.Module):
    def __init__(self, mean: np.ndarray, std: np.ndarray):
        super().__init__()
        self.register_buffer("mean", torch.tensor(mean, dtype=torch.float32))
        self.register_buffer("std", torch.tensor(std, dtype=torch.float32))
        d = len(mean)
        self.net = nn.Sequential(nn.Linear(d, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 1))

    def forward(self, features):
        return torch.sigmoid(self.net((features - self.mean) / self.std))


def write_fixture() -> None:
    """A small world (different seed) and its features, for the TypeScript parity test."""
    rows, typs = generate(seed=11, days=6, individuals=90, per_typology=2)
    feats = compute_features(rows)
    fx = os.path.join(REPO, "libs", "aml", "src", "__fixtures__")
    os.makedirs(fx, exist_ok=True)
    write_csv(os.path.join(fx, "amlworld-small.csv"), rows, typs)
    os.rename(os.path.join(fx, "amlworld-small.csv.typology"), os.path.join(fx, "amlworld-small.typology.txt"))
    with open(os.path.join(fx, "amlworld-small.features.json"), "w") as f:
        json.dump({"features": FEATURES, "rows": [[float(repr_round(v)) for v in r] for r in feats]}, f)
    print(f"fixture: {len(rows)} rows")


def repr_round(v: float) -> float:
    return float("%.12g" % v)


def main() -> None:
    torch.manual_seed(SEED)
    np.random.seed(SEED)
    torch.set_num_threads(1)
    rows, typs = generate(SEED, DAYS, INDIVIDUALS)
    cache = os.path.join(REPO, ".cache", "aml-txn")
    os.makedirs(cache, exist_ok=True)
    write_csv(os.path.join(cache, "train.csv"), rows, typs)
    X = np.asarray(compute_features(rows), dtype=np.float32)
    y = np.asarray([int(r[10]) for r in rows], dtype=np.float32)
    ts = np.asarray([txn_from_row(r).ts for r in rows], dtype=np.int64)
    day = (ts - int(START.timestamp())) // 86400
    tr, va, ho = day < TRAIN_END_DAY, (day >= TRAIN_END_DAY) & (day < VAL_END_DAY), day >= VAL_END_DAY
    print(f"rows {len(y)}  positives {int(y.sum())}  train {tr.sum()} val {va.sum()} heldout {ho.sum()}")

    mean = X[tr].mean(0)
    std = X[tr].std(0)
    std[std < 1e-6] = 1.0
    model = AmlMlp(mean, std)
    opt = torch.optim.Adam(model.parameters(), lr=2e-3, weight_decay=1e-5)
    Xt, yt = torch.tensor(X[tr]), torch.tensor(y[tr])
    Xv = torch.tensor(X[va])
    pos_w = float((1 - y[tr]).sum() / max(1.0, y[tr].sum()))
    w_pos = min(pos_w, 10.0)
    best = (-1.0, None)
    g = torch.Generator().manual_seed(SEED)
    for epoch in range(40):
        model.train()
        perm = torch.randperm(len(yt), generator=g)
        for i in range(0, len(perm), 256):
            idx = perm[i:i + 256]
            p = model(Xt[idx]).squeeze(1).clamp(1e-6, 1 - 1e-6)
            wts = 1.0 + (w_pos - 1.0) * yt[idx]
            loss = nn.functional.binary_cross_entropy(p, yt[idx], weight=wts)
            opt.zero_grad(); loss.backward(); opt.step()
        model.eval()
        with torch.no_grad():
            pv = model(Xv).squeeze(1).numpy()
        ap = cardkit.binary_metrics(y[va], pv)["prAuc"]
        if ap > best[0]:
            best = (ap, {k: v.clone() for k, v in model.state_dict().items()})
        print(f"epoch {epoch} loss {loss.item():.4f} val prAuc {ap:.4f}")
    model.load_state_dict(best[1])
    model.eval()
    with torch.no_grad():
        pv = model(Xv).squeeze(1).numpy()
        ph = model(torch.tensor(X[ho])).squeeze(1).numpy()
    # threshold: best F1 on validation (not on held-out)
    cands = np.linspace(0.05, 0.95, 91)
    f1s = [cardkit.binary_metrics(y[va], pv, float(c))["f1"] for c in cands]
    thr = float(round(cands[int(np.argmax(f1s))], 2))
    m_val = cardkit.binary_metrics(y[va], pv, thr)
    m_ho = cardkit.binary_metrics(y[ho], ph, thr)
    print("threshold", thr, "val", m_val, "\nheldout", m_ho)

    typ_ho = np.asarray(typs, dtype=object)[ho]
    per_typ = {}
    for t in TYPOLOGIES:
        sel = typ_ho == t
        per_typ[t] = {"recall": float((ph[sel] >= thr).mean()) if sel.any() else None, "n": int(sel.sum())}
    lookalikes = {}
    for t in sorted(set(x for x in typ_ho if x.startswith("legit:"))):
        sel = typ_ho == t
        lookalikes[t] = {"falsePositiveRate": float((ph[sel] >= thr).mean()), "n": int(sel.sum())}
    print(json.dumps(per_typ), json.dumps(lookalikes))

    onnx_path = os.path.join(HERE, "model.onnx")
    cardkit.export_onnx(model, [torch.zeros(2, len(FEATURES))], onnx_path, ["features"], ["prob"],
                        {"features": {0: "batch"}, "prob": {0: "batch"}})
    typ_index = np.asarray([TYPOLOGIES.index(t) if t in TYPOLOGIES else -1 for t in typ_ho], dtype=np.int32)
    cardkit.write_heldout(HERE, {"features": X[ho]}, y[ho].astype(np.int32), extra={"typology": typ_index})

    card = {
        "name": "aml-txn",
        "version": VERSION,
        "task": "binary-classification",
        "description": "P(laundering) of one transaction, from features of the paying and receiving "
                       "accounts' recent history (velocity, amounts, fan-in/out, novelty, pass-through, "
                       "cycles). Model track of the AML service's dual-track decision; analysts see "
                       "its score beside the rules.",
        "inputs": [{"name": "features", "dtype": "float32", "shape": [-1, len(FEATURES)]}],
        "outputs": [{"name": "prob", "dtype": "float32", "shape": [-1, 1]}],
        "labels": ["laundering"],
        "preprocessing": {
            "features": FEATURES,
            "standardisation": {"appliedInModel": True, "mean": [float(v) for v in mean],
                                "std": [float(v) for v in std]},
            "usdRates": USD_RATES,
            "paymentFormats": FORMATS,
            "windowsSeconds": {"1h": 3600, "24h": 86400, "7d": 604800},
            "belowThreshold": [BELOW_LO, BELOW_HI],
            "roundAmount": "Amount Paid >= 100 and a whole multiple of 100",
            "maxGapMinutes": MAX_GAP_MIN,
            "cycle": {"maxHops": CYCLE_MAX_HOPS, "maxOriginsPerAccount": CYCLE_MAX_ORIGINS, "window": "7d"},
            "reference": "models/aml-txn/features.py (docstring defines each feature); TS: libs/aml",
        },
        "heldout": {"path": "heldout.json", "rows": int(ho.sum()),
                    "description": f"the last {DAYS - VAL_END_DAY} days of the generated timeline "
                                   f"(days {VAL_END_DAY}-{DAYS}), never used in training or threshold "
                                   "choice; extra.typology = index into metrics.typologies (-1 legit)"},
        "evaluation": {"kind": "binary", "output": "prob", "threshold": thr, "positiveColumn": 0,
                       "tolerance": 0.01},
        "metrics": {
            "heldout": m_ho,
            "validation": m_val,
            "typologies": TYPOLOGIES,
            "perTypologyRecall": per_typ,
            "lookalikeFalsePositiveRate": lookalikes,
        },
        "reference": {
            "inputs": cardkit.reference_block({n: X[tr][:, i] for i, n in enumerate(FEATURES)}),
            "outputs": {"prob": cardkit.reference_histogram(ph)},
        },
        "training": {
            "data": f"synthetic AMLworld-style set from models/aml-txn/generate.py (seed {SEED}, "
                    f"{DAYS} days, {INDIVIDUALS} individuals + businesses, mules); {len(y)} transactions, "
                    f"{int(y.sum())} laundering",
            "command": "nice -n 10 /usr/bin/python3 models/aml-txn/train.py",
            "seed": SEED,
            "rows": int(tr.sum()),
            "validationRows": int(va.sum()),
            "split": f"time: train days 0-{TRAIN_END_DAY}, validation {TRAIN_END_DAY}-{VAL_END_DAY}, "
                     f"held-out {VAL_END_DAY}-{DAYS}",
            "architecture": f"MLP {len(FEATURES)}-64-32-1, ReLU, sigmoid; standardisation in graph",
            "optimizer": "Adam lr 2e-3, batch 256, 40 epochs, best validation PR-AUC kept, "
                         f"positive weight {w_pos:.1f}",
        },
    }
    cardkit.write_card(HERE, card)
    write_fixture()


if __name__ == "__main__":
    main()
