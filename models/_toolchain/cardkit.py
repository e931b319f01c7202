"""Shared helpers for training scripts: ONNX export, held-out sets, reference histograms, model cards.

Run training with Debian's interpreter (/usr/bin/python3, python3-torch + python3-onnx).
Everything written here is read back by libs/inference (TypeScript); the formats are described
in models/README.md and must stay in step with libs/inference/src/registry/card.ts.
"""
from __future__ import annotations

import base64
import hashlib
import json
import os
from typing import Any, Dict, Iterable, List, Optional, Sequence

import numpy as np

DTYPES = {
    np.dtype("float32"): "float32",
    np.dtype("int64"): "int64",
    np.dtype("int32"): "int32",
    np.dtype("uint8"): "uint8",
    np.dtype("bool"): "bool",
}


def sha256_file(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def tensor_json(arr: np.ndarray) -> Dict[str, Any]:
    """A tensor as {dtype, dims, b64} (little-endian raw bytes, base64)."""
    arr = np.ascontiguousarray(arr)
    if arr.dtype not in DTYPES:
        raise ValueError(f"unsupported dtype {arr.dtype}")
    return {
        "dtype": DTYPES[arr.dtype],
        "dims": list(arr.shape),
        "b64": base64.b64encode(arr.astype(arr.dtype.newbyteorder("<")).tobytes()).decode("ascii"),
    }


def write_heldout(folder: str, inputs: Dict[str, np.ndarray], labels: np.ndarray,
                  extra: Optional[Dict[str, np.ndarray]] = None, name: str = "heldout.json",
                  groups: Optional[Dict[str, Sequence[str]]] = None) -> str:
    """Write the held-out set that `npm run models:check` re-scores without Python.

    groups: {dimension: one group name per row} (e.g. customer country, note kind, nodule type);
    the bias report (`npm run models:bias`) computes the metrics per group from them."""
    doc = {
        "inputs": {k: tensor_json(v) for k, v in inputs.items()},
        "labels": tensor_json(labels),
        "extra": {k: tensor_json(v) for k, v in (extra or {}).items()},
    }
    if groups:
        rows = int(labels.shape[0])
        for dim, values in groups.items():
            if len(values) != rows:
                raise ValueError(f"groups[{dim}] has {len(values)} entries for {rows} rows")
        doc["groups"] = {dim: [str(v) for v in values] for dim, values in groups.items()}
    path = os.path.join(folder, name)
    with open(path, "w") as f:
        json.dump(doc, f)
    return name


def reference_histogram(values: np.ndarray, bins: int = 10) -> Dict[str, Any]:
    """Quantile-binned reference distribution for PSI drift monitoring.

    edges are the inner cut points (len = bins-1); fractions has one entry per bin."""
    values = np.asarray(values, dtype=np.float64).ravel()
    values = values[np.isfinite(values)]
    qs = np.quantile(values, np.linspace(0, 1, bins + 1)[1:-1]) if values.size else np.zeros(bins - 1)
    edges = np.unique(qs)
    idx = np.searchsorted(edges, values, side="right")
    counts = np.bincount(idx, minlength=len(edges) + 1).astype(np.float64)
    fractions = counts / max(1.0, counts.sum())
    return {"edges": [float(e) for e in edges], "fractions": [float(x) for x in fractions]}


def reference_block(columns: Dict[str, np.ndarray], bins: int = 10) -> Dict[str, Any]:
    return {name: reference_histogram(col, bins) for name, col in columns.items()}


def export_onnx(model, example_inputs: Sequence, path: str, input_names: List[str],
                output_names: List[str], dynamic_axes: Dict[str, Dict[int, str]],
                opset: int = 17, grad: bool = False) -> None:
    """torch.onnx.export at opset 17. Set grad=True for transformer encoders (see TOOLCHAIN.md)."""
    import torch

    model.eval()
    with torch.set_grad_enabled(grad):
        torch.onnx.export(model, tuple(example_inputs), path, input_names=input_names,
                          output_names=output_names, dynamic_axes=dynamic_axes,
                          opset_version=opset, do_constant_folding=True)
    import onnx

    onnx.checker.check_model(onnx.load(path))


def write_card(folder: str, card: Dict[str, Any], files: Iterable[str] = ("model.onnx",)) -> str:
    """Fill in sha256/bytes for each listed file (and the held-out file) and write card.json."""
    card = dict(card)
    listed = list(files)
    if card.get("heldout", {}).get("path"):
        listed.append(card["heldout"]["path"])
    existing = card.get("files", {})
    for name in listed:
        p = os.path.join(folder, name)
        existing[name] = {"sha256": sha256_file(p), "bytes": os.path.getsize(p)}
    card["files"] = existing
    path = os.path.join(folder, "card.json")
    with open(path, "w") as f:
        json.dump(card, f, indent=2, sort_keys=False)
        f.write("\n")
    return path


# ---- metrics shared by training scripts (numpy only; sklearn is not installed here) ----

def binary_metrics(y: np.ndarray, p: np.ndarray, threshold: float = 0.5) -> Dict[str, float]:
    y = y.astype(bool).ravel()
    p = p.ravel()
    pred = p >= threshold
    tp = float((pred & y).sum()); fp = float((pred & ~y).sum()); fn = float((~pred & y).sum())
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    order = np.argsort(-p, kind="mergesort")
    ys = y[order]
    tps = np.cumsum(ys); fps = np.cumsum(~ys)
    prec = tps / np.maximum(1, tps + fps)
    pr_auc = float((prec * ys).sum() / max(1, ys.sum()))  # average precision
    # ROC AUC via rank statistic
    ranks = np.empty(len(p)); ranks[np.argsort(p, kind="mergesort")] = np.arange(1, len(p) + 1)
    npos = y.sum(); nneg = len(y) - npos
    roc_auc = float((ranks[y].sum() - npos * (npos + 1) / 2) / max(1, npos * nneg))
    return {"precision": precision, "recall": recall, "f1": f1, "prAuc": pr_auc, "rocAuc": roc_auc,
            "accuracy": float((pred == y).mean())}


def multiclass_metrics(y: np.ndarray, pred: np.ndarray, n_classes: int) -> Dict[str, float]:
    y = y.ravel(); pred = pred.ravel()
    f1s = []
    for c in range(n_classes):
        tp = float(((pred == c) & (y == c)).sum()); fp = float(((pred == c) & (y != c)).sum())
        fn = float(((pred != c) & (y == c)).sum())
        p = tp / (tp + fp) if tp + fp else 0.0; r = tp / (tp + fn) if tp + fn else 0.0
        f1s.append(2 * p * r / (p + r) if p + r else 0.0)
    return {"accuracy": float((y == pred).mean()), "macroF1": float(np.mean(f1s))}
