"""Compressed variants of an aml-txn version (run after train.py, on the same data and weights).

    nice -n 10 /usr/bin/python3 models/aml-txn/compress.py [VERSION]
    npm run models:variants -- aml-txn VERSION        # size, rows/s and held-out metrics, recorded in the card

- teacher:   a wider, deeper MLP (37-256-256-1) trained like the served model (same filtered rows,
             same per-example weights); not meant to be served, it is the distillation source.
- distilled: the served architecture (37-64-32-1) trained on the teacher's soft targets at
             temperature T plus the hard labels.
- small:     a 37-16-1 student distilled the same way.
- pruned:    structured pruning of the served model: the half of each hidden layer's units with the
             smallest L1 norm removed (37-32-16-1), then a short fine-tune.
Every variant has the served model's inputs and outputs, so it can replace model.onnx as is. Each
entry records its own best-F1 validation threshold and held-out metrics there, because the table
of `models:variants` scores every variant at the served model's threshold.
"""
from __future__ import annotations

import json
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "_toolchain"))
sys.path.insert(0, HERE)

import cardkit  # noqa: E402
import datakit  # noqa: E402
import data  # noqa: E402
from features import FEATURES  # noqa: E402
from mlp import AmlMlp, best_f1_threshold, export, fit, from_onnx, per_typology, predict, prune_units  # noqa: E402
from train import VERSION, MIN_QUALITY, MAX_POS_WEIGHT, EPOCHS  # noqa: E402

TEACHER_HIDDEN = (256, 256)
SMALL_HIDDEN = (16,)
TEMPERATURE, ALPHA_SOFT = 4.0, 0.7
PRUNE_KEEP = 0.5
FINE_TUNE_EPOCHS, FINE_TUNE_LR = 8, 5e-4


def main() -> None:
    version = sys.argv[1] if len(sys.argv) > 1 else VERSION
    folder = os.path.join(HERE, version)
    card = json.load(open(os.path.join(folder, "card.json")))
    torch.set_num_threads(1)
    d = data.load()
    X, y, typ = d["X"], d["y"], d["typology"]
    va, ho = d["va"], d["ho"]
    tr_idx = np.nonzero(d["tr"])[0]
    keep = tr_idx[data.filter_train(d, d["tr"], min_quality=MIN_QUALITY).keep]
    weights = {s["slice"]: s["weight"] for s in card["training"]["reweighting"]["slices"]}
    yk = y[keep]
    w_pos = min(float((1 - yk).sum() / max(1.0, yk.sum())), MAX_POS_WEIGHT)
    ex_w = datakit.example_weights([str(t) for t in typ[keep]], weights) * (1.0 + (w_pos - 1.0) * yk)
    std_block = card["preprocessing"]["standardisation"]
    mean, std = np.asarray(std_block["mean"], np.float32), np.asarray(std_block["std"], np.float32)
    served_thr = float(card["evaluation"]["threshold"])
    typologies = card["metrics"]["typologies"]

    def describe(model: AmlMlp, name: str, method: str):
        export(model, os.path.join(folder, f"model.{name}.onnx"), len(FEATURES))
        thr = best_f1_threshold(y[va], predict(model, X[va]))
        ph = predict(model, X[ho])
        rec, _ = per_typology(ph, typ[ho], typologies, thr)
        entry = {"name": name, "file": f"model.{name}.onnx", "method": method,
                 "parameters": model.parameters_count(), "architecture": model.architecture(),
                 "ownThreshold": thr, "heldoutAtOwnThreshold": cardkit.binary_metrics(y[ho], ph, thr),
                 "heldoutAtServedThreshold": cardkit.binary_metrics(y[ho], ph, served_thr),
                 "perTypologyRecallAtOwnThreshold": {t: rec[t]["recall"] for t in typologies}}
        print(name, json.dumps(entry), flush=True)
        return entry

    variants = []
    torch.manual_seed(data.SEED)
    teacher, _ = fit(AmlMlp(mean, std, TEACHER_HIDDEN), X[keep], yk, ex_w, X[va], y[va], epochs=EPOCHS,
                     lr=1e-3, seed=data.SEED, log="teacher")
    variants.append(describe(teacher, "teacher", f"larger MLP trained like the served model (same rows and "
                                                 f"weights), the distillation source; not served"))
    with torch.no_grad():
        t_logits = teacher.logits(torch.tensor(X[keep])).numpy()
    for name, hidden in (("distilled", (64, 32)), ("small", SMALL_HIDDEN)):
        torch.manual_seed(data.SEED)
        student, _ = fit(AmlMlp(mean, std, hidden), X[keep], yk, ex_w, X[va], y[va], epochs=EPOCHS,
                         seed=data.SEED, teacher_logits=t_logits, temperature=TEMPERATURE, alpha=ALPHA_SOFT,
                         log=name)
        variants.append(describe(student, name, (
            f"knowledge distillation from the {teacher.architecture()} teacher: {ALPHA_SOFT} x T^2 x BCE on "
            f"soft targets at T={TEMPERATURE:g} + {1 - ALPHA_SOFT:.1f} x weighted BCE on hard labels")))

    served = from_onnx(os.path.join(folder, "model.onnx"))
    pruned = prune_units(served, PRUNE_KEEP)
    torch.manual_seed(data.SEED)
    pruned, _ = fit(pruned, X[keep], yk, ex_w, X[va], y[va], epochs=FINE_TUNE_EPOCHS, lr=FINE_TUNE_LR,
                    seed=data.SEED, log="pruned")
    variants.append(describe(pruned, "pruned", (
        f"structured pruning of the served {served.architecture()}: the {int(100 * (1 - PRUNE_KEEP))}% of "
        f"each hidden layer's units with the smallest L1 norm removed, {FINE_TUNE_EPOCHS} epochs of "
        f"fine-tuning at lr {FINE_TUNE_LR:g}")))

    card["variants"] = variants
    card["training"]["compression"] = {
        "command": f"nice -n 10 /usr/bin/python3 models/aml-txn/compress.py {version}",
        "servedParameters": served.parameters_count(),
        "note": "variants share the served model's inputs/outputs; measured by `npm run models:variants`",
    }
    files = ["model.onnx", "data-filter.json"] + [v["file"] for v in variants]
    card["files"] = {k: v for k, v in card["files"].items() if k in files or k == card["heldout"]["path"]}
    cardkit.write_card(folder, card, files=files)


if __name__ == "__main__":
    main()
