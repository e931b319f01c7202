"""The `nodule` patches written by make-dataset.ts: loading, the window the model sees, a reduced
representation for the data filter, and the slices (nodule type, size band) used for re-weighting
and the bias report. numpy only."""
import json
import os
from dataclasses import dataclass
from typing import Dict, List, Optional

import numpy as np

S = 24
LABELS = ["non-nodule", "solid", "part-solid", "ground-glass"]
HU_MIN, HU_MAX = -1000.0, 400.0
NOT_A_NODULE = "not-a-nodule"
# Lung-RADS v2022 solid-nodule cut points (6, 8, 15 mm), so a size band maps onto a management step
SIZE_BANDS = [(0.0, 6.0, "<6 mm"), (6.0, 8.0, "6-8 mm"), (8.0, 15.0, "8-15 mm"), (15.0, float("inf"), ">=15 mm")]
POOL = 3  # 24^3 -> 8^3 for the filter's neighbour search


@dataclass
class Split:
    name: str
    raw: np.ndarray          # int16 HU [n, S, S, S]
    meta: List[dict]         # one jsonl row per patch
    scans: List[dict]        # truth per scan: options (seed...), nodules
    labels: np.ndarray       # int64 [n]

    def __len__(self) -> int:
        return len(self.meta)

    def scan_seed(self, i: int) -> int:
        return int(self.scans[self.meta[i]["scan"]]["options"]["seed"])

    def nodule(self, i: int) -> Optional[dict]:
        m = self.meta[i]
        if m.get("nodule") is None:
            return None
        for n in self.scans[m["scan"]]["nodules"]:
            if n["id"] == m["nodule"]:
                return n
        return None

    def row_id(self, i: int) -> str:
        """Stable id naming the phantom (its seed), so leakage is checked on scans, not row numbers."""
        m = self.meta[i]
        return f"{self.name}:seed{self.scan_seed(i)}:{m['kind']}:{i}"


def load(folder: str, split: str) -> Split:
    flat = np.fromfile(os.path.join(folder, f"{split}.bin"), dtype="<i2")
    if flat.size % (S ** 3):
        raise ValueError(f"{split}.bin holds {flat.size} values, not a whole number of {S}^3 patches")
    raw = flat.reshape(-1, S, S, S)
    with open(os.path.join(folder, f"{split}.jsonl")) as f:
        meta = [json.loads(line) for line in f if line.strip()]
    with open(os.path.join(folder, f"{split}-scans.json")) as f:
        scans = json.load(f)["scans"]
    if len(meta) != raw.shape[0]:
        raise ValueError(f"{split}: {len(meta)} metadata rows for {raw.shape[0]} patches")
    return Split(split, raw, meta, scans, np.array([m["label"] for m in meta], dtype=np.int64))


def normalize(hu: np.ndarray) -> np.ndarray:
    x = 2.0 * (hu.astype(np.float32) - HU_MIN) / (HU_MAX - HU_MIN) - 1.0
    return np.clip(x, -1.0, 1.0)


STAT_NAMES = ["huMin", "huMax", "huMean", "huStd", "centreHuMean"]


def reduced(raw: np.ndarray, chunk: int = 1024) -> np.ndarray:
    """Raw-HU statistics (for range rules: the window clips, so ranges must look at HU before it)
    followed by the windowed patch mean-pooled to 8^3 (the filter's neighbour space)."""
    out = []
    k = S // POOL
    c0, c1 = S // 2 - 3, S // 2 + 3
    for s in range(0, len(raw), chunk):
        hu = raw[s:s + chunk].astype(np.float32)
        n = len(hu)
        stats = np.stack([hu.reshape(n, -1).min(1), hu.reshape(n, -1).max(1), hu.reshape(n, -1).mean(1),
                          hu.reshape(n, -1).std(1), hu[:, c0:c1, c0:c1, c0:c1].reshape(n, -1).mean(1)], 1)
        pooled = normalize(hu).reshape(n, k, POOL, k, POOL, k, POOL).mean((2, 4, 6)).reshape(n, -1)
        out.append(np.concatenate([stats, pooled], 1))
    return np.concatenate(out) if out else np.zeros((0, len(STAT_NAMES) + k ** 3), np.float32)


def feature_names() -> List[str]:
    k = S // POOL
    return STAT_NAMES + [f"pool{z}_{y}_{x}" for z in range(k) for y in range(k) for x in range(k)]


def size_band(diameter_mm: float) -> str:
    for lo, hi, name in SIZE_BANDS:
        if lo <= diameter_mm < hi:
            return name
    raise ValueError(f"diameter {diameter_mm}")


def groups(split: Split) -> Dict[str, List[str]]:
    """Per patch: the type and size band of the nodule it hits; candidates that hit no nodule are
    their own group in both dimensions."""
    types, sizes = [], []
    for i in range(len(split)):
        n = split.nodule(i)
        types.append(n["type"] if n else NOT_A_NODULE)
        sizes.append(size_band(n["diameterMm"]) if n else NOT_A_NODULE)
    return {"noduleType": types, "sizeBand": sizes}
