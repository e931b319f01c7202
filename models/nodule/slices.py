"""Per-slice and per-group measurements of a `nodule` model on the held-out candidate patches.

Slices for re-weighting are the truth nodule's type and size band; patch accuracy (argmax equals
the label: found AND typed right) is the per-slice metric. Detection by group is the pipeline's
view: a held-out nodule counts as detected when any serving-detector candidate that hits it gets
P(nodule) at or above the model's own threshold for an operating point of its held-out FROC."""
from typing import Dict, List

import numpy as np

from patches import NOT_A_NODULE


def slice_names(groups: Dict[str, List[str]]) -> List[List[str]]:
    """Per row, the re-weighting slices it belongs to ("noduleType=solid", "sizeBand=<6 mm"), or
    [not-a-nodule]."""
    out = []
    for t, s in zip(groups["noduleType"], groups["sizeBand"]):
        out.append([NOT_A_NODULE] if t == NOT_A_NODULE else [f"noduleType={t}", f"sizeBand={s}"])
    return out


def per_slice_accuracy(labels: np.ndarray, probs: np.ndarray, groups: Dict[str, List[str]]):
    correct = probs.argmax(1) == labels
    acc: Dict[str, float] = {}
    support: Dict[str, int] = {}
    members: Dict[str, List[int]] = {}
    for i, names in enumerate(slice_names(groups)):
        for s in names:
            members.setdefault(s, []).append(i)
    for s, idx in sorted(members.items()):
        acc[s] = float(correct[idx].mean())
        support[s] = len(idx)
    pos = labels > 0
    overall_nodule = float(correct[pos].mean()) if pos.any() else 0.0
    return acc, support, overall_nodule


def detection_by_group(meta: List[dict], probs: np.ndarray, scans: List[dict], threshold: float,
                       size_band) -> Dict[str, Dict[str, Dict[str, float]]]:
    p_nod = 1.0 - probs[:, 0]
    best: Dict[tuple, float] = {}
    for m, p in zip(meta, p_nod):
        if m["label"] > 0:
            key = (m["scan"], m["nodule"])
            best[key] = max(best.get(key, 0.0), float(p))
    out: Dict[str, Dict[str, Dict[str, float]]] = {"noduleType": {}, "sizeBand": {}}
    for s in scans:
        for n in s["nodules"]:
            key = (s["scan"], n["id"])
            for dim, g in (("noduleType", n["type"]), ("sizeBand", size_band(n["diameterMm"]))):
                d = out[dim].setdefault(g, {"n": 0, "candidates": 0, "detected": 0})
                d["n"] += 1
                d["candidates"] += int(key in best)
                d["detected"] += int(best.get(key, -1.0) >= threshold)
    for dim in out:
        for g, d in out[dim].items():
            out[dim][g] = {"n": d["n"], "candidateSensitivity": d["candidates"] / d["n"],
                           "detectionSensitivity": d["detected"] / d["n"]}
        out[dim] = dict(sorted(out[dim].items()))
    return out
