"""Shows that the aml-txn training-data filter catches what our generated data does not contain.

The generated set is clean (stages 1 and 2 remove nothing from it), so this takes 3,000 training
rows, appends deliberately corrupted copies (one per rule), runs the same filter as train.py and
fails unless every corruption is removed for the expected reason and no clean row is.

    nice -n 10 /usr/bin/python3 models/aml-txn/check_filter.py
"""
from __future__ import annotations

import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import data  # noqa: E402
from features import FEATURES  # noqa: E402

N_CLEAN = 3000


def main() -> int:
    d = data.load()
    fi = {f: i for i, f in enumerate(FEATURES)}
    tr = np.nonzero(d["tr"])[0][:N_CLEAN]
    X = [row.copy() for row in d["X"][tr]]
    y = [int(v) for v in d["y"][tr]]
    content = [str(c) for c in d["content"][tr]]
    expected = {}

    def add(x, label, text, why):
        X.append(np.asarray(x, dtype=np.float32)); y.append(label); content.append(text)
        expected[len(X) - 1] = why

    a = d["X"][tr[10]].copy(); a[fi["a_out_count_24h"]] = np.nan
    add(a, 0, "corrupt nan", "schema: non-finite a_out_count_24h")
    b = d["X"][tr[11]].copy(); b[fi["log_amount"]] = -3.0
    add(b, 0, "corrupt range", "range: log_amount")
    c = d["X"][tr[12]].copy(); c[fi["fmt_ach"]] = 1; c[fi["fmt_wire"]] = 1
    add(c, 0, "corrupt two formats", "schema: more than one payment format")
    e = d["X"][tr[13]].copy()
    add(e, 2, "corrupt label", "schema: unknown label")
    replay = d["X"][tr[14]].copy(); replay[fi["a_out_count_24h"]] += 0.1  # the copy sees the first in its history
    add(replay, y[14], content[14], "schema: duplicate transaction")
    flip = d["X"][tr[15]].copy()
    add(flip, 1 - y[15], content[15], "schema: contradiction")
    expected[15] = "schema: contradiction"  # the original goes too: which label is right is unknown
    hi = np.nonzero(d["ho"])[0][5]
    add(d["X"][hi], int(d["y"][hi]), str(d["content"][hi]), "rules: leakage")

    n = len(X)
    sub = {k: v for k, v in d.items()}
    idx = np.concatenate([tr, np.arange(n - N_CLEAN) + len(d["y"])])
    sub["X"] = np.concatenate([d["X"], np.stack(X[N_CLEAN:])])
    sub["y"] = np.concatenate([d["y"], np.asarray(y[N_CLEAN:], dtype=np.float32)])
    sub["content"] = np.concatenate([d["content"], np.asarray(content[N_CLEAN:])])
    sub["ho"] = np.concatenate([d["ho"], np.zeros(n - N_CLEAN, bool)])
    mask = np.zeros(len(sub["y"]), bool); mask[idx] = True
    result = data.filter_train(sub, mask, min_quality=0.0, use_cache=False)
    problems = []
    for k, why in expected.items():
        got = result.reasons.get(k, "kept")
        if why.split(": ")[-1] not in got:
            problems.append(f"row {k}: expected '{why}', got '{got}'")
    wrongly = [k for k in result.reasons if k not in expected]
    if wrongly:
        problems.append(f"{len(wrongly)} clean rows removed: " + "; ".join(result.reasons[k] for k in wrongly[:5]))
    print(json.dumps({"rows": n, "corrupted": len(expected), "removed": int((~result.keep).sum()),
                      "reasons": {str(k): result.reasons.get(k) for k in expected}, "problems": problems}, indent=1))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
