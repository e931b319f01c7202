"""Shows that the signal model's training-data filter catches each kind of bad feature row: a
deliberately corrupted copy of a small simulated panel (6 symbols x 400 days) goes through
train.filter_panel with the training settings. Injected: a non-finite feature, a return in percent
instead of a fraction (range), an exact duplicate row, a second row for an existing (symbol, date),
a row identical to a real R-series row (leakage), and one input with both up and down labels.

    nice -n 10 /usr/bin/python3 models/signal/check_filter.py      (exit 1 if one is missed)
"""
from __future__ import annotations

import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import train as T  # noqa: E402


def main() -> int:
    sim = T.market_sim.simulate(6, 400, 11)
    rows = T.panel_from_sim(sim, T.sentiment_scorer())
    X, Y, ids = T.stack(rows, 0, 10 ** 9)
    Xr, _, _ = T.stack(T.read_real(), 0, 10 ** 9)
    n = len(X)
    ret_1 = T.F.FEATURES.index("ret_1")
    bad_x = [X[10].copy(), X[20].copy(), X[30].copy(), X[40].copy() * 1.01, Xr[100].copy(), X[60].copy(), X[60].copy()]
    bad_x[0][3] = np.nan
    bad_x[1][ret_1] = 5.0
    bad_y = [Y[10], Y[20], Y[30], Y[40], Y[50], np.abs(Y[60]) + 0.01, -np.abs(Y[60]) - 0.01]
    bad_ids = [[0, 10_000], [0, 10_001], [0, 10_005], ids[40], [0, 10_002], [0, 10_003], [0, 10_004]]
    want = ["rules: schema: non-finite", "rules: range: ret_1", "rules: duplicate", "rules: schema: duplicate (symbol, date)",
            "rules: leakage: identical to a held-out input", "semantic: contradiction", "semantic: contradiction"]
    # row 60 itself has one of the two labels: drop it so the pair is the only copy of that input
    keep = np.ones(n, dtype=bool); keep[60] = False
    X2 = np.concatenate([X[keep], np.array(bad_x)]); Y2 = np.concatenate([Y[keep], np.array(bad_y)])
    ids2 = np.concatenate([ids[keep], np.array(bad_ids)])
    result = T.filter_panel(X2, Y2, ids2, rows, Xr)
    print(json.dumps([(s["stage"], s["reasons"]) for s in result.report["stages"]]))
    start = int(keep.sum())
    missed = 0
    for i, w in enumerate(want):
        got = result.reasons.get(start + i, "KEPT")
        ok = got.startswith(w)
        missed += not ok
        print(f"{'ok  ' if ok else 'MISS'} injected #{i} ({w}): {got}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
