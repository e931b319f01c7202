"""The `nodule` settings for the shared three-stage training-data filter (models/_toolchain/datakit.py).

Rules the patches must satisfy, and why:
- shape/schema: every patch is S^3 HU samples with a finite 3-vector centre, a label in the four
  classes, and a positive label names a truth nodule of that type in its own scan (make-dataset.ts
  matches by the LUNA16 rule); a non-nodule candidate lies outside every nodule's matching radius.
- ranges on raw HU, because the model's window clips to [-1000, 400] and would hide a broken patch:
  CT numbers lie in [-1024, 3071] (12-bit scanners); below -1200 (air minus 5 sd of the noisiest
  phantom) or above 3071 is not a CT value.
- leakage: a training patch from a phantom whose seed is also a held-out phantom (checked on the
  seed, since row numbers restart per split), plus datakit's identical / near-identical inputs.
- a patch that is one constant value carries no image (sampled entirely outside the volume).
"""
from typing import Callable, Dict, List, Optional, Tuple

import numpy as np

import datakit
from patches import LABELS, S, STAT_NAMES, Split, feature_names

HU_RANGES: Dict[str, Tuple[float, float]] = {
    "huMin": (-1200.0, 3071.0),
    "huMax": (-1200.0, 3071.0),
    "huMean": (-1200.0, 3071.0),
    "centreHuMean": (-1200.0, 3071.0),
    "huStd": (0.0, 2200.0),
}
# 1e-3 standard deviations per pooled voxel: the same image up to rounding. A jittered view of a
# nodule is resampled on a grid shifted by up to 2.5 mm and is far outside this (see the report).
NUMERIC_QUANTUM = 1e-3
MIN_QUALITY = 0.2
KNN = 10


def _distance(a, b) -> float:
    return float(np.sqrt(sum((float(x) - float(y)) ** 2 for x, y in zip(a, b))))


def match_radius(nodule: dict) -> float:
    return max(nodule["diameterMm"] / 2.0, 3.0)


def domain_checks(split: Split, heldout_seeds: set) -> Callable[[int], Optional[str]]:
    def check(i: int) -> Optional[str]:
        m = split.meta[i]
        if split.raw[i].shape != (S, S, S):
            return f"patch shape {split.raw[i].shape}, expected {(S, S, S)}"
        c = m.get("center")
        if not isinstance(c, list) or len(c) != 3 or not all(isinstance(v, (int, float)) and np.isfinite(v) for v in c):
            return "centre is not a finite 3-vector"
        if split.scan_seed(i) in heldout_seeds:
            return "leakage: patch from a held-out phantom (same seed)"
        if m["label"] not in range(len(LABELS)):
            return "label outside the four classes"
        patch = split.raw[i]
        if patch.min() == patch.max():
            return "constant patch (no image)"
        if m["label"] > 0:
            n = split.nodule(i)
            if n is None:
                return "nodule label without a truth nodule in its scan"
            if LABELS.index(n["type"]) != m["label"]:
                return f"label {LABELS[m['label']]} but the truth nodule is {n['type']}"
            if _distance(c, n["centerMm"]) > match_radius(n) + 0.05:  # centres are rounded to 0.01 mm
                return "nodule patch centred outside its nodule's matching radius"
        else:
            for n in split.scans[m["scan"]]["nodules"]:
                if m.get("kind") == "candidate" and _distance(c, n["centerMm"]) < match_radius(n) - 0.05:
                    return "non-nodule label on a candidate inside a nodule's matching radius"
        return None
    return check


def run(train: Split, heldout: Split, x_train: np.ndarray, x_heldout: np.ndarray,
        numeric_quantum: float = None) -> datakit.FilterResult:
    """The shared filter with the nodule settings; x_* are patches.reduced() of each split.
    Quality neighbours search the pooled image only (the HU statistics are for the rules)."""
    names = feature_names()
    train_ex = datakit.Examples(ids=[train.row_id(i) for i in range(len(train))], labels=train.labels.tolist(),
                                x=x_train, feature_names=names)
    held_ex = datakit.Examples(ids=[heldout.row_id(i) for i in range(len(heldout))], labels=heldout.labels.tolist(),
                               x=x_heldout, feature_names=names)
    heldout_seeds = {int(s["options"]["seed"]) for s in heldout.scans}
    return datakit.filter_training_set(
        train_ex, held_ex, allowed_labels=list(range(len(LABELS))), ranges=HU_RANGES,
        numeric_quantum=NUMERIC_QUANTUM if numeric_quantum is None else numeric_quantum, knn=KNN,
        min_quality=MIN_QUALITY, domain_checks=domain_checks(train, heldout_seeds),
        quality_features=x_train[:, len(STAT_NAMES):])


def removed_by_slice(keep: np.ndarray, slices: List[str]) -> Dict[str, Dict[str, int]]:
    out: Dict[str, Dict[str, int]] = {}
    for s, k in zip(slices, keep):
        d = out.setdefault(s, {"before": 0, "kept": 0})
        d["before"] += 1
        d["kept"] += int(k)
    return dict(sorted(out.items()))
