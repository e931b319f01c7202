"""The aml-txn data set as the training scripts see it: generated rows, features, time split,
bias-report groups, and the training-data filter (models/_toolchain/datakit.py).

`load()` generates the seeded world (generate.py) and its features (features.py) once and caches
them under .cache/aml-txn/ (keyed by the generator settings and the sources' hashes), so train.py
and compress.py see exactly the same rows.
"""
from __future__ import annotations

import hashlib
import json
import os
import pickle
import sys
from typing import Dict, List, Optional, Sequence

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(REPO, "models", "_toolchain"))
sys.path.insert(0, HERE)

import datakit  # noqa: E402
from generate import generate, write_csv, FORMATS, START  # noqa: E402
from features import FEATURES, MAX_GAP_MIN, compute_features, txn_from_row  # noqa: E402
from generate import USD_RATES  # noqa: E402

SEED = 7
DAYS = 28
INDIVIDUALS = 4000
TRAIN_END_DAY, VAL_END_DAY = 19, 23

# ---- customer country ---------------------------------------------------------------------------
# The generator has banks, not countries. A bank is in one country, so the customer's (paying
# account's) country follows from its bank: the 29 large banks (about 70% of accounts) are placed
# by hand, the long tail of small banks by a stable hash over a weighted table that includes a few
# jurisdictions under increased monitoring. Illustrative only: FATF's lists change over time, and
# the generator does not make laundering more likely in any country, so gaps between countries
# measure the model, not the world.
LARGE_BANKS: Dict[int, str] = {
    **{b: "US" for b in range(1, 11)}, 11: "GB", 12: "GB", 13: "GB", 14: "DE", 15: "DE", 16: "FR",
    17: "CH", 18: "CA", 19: "JP", 20: "CN", 21: "IN", 22: "MX", 23: "BR", 24: "AE", 25: "SG",
    26: "NL", 27: "ES", 28: "IT", 29: "AU",
}
SMALL_BANK_COUNTRIES = [("US", 30), ("GB", 8), ("DE", 6), ("FR", 5), ("CN", 5), ("IN", 5), ("MX", 4),
                        ("BR", 4), ("CA", 3), ("AE", 3), ("TR", 3), ("PA", 3), ("CY", 3), ("NG", 3),
                        ("VN", 3), ("PH", 3), ("MM", 2), ("ZA", 3), ("KY", 4)]
HIGH_RISK = ["MM", "NG", "VN", "PH", "ZA", "TR"]  # on FATF's increased-monitoring or call-for-action lists at some point


def bank_country(bank: str) -> str:
    b = int(bank)
    if b in LARGE_BANKS:
        return LARGE_BANKS[b]
    h = int.from_bytes(hashlib.blake2b(("bank:%d" % b).encode(), digest_size=8).digest(), "little")
    total = sum(w for _, w in SMALL_BANK_COUNTRIES)
    r = h % total
    for c, w in SMALL_BANK_COUNTRIES:
        if r < w:
            return c
        r -= w
    raise AssertionError("unreachable")


# ---- the data set ---------------------------------------------------------------------------------

def _source_hash() -> str:
    h = hashlib.sha256()
    for f in ("generate.py", "features.py"):
        with open(os.path.join(HERE, f), "rb") as fh:
            h.update(fh.read())
    h.update(f"{SEED}/{DAYS}/{INDIVIDUALS}".encode())
    return h.hexdigest()[:16]


def _filter_hash() -> str:
    h = hashlib.sha256(_source_hash().encode())
    for p in (os.path.abspath(__file__), datakit.__file__):
        with open(p, "rb") as fh:
            h.update(fh.read())
    return h.hexdigest()[:16]


def load(write_train_csv: bool = True) -> Dict[str, np.ndarray]:
    """X [n, 37] float32, y, ts, day, typology, content (one string per transaction), fromBank,
    format, and the split masks tr / va / ho."""
    cache = os.path.join(REPO, ".cache", "aml-txn")
    os.makedirs(cache, exist_ok=True)
    path = os.path.join(cache, f"data-{_source_hash()}.npz")
    if os.path.exists(path):
        d = dict(np.load(path, allow_pickle=False))
    else:
        rows, typs = generate(SEED, DAYS, INDIVIDUALS)
        if write_train_csv:
            write_csv(os.path.join(cache, "train.csv"), rows, typs)
        X = np.asarray(compute_features(rows), dtype=np.float32)
        d = {
            "X": X,
            "y": np.asarray([int(r[10]) for r in rows], dtype=np.float32),
            "ts": np.asarray([txn_from_row(r).ts for r in rows], dtype=np.int64),
            "typology": np.asarray(typs, dtype=str),
            # what makes a transaction itself: time, both accounts, amounts, currencies, format
            "content": np.asarray([" ".join(r[:10]) for r in rows], dtype=str),
            "fromBank": np.asarray([r[1] for r in rows], dtype=str),
            "format": np.asarray([r[9] for r in rows], dtype=str),
        }
        np.savez(path, **d)
    d["day"] = (d["ts"] - int(START.timestamp())) // 86400
    d["tr"] = d["day"] < TRAIN_END_DAY
    d["va"] = (d["day"] >= TRAIN_END_DAY) & (d["day"] < VAL_END_DAY)
    d["ho"] = d["day"] >= VAL_END_DAY
    return d


def groups(d: Dict[str, np.ndarray], mask: np.ndarray) -> Dict[str, List[str]]:
    """Bias-report groups of the rows in `mask`: the paying customer's country and the format."""
    return {"customerCountry": [bank_country(b) for b in d["fromBank"][mask]],
            "paymentFormat": [str(f) for f in d["format"][mask]]}


# ---- the filter -------------------------------------------------------------------------------------

LOG_USD_MAX = float(np.log1p(1e9))          # a billion dollars in one payment or one day
LOG_COUNT_MAX = float(np.log1p(1e5))        # 100k payments of one account in a window
LOG_GAP_MAX = float(np.log1p(MAX_GAP_MIN))


def feature_ranges() -> Dict[str, tuple]:
    """Inclusive bounds per feature (features.py docstring): indicators in [0, 1], log counts and
    sums non-negative and below absurd volumes, gaps capped at a week, the pass-through ratio at 2."""
    r: Dict[str, tuple] = {}
    for f in FEATURES:
        if f in ("round_amount", "below_threshold", "cross_currency", "cross_bank", "self_transfer",
                 "new_counterparty", "cycle_hops") or f.startswith("fmt_"):
            r[f] = (0.0, 1.0)
        elif f in ("log_amount", "a_out_sum_24h", "b_in_sum_24h", "a_in_sum_24h"):
            r[f] = (0.0, LOG_USD_MAX)
        elif f == "a_amount_vs_mean_7d":
            r[f] = (-LOG_USD_MAX, LOG_USD_MAX)
        elif f == "a_passthrough_24h":
            r[f] = (0.0, 2.0)
        elif f in ("a_mins_since_in", "a_mins_since_out"):
            r[f] = (0.0, LOG_GAP_MAX + 1e-4)
        elif f == "a_formats_7d":
            r[f] = (0.0, float(len(FORMATS)))
        elif f == "a_currencies_7d":
            r[f] = (0.0, float(len(USD_RATES)))
        else:  # log1p counts of payments or distinct counterparties
            r[f] = (0.0, LOG_COUNT_MAX)
    return r


def domain_checks_for(X: np.ndarray, content: Sequence[str], labels: Sequence[int]):
    """Schema rules of a payment that ranges alone cannot express."""
    fi = {f: i for i, f in enumerate(FEATURES)}
    fmt_cols = [fi["fmt_" + f.lower().replace(" ", "_")] for f in FORMATS]
    first_seen: Dict[str, int] = {}
    labels_of: Dict[str, set] = {}
    for i, c in enumerate(content):
        first_seen.setdefault(c, i)
        labels_of.setdefault(c, set()).add(int(labels[i]))

    def check(i: int) -> Optional[str]:
        x = X[i]
        if x[fmt_cols].sum() > 1.0 + 1e-6:
            return "more than one payment format"
        if x[fi["self_transfer"]] > 0.5 and x[fi["cross_bank"]] > 0.5:
            return "self transfer across banks"
        if x[fi["below_threshold"]] > 0.5 and not (np.log1p(8500) - 1e-4 <= x[fi["log_amount"]] <= np.log1p(10000) + 1e-4):
            return "below_threshold set outside 8,500-10,000 USD"
        if len(labels_of[content[i]]) > 1:
            # the same payment with two labels: every copy goes, we cannot tell which is right
            return "contradiction: the same transaction recorded with labels " + " / ".join(
                str(v) for v in sorted(labels_of[content[i]]))
        if first_seen[content[i]] != i:
            # the same payment (time, accounts, amounts, currencies, format) recorded twice: a
            # replayed import, not a second payment; its features differ (the copy sees the first
            # in its history), so feature-keyed duplicate checks cannot catch it
            return "duplicate transaction (same time, accounts, amounts, format)"
        return None

    return check


def filter_train(d: Dict[str, np.ndarray], mask: np.ndarray, min_quality: float = 0.0,
                 use_cache: bool = True) -> "datakit.FilterResult":
    """Stage 1-3 over the rows in `mask` (training rows), with the held-out days as the leakage
    reference. Inputs are keyed by features AND transaction content, so two different payments
    whose history features happen to coincide (monthly rent of 1,000 from two similar tenants) stay:
    they are the real frequency of that behaviour, not copies."""
    idx = np.nonzero(mask)[0]
    X = d["X"][idx]
    content = [str(c) for c in d["content"][idx]]
    train = datakit.Examples(ids=[int(i) for i in idx], labels=[int(v) for v in d["y"][idx]], x=X,
                             texts=content, feature_names=FEATURES)
    cache = os.path.join(REPO, ".cache", "aml-txn", f"filter-{_filter_hash()}-{int(mask.sum())}-{min_quality}.pkl")
    if use_cache and os.path.exists(cache):
        with open(cache, "rb") as f:
            return pickle.load(f)
    ho = np.nonzero(d["ho"])[0]
    held = datakit.Examples(ids=[int(i) for i in ho], labels=[int(v) for v in d["y"][ho]], x=d["X"][ho],
                            texts=[str(c) for c in d["content"][ho]], feature_names=FEATURES)
    result = datakit.filter_training_set(
        train, held, allowed_labels=[0, 1], ranges=feature_ranges(),
        domain_checks=domain_checks_for(X, content, train.labels),
        text_near_duplicate=1.0,  # content strings are identifiers, not prose: no MinHash on them
        min_quality=min_quality)
    if use_cache:
        with open(cache, "wb") as f:
            pickle.dump(result, f)
    return result
