"""Training-data pipeline shared by every model: a three-stage filter and slice re-weighting.

Every training script builds an `Examples` for its training rows and one for its held-out rows,
calls `filter_training_set` before training, trains on the kept rows, and writes the returned
report beside the card (`data-filter.json`). Weak slices of the current production model are
up-weighted with `slice_weights`; the card records the weights and the per-slice metrics before
(production) and after (the new version) with `reweighting_record`.

Stage 1, rules:    schema (finite features, non-empty text, known label), ranges, exact duplicates,
                   leakage (a training input identical to a held-out input).
Stage 2, semantic: contradictions (the same normalised input with different labels: every copy
                   goes, since we cannot tell which label is right), near-duplicates (text: word
                   shingles with MinHash, Jaccard >= threshold; numeric: inputs equal after
                   standardising and rounding) kept once, near-duplicates of held-out inputs.
Stage 3, quality:  a score in [0, 1] per example: out-of-fold probability of the example's own label
                   under a cheap neighbour model, relative to that class's typical self-confidence
                   (confident learning), times any domain score the caller supplies. Examples whose
                   label the neighbours contradict confidently (score under `min_quality`) go.

numpy only, so the module is importable without torch; tests: models/_toolchain/test_datakit.py.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from collections import Counter, OrderedDict, defaultdict
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Hashable, List, Optional, Sequence, Tuple

import numpy as np

EXAMPLES_PER_REASON = 5


@dataclass
class Examples:
    """Rows of one split. Give `x` (numeric features), `texts`, or both; labels must be hashable
    (ints, strings, or tuples for token-level tasks)."""

    ids: Sequence[Hashable]
    labels: Sequence[Hashable]
    x: Optional[np.ndarray] = None
    texts: Optional[Sequence[str]] = None
    feature_names: Optional[Sequence[str]] = None

    def __post_init__(self) -> None:
        n = len(self.ids)
        if len(self.labels) != n:
            raise ValueError(f"{len(self.labels)} labels for {n} ids")
        if self.x is not None and len(self.x) != n:
            raise ValueError(f"{len(self.x)} feature rows for {n} ids")
        if self.texts is not None and len(self.texts) != n:
            raise ValueError(f"{len(self.texts)} texts for {n} ids")
        if self.x is None and self.texts is None:
            raise ValueError("Examples need x, texts or both")

    def __len__(self) -> int:
        return len(self.ids)


@dataclass
class FilterResult:
    keep: np.ndarray                  # bool per training row
    quality: np.ndarray               # float per training row (1.0 where not scored)
    report: Dict[str, Any]
    reasons: Dict[int, str] = field(default_factory=dict)  # row -> why it was removed


# ---- input keys -------------------------------------------------------------------------------

_PUNCT = re.compile(r"[^\w\s]", re.UNICODE)
_SPACE = re.compile(r"\s+")


def normalise_text(t: str) -> str:
    """Case, punctuation and spacing do not make a different example."""
    return _SPACE.sub(" ", _PUNCT.sub(" ", t.lower())).strip()


def _digest(parts: Sequence[bytes]) -> str:
    h = hashlib.blake2b(digest_size=16)
    for p in parts:
        h.update(p)
        h.update(b"\x00")
    return h.hexdigest()


def exact_keys(ex: Examples) -> List[str]:
    out = []
    for i in range(len(ex)):
        parts = []
        if ex.x is not None:
            parts.append(np.ascontiguousarray(ex.x[i], dtype=np.float64).tobytes())
        if ex.texts is not None:
            parts.append(ex.texts[i].encode("utf-8"))
        out.append(_digest(parts))
    return out


def near_keys(ex: Examples, scale: Optional[Tuple[np.ndarray, np.ndarray]], quantum: float) -> List[str]:
    """Keys equal for inputs that differ only by formatting (text) or by less than `quantum`
    standard deviations on every feature (numeric)."""
    out = []
    q = None
    if ex.x is not None and scale is not None:
        mean, std = scale
        z = np.nan_to_num((np.asarray(ex.x, dtype=np.float64) - mean) / std / quantum, nan=0.0, posinf=0.0, neginf=0.0)
        q = np.round(np.clip(z, -9e15, 9e15)).astype(np.int64)
    for i in range(len(ex)):
        parts = []
        if q is not None:
            parts.append(q[i].tobytes())
        if ex.texts is not None:
            parts.append(normalise_text(ex.texts[i]).encode("utf-8"))
        out.append(_digest(parts))
    return out


# ---- MinHash for near-duplicate texts ------------------------------------------------------------

def _shingles(text: str, n: int = 3) -> set:
    words = normalise_text(text).split()
    if len(words) < n:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + n]) for i in range(len(words) - n + 1)}


def _minhash(sh: set, seeds: np.ndarray) -> np.ndarray:
    if not sh:
        return np.full(len(seeds), np.iinfo(np.uint64).max, dtype=np.uint64)
    hs = np.array([int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest(), "little") for s in sh],
                  dtype=np.uint64)
    # universal hashing h(x) = (x * a + b) mod 2^64 per seed; min over shingles
    a = seeds | np.uint64(1)
    with np.errstate(over="ignore"):
        return (hs[None, :] * a[:, None] + seeds[:, None] * np.uint64(0x9E3779B97F4A7C15)).min(axis=1)


def near_duplicate_texts(texts: Sequence[str], threshold: float, bands: int = 16, rows: int = 4,
                         seed: int = 7) -> List[Tuple[int, int, float]]:
    """Pairs (i, j, jaccard) with word-3-shingle Jaccard >= threshold, found through MinHash LSH
    and then confirmed exactly, so no pair is reported on the sketch alone."""
    rng = np.random.default_rng(seed)
    seeds = rng.integers(0, np.iinfo(np.int64).max, size=bands * rows, dtype=np.int64).astype(np.uint64)
    sh = [_shingles(t) for t in texts]
    sig = np.stack([_minhash(s, seeds) for s in sh]) if texts else np.zeros((0, bands * rows), np.uint64)
    candidates = set()
    for b in range(bands):
        buckets: Dict[bytes, List[int]] = defaultdict(list)
        block = sig[:, b * rows:(b + 1) * rows]
        for i in range(len(texts)):
            buckets[block[i].tobytes()].append(i)
        for members in buckets.values():
            if 1 < len(members) <= 200:  # a huge bucket is boilerplate, not a near-duplicate
                for k, i in enumerate(members):
                    for j in members[k + 1:]:
                        candidates.add((i, j))
    pairs = []
    for i, j in sorted(candidates):
        a, b = sh[i], sh[j]
        if not a or not b:
            continue
        jac = len(a & b) / len(a | b)
        if jac >= threshold:
            pairs.append((i, j, jac))
    return pairs


# ---- quality: out-of-fold neighbour agreement ----------------------------------------------------

def _standardise(x: np.ndarray, scale: Tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    return ((np.asarray(x, dtype=np.float64) - scale[0]) / scale[1]).astype(np.float32)


def knn_label_probability(z: np.ndarray, labels: Sequence[Hashable], k: int = 10, max_reference: int = 20000,
                          seed: int = 7, chunk: int = 2048) -> Tuple[np.ndarray, List[Hashable], np.ndarray]:
    """For every row, the share of its k nearest neighbours (itself excluded) carrying each label.
    Neighbours are searched among at most `max_reference` rows (sampled) to bound the cost.
    Returns (probabilities [n, classes], classes, index of each row's own label)."""
    n = len(z)
    classes = sorted(set(labels), key=repr)
    cix = {c: i for i, c in enumerate(classes)}
    own = np.array([cix[l] for l in labels], dtype=np.int64)
    rng = np.random.default_rng(seed)
    ref = np.arange(n) if n <= max_reference else np.sort(rng.choice(n, size=max_reference, replace=False))
    zr = z[ref]
    rn = (zr * zr).sum(1)
    probs = np.zeros((n, len(classes)), dtype=np.float64)
    kk = min(k, len(ref) - 1)
    if kk < 1:
        probs[np.arange(n), own] = 1.0
        return probs, classes, own
    for s in range(0, n, chunk):
        q = z[s:s + chunk]
        d = (q * q).sum(1)[:, None] + rn[None, :] - 2.0 * (q @ zr.T)
        # a row never votes for itself
        rows = np.arange(s, min(n, s + chunk))
        pos = np.searchsorted(ref, rows)
        self_hit = (pos < len(ref)) & (ref[np.minimum(pos, len(ref) - 1)] == rows)
        d[np.nonzero(self_hit)[0], pos[self_hit]] = np.inf
        nn = np.argpartition(d, kk, axis=1)[:, :kk]
        votes = own[ref][nn]
        for c in range(len(classes)):
            probs[s:s + chunk, c] = (votes == c).mean(1)
    return probs, classes, own


def confident_learning_quality(probs: np.ndarray, own: np.ndarray) -> np.ndarray:
    """Self-confidence p(own label) divided by that class's mean self-confidence (its threshold in
    confident learning), clipped to [0, 1]. Rare classes are judged against their own typical
    neighbourhood, so a true minority example is not dropped for being a minority."""
    self_conf = probs[np.arange(len(own)), own]
    q = np.ones(len(own))
    for c in np.unique(own):
        m = own == c
        t = self_conf[m].mean()
        q[m] = np.clip(self_conf[m] / t, 0, 1) if t > 0 else 1.0
    return q


# ---- the filter ---------------------------------------------------------------------------------

class _Stage:
    def __init__(self, name: str):
        self.name = name
        self.counts: Counter = Counter()
        self.examples: Dict[str, List[Any]] = defaultdict(list)

    def drop(self, result: FilterResult, ids: Sequence[Hashable], i: int, reason: str) -> None:
        if not result.keep[i]:
            return
        result.keep[i] = False
        result.reasons[i] = f"{self.name}: {reason}"
        self.counts[reason] += 1
        if len(self.examples[reason]) < EXAMPLES_PER_REASON:
            self.examples[reason].append(_jsonable(ids[i]))

    def summary(self) -> Dict[str, Any]:
        return {"stage": self.name, "removed": int(sum(self.counts.values())),
                "reasons": OrderedDict(sorted(((k, int(v)) for k, v in self.counts.items()), key=lambda kv: -kv[1])),
                "examples": {k: v for k, v in self.examples.items()}}


def _jsonable(v: Any) -> Any:
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating,)):
        return float(v)
    if isinstance(v, tuple):
        return [_jsonable(x) for x in v]
    return v


def _label_name(l: Hashable) -> str:
    return json.dumps(_jsonable(l)) if not isinstance(l, str) else l


def filter_training_set(train: Examples, heldout: Optional[Examples] = None, *,
                        allowed_labels: Optional[Sequence[Hashable]] = None,
                        ranges: Optional[Dict[str, Tuple[float, float]]] = None,
                        numeric_quantum: float = 1e-3,
                        text_near_duplicate: float = 0.9,
                        knn: int = 10,
                        min_quality: float = 0.2,
                        domain_quality: Optional[np.ndarray] = None,
                        domain_checks: Optional[Callable[[int], Optional[str]]] = None,
                        quality_features: Optional[np.ndarray] = None) -> FilterResult:
    """Run the three stages over `train` (held-out rows are only read, never removed).

    ranges: {feature name: (lo, hi)} inclusive bounds for stage 1.
    domain_checks: i -> reason or None, extra stage-1 schema rules (e.g. BIO tag order).
    domain_quality: [n] scores in [0, 1] multiplied into the stage-3 score.
    quality_features: [n, d] representation used for neighbours in stage 3 (default: x);
                      with neither x nor quality_features, stage 3 uses domain_quality only.
    """
    n = len(train)
    result = FilterResult(keep=np.ones(n, dtype=bool), quality=np.ones(n), report={})
    ids = list(train.ids)
    names = list(train.feature_names) if train.feature_names is not None else (
        [f"x{j}" for j in range(train.x.shape[1])] if train.x is not None else [])

    # stage 1: rules -------------------------------------------------------------------------------
    rules = _Stage("rules")
    allowed = set(allowed_labels) if allowed_labels is not None else None
    x = np.asarray(train.x, dtype=np.float64) if train.x is not None else None
    if x is not None:
        bad_row = ~np.isfinite(x).all(1)
        for i in np.nonzero(bad_row)[0]:
            j = int(np.nonzero(~np.isfinite(x[i]))[0][0])
            rules.drop(result, ids, int(i), f"schema: non-finite {names[j]}")
    for i in range(n):
        if train.texts is not None and (not isinstance(train.texts[i], str) or not train.texts[i].strip()):
            rules.drop(result, ids, i, "schema: empty text")
        if allowed is not None and train.labels[i] not in allowed:
            rules.drop(result, ids, i, "schema: unknown label")
        if domain_checks is not None:
            why = domain_checks(i)
            if why:
                rules.drop(result, ids, i, f"schema: {why}")
    if x is not None and ranges:
        for fname, (lo, hi) in ranges.items():
            j = names.index(fname)
            col = x[:, j]
            for i in np.nonzero(result.keep & np.isfinite(col) & ((col < lo) | (col > hi)))[0]:
                rules.drop(result, ids, int(i), f"range: {fname} outside [{lo}, {hi}]")
    keys = exact_keys(train)
    held_keys = set(exact_keys(heldout)) if heldout is not None else set()
    seen: Dict[Tuple[str, Hashable], int] = {}
    for i in range(n):
        if not result.keep[i]:
            continue
        if keys[i] in held_keys:
            rules.drop(result, ids, i, "leakage: identical to a held-out input")
            continue
        k = (keys[i], train.labels[i])
        if k in seen:
            rules.drop(result, ids, i, "duplicate")
        else:
            seen[k] = i

    # stage 2: semantic ----------------------------------------------------------------------------
    semantic = _Stage("semantic")
    scale = None
    if x is not None:
        kept_x = x[result.keep] if result.keep.any() else x
        mean = kept_x.mean(0)
        std = kept_x.std(0)
        std[~np.isfinite(std) | (std == 0)] = 1.0
        scale = (mean, std)
    nkeys = near_keys(train, scale, numeric_quantum)
    groups: Dict[str, List[int]] = defaultdict(list)
    for i in range(n):
        if result.keep[i]:
            groups[nkeys[i]].append(i)
    contradictions = 0
    for members in groups.values():
        labels = {train.labels[i] for i in members}
        if len(labels) > 1:
            contradictions += 1
            why = "contradiction: same input, labels " + " / ".join(sorted(_label_name(l) for l in labels))
            for i in members:
                semantic.drop(result, ids, i, why if len(why) < 120 else "contradiction: same input, different labels")
        else:
            for i in members[1:]:
                semantic.drop(result, ids, i, "near-duplicate")
    if heldout is not None:
        held_near = set(near_keys(heldout, scale, numeric_quantum))
        for i in range(n):
            if result.keep[i] and nkeys[i] in held_near:
                semantic.drop(result, ids, i, "leakage: near-duplicate of a held-out input")
    if train.texts is not None and text_near_duplicate < 1.0:
        live = np.nonzero(result.keep)[0]
        texts = [train.texts[i] for i in live]
        held_texts = list(heldout.texts) if heldout is not None and heldout.texts is not None else []
        for a, b, _ in near_duplicate_texts(texts + held_texts, text_near_duplicate):
            if a >= len(live):
                continue  # two held-out rows
            i = int(live[a])
            if b >= len(live):
                semantic.drop(result, ids, i, "leakage: near-duplicate of a held-out input")
                continue
            j = int(live[b])
            if not (result.keep[i] and result.keep[j]):
                continue
            if train.labels[i] != train.labels[j]:
                semantic.drop(result, ids, i, "contradiction: near-identical text, different labels")
                semantic.drop(result, ids, j, "contradiction: near-identical text, different labels")
            else:
                semantic.drop(result, ids, j, "near-duplicate")

    # stage 3: quality -----------------------------------------------------------------------------
    quality = _Stage("quality")
    live = np.nonzero(result.keep)[0]
    feats = quality_features if quality_features is not None else x
    score = np.ones(n)
    method = []
    if feats is not None and len(live) > knn + 1:
        f = np.asarray(feats, dtype=np.float64)[live]
        fmean = f.mean(0)
        fstd = f.std(0)
        fstd[fstd == 0] = 1.0
        z = _standardise(f, (fmean, fstd))
        probs, _, own = knn_label_probability(z, [train.labels[i] for i in live], k=knn)
        score[live] = confident_learning_quality(probs, own)
        method.append(f"{knn}-nearest-neighbour label agreement relative to the class's mean (confident learning)")
    if domain_quality is not None:
        score = score * np.clip(np.asarray(domain_quality, dtype=np.float64), 0, 1)
        method.append("times the model's domain score")
    result.quality = score
    for i in live:
        if score[i] < min_quality:
            quality.drop(result, ids, int(i), f"quality below {min_quality}")

    kept = int(result.keep.sum())
    label_counts_before = Counter(_label_name(l) for l in train.labels)
    label_counts_after = Counter(_label_name(train.labels[i]) for i in np.nonzero(result.keep)[0])
    result.report = {
        "input": n,
        "kept": kept,
        "removed": n - kept,
        "heldoutRowsChecked": len(heldout) if heldout is not None else 0,
        "stages": [rules.summary(), semantic.summary(),
                   {**quality.summary(), "threshold": min_quality, "method": "; ".join(method) or "none",
                    "scoreQuantiles": {str(q): float(np.quantile(score[live], q)) if len(live) else None
                                       for q in (0.01, 0.05, 0.25, 0.5)}}],
        "labelsBefore": dict(sorted(label_counts_before.items())) if len(label_counts_before) <= 50 else None,
        "labelsAfter": dict(sorted(label_counts_after.items())) if len(label_counts_after) <= 50 else None,
        "settings": {"numericQuantumStd": numeric_quantum, "textNearDuplicateJaccard": text_near_duplicate,
                     "knn": knn, "minQuality": min_quality, "ranges": ranges or {}},
    }
    return result


def write_filter_report(folder: str, model: str, version: str, result: FilterResult,
                        description: str = "", name: str = "data-filter.json") -> str:
    """Write the report beside the card. Its path goes into card.training.dataFilter."""
    doc = {"model": model, "version": version, "description": description, **result.report}
    with open(os.path.join(folder, name), "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")
    return name


# ---- dynamic weighting of weak slices ------------------------------------------------------------

def slice_weights(per_slice: Dict[str, float], overall: float, *, alpha: float = 1.0, max_weight: float = 3.0,
                  higher_is_better: bool = True, min_support: Optional[Dict[str, int]] = None,
                  support_floor: int = 5) -> Dict[str, float]:
    """Weight per slice for the next run: slices where the current model does worse than overall
    get (overall / slice) ** alpha (or the inverse for error metrics), capped at max_weight; others 1.
    Slices with fewer than `support_floor` evaluation rows keep weight 1 (too noisy to act on)."""
    w = {}
    for s, m in per_slice.items():
        if min_support is not None and min_support.get(s, 0) < support_floor:
            w[s] = 1.0
            continue
        worse = m < overall if higher_is_better else m > overall
        if not worse:
            w[s] = 1.0
            continue
        ratio = (overall / max(m, 1e-6)) if higher_is_better else (m / max(overall, 1e-6))
        w[s] = float(min(max_weight, max(1.0, ratio ** alpha)))
    return w


def example_weights(slices: Sequence[str], weights: Dict[str, float]) -> np.ndarray:
    """Per-example weights from slice weights, normalised to mean 1 so the loss scale is unchanged."""
    w = np.array([weights.get(s, 1.0) for s in slices], dtype=np.float64)
    return w / w.mean() if len(w) else w


def reweighting_record(metric: str, slice_by: str, weights: Dict[str, float], before: Dict[str, float],
                       after: Dict[str, float], support: Optional[Dict[str, int]] = None,
                       before_version: str = "", note: str = "") -> Dict[str, Any]:
    """What goes into card.training.reweighting: the weights and the per-slice metric of the
    production model (before) and of this version (after) on the same held-out rows."""
    slices = sorted(set(before) | set(after) | set(weights))
    return {
        "metric": metric,
        "sliceBy": slice_by,
        "beforeVersion": before_version,
        "note": note,
        "slices": [{"slice": s, "weight": round(weights.get(s, 1.0), 4),
                    "before": before.get(s), "after": after.get(s),
                    "support": (support or {}).get(s)} for s in slices],
    }
