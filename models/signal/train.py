"""Train `signal`: window price/volume features + news-sentiment aggregates -> P(up), expected return
for horizons of 1, 5 and 20 bars. Walk-forward only.

    nice -n 10 /usr/bin/python3 models/signal/train.py       (from the repository root; ~3 min)

Data: a synthetic panel (market_sim.py, 60 symbols x 2,520 business days, news scored by the committed
news-sentiment model) and, for evaluation only, the real series exported from R (EuStockMarkets
DAX/SMI/CAC/FTSE, MSFT); the real series carry no news, so there only the price arm is measured.

Walk-forward: years 3..9 of the panel are test folds; each fold's model is trained on all earlier
bars whose label horizon ends before the fold starts (a 20-bar embargo), so no test label or future
bar is ever seen. Out-of-sample predictions of all folds are pooled into the card's metrics. The
same is done for a price-only ablation (the 11 price features). The shipped model is then trained
on the whole panel with the same recipe.

Version 1.1.0 (issue 9) adds, before every fit:
  - datakit.filter_training_set over all panel feature rows (non-finite, domain ranges per feature,
    duplicate feature rows, duplicate (symbol, date) keys, numeric near-duplicates/contradictions;
    held-out rows for input leakage are the real R series), and per walk-forward fold a check that
    no training (symbol, date) is a test row and no training label window reaches into the fold;
  - re-weighting of volatility buckets (vol_20 terciles fixed on years 0..2, before the first test
    fold) where the 1.0.1 recipe's out-of-sample 5-bar IC is below its overall IC.
"Before" per slice is the 1.0.1 recipe (unfiltered, unweighted) re-run fold by fold on the same
out-of-sample rows as "after", so both are walk-forward numbers.

Production stays at models/signal/; this version is written to models/signal/1.1.0/ (model.onnx,
heldout.json with groups, data-filter.json, feature-fixture.json, card.json) as a candidate in
stages.json. The sentiment features are scored by the news-sentiment model that is in production
when this runs (its version goes into the card).
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import math
import os
import sys

import numpy as np
import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "models", "_toolchain"))
sys.path.insert(0, os.path.join(ROOT, "models", "news-sentiment"))
sys.path.insert(0, HERE)

import cardkit  # noqa: E402
import datakit  # noqa: E402
import features as F  # noqa: E402
import market_sim  # noqa: E402
import tokenizer as tok  # noqa: E402

SEED = 20261128
VERSION = "1.1.0"
BEFORE_VERSION = "1.0.1"
OUT = os.path.join(HERE, VERSION)
N_SYMBOLS = 60
N_DAYS = 2520
DAYS_PER_FOLD = 252
FIRST_TEST_YEAR = 3
EMBARGO = max(F.HORIZONS)
HIDDEN = 48
EPOCHS = 6
Z_CLIP = 5.0
# domain bounds per feature (stage 1 ranges): wide enough for any real stock, tight enough to catch
# unit errors (percent instead of fraction), broken adjustments and corrupt volume
RANGES = {"ret_1": (-0.9, 2.0), "ret_5": (-0.95, 5.0), "ret_20": (-0.99, 20.0), "mom_60_20": (-0.99, 50.0),
          "vol_20": (0.0, 0.5), "vol_ratio": (0.0, 2.2), "sma_gap_20": (-0.95, 5.0), "range_5": (0.0, 1.0),
          "volume_z_20": (-4.3, 4.3), "ret_5_z": (-60.0, 60.0), "ret_20_z": (-60.0, 60.0),
          "sent_mean_1": (-1.0, 1.0), "sent_count_1": (0.0, 6.0), "sent_mean_5": (-1.0, 1.0),
          "sent_count_5": (0.0, 6.0), "sent_decay": (-20.0, 20.0)}
VOL_BUCKETS = ["low", "mid", "high"]
WEIGHT_CAP = 3.0


# ---------------------------------------------------------------- sentiment scoring (numpy)
def sentiment_scorer():
    """Scores headlines with the committed news-sentiment ONNX weights (numpy forward pass)."""
    import onnx
    from onnx import numpy_helper
    m = onnx.load(os.path.join(ROOT, "models", "news-sentiment", "model.onnx"))
    w = {i.name: numpy_helper.to_array(i).astype(np.float64) for i in m.graph.initializer}
    with open(os.path.join(ROOT, "models", "news-sentiment", "card.json")) as f:
        sentiment_version = json.load(f)["version"]

    def score(texts):
        ids = np.array([tok.encode(t) for t in texts], dtype=np.int64)
        mask = (ids != 0)[..., None]
        mean = (w["emb.weight"][ids] * mask).sum(1) / np.maximum(mask.sum(1), 1)
        h = np.maximum(mean @ w["mlp.0.weight"].T + w["mlp.0.bias"], 0)
        logits = h @ w["mlp.2.weight"].T + w["mlp.2.bias"]
        p = np.exp(logits - logits.max(1, keepdims=True)); p /= p.sum(1, keepdims=True)
        return p[:, 2] - p[:, 0]
    score.version = sentiment_version
    return score


# ---------------------------------------------------------------- panel
def panel_from_sim(sim, score):
    by_sym = {}
    for b in sim["bars"]:
        by_sym.setdefault(b["symbol"], []).append(b)
    news_by = {}
    scores = score([n["headline"] for n in sim["news"]]) if sim["news"] else []
    for n, s in zip(sim["news"], scores):
        news_by.setdefault(n["symbol"], []).append((n["publishedAtMs"], float(s)))
    rows = []
    for sym, bars in by_sym.items():
        rows.append(symbol_rows(sym, bars, news_by.get(sym, [])))
    return rows


def symbol_rows(sym, bars, news):
    bars = sorted(bars, key=lambda b: b["timeMs"])
    c = np.array([b["close"] for b in bars]); h = np.array([b["high"] for b in bars])
    lo = np.array([b["low"] for b in bars]); v = np.array([b["volume"] for b in bars])
    times = [b["timeMs"] for b in bars]
    nb = F.assign_news(times, [t for t, _ in news])
    X = F.compute(c, h, lo, v, nb, [s for _, s in news])
    Y = F.forward_returns(c)
    return {"symbol": sym, "X": X, "Y": Y, "t": np.arange(len(c)), "timeMs": np.array(times)}


def stack(rows, t_lo, t_hi, need_label=True, label_end=None):
    xs, ys, ids = [], [], []
    for k, r in enumerate(rows):
        t = r["t"]
        sel = (t >= t_lo) & (t < t_hi) & ~np.isnan(r["X"]).any(1)
        if need_label:
            sel &= ~np.isnan(r["Y"]).any(1)
        if label_end is not None:
            sel &= (t + max(F.HORIZONS)) < label_end
        xs.append(r["X"][sel]); ys.append(r["Y"][sel])
        ids.append(np.stack([np.full(sel.sum(), k), t[sel]], 1))
    return np.concatenate(xs), np.concatenate(ys), np.concatenate(ids)


# ---------------------------------------------------------------- model
class SignalNet(nn.Module):
    """Raw features -> standardise (constants) -> MLP -> [P(up) per horizon], [expected return per horizon].

    Expected return = predicted vol-scaled return * max(vol_20, 1e-4) * sqrt(h), so the output is
    in return units while the network learns a scale-free target."""

    def __init__(self, n_in, mean, std, vol_index, hidden=HIDDEN):
        super().__init__()
        self.register_buffer("mean", torch.tensor(mean, dtype=torch.float32))
        self.register_buffer("std", torch.tensor(std, dtype=torch.float32))
        self.register_buffer("hscale", torch.tensor([math.sqrt(h) for h in F.HORIZONS], dtype=torch.float32))
        self.vol_index = vol_index
        self.body = nn.Sequential(nn.Linear(n_in, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU())
        self.up = nn.Linear(hidden, len(F.HORIZONS))
        self.z = nn.Linear(hidden, len(F.HORIZONS))

    def heads(self, x):
        zx = torch.clamp((x - self.mean) / self.std, -6.0, 6.0)
        hdn = self.body(zx)
        return self.up(hdn), self.z(hdn)

    def forward(self, x):
        up_logit, z = self.heads(x)
        vol = torch.clamp(x[:, self.vol_index:self.vol_index + 1], min=1e-4)
        return torch.sigmoid(up_logit), z * vol * self.hscale


def fit(X, Y, cols, seed, weights=None):
    torch.manual_seed(seed)
    Xs = X[:, cols].astype(np.float32)
    mean = Xs.mean(0); std = Xs.std(0); std[std < 1e-8] = 1.0
    vol_index = cols.index(F.FEATURES.index("vol_20"))
    net = SignalNet(len(cols), mean, std, vol_index)
    vol = np.maximum(X[:, F.FEATURES.index("vol_20")], 1e-4)
    z = np.clip(Y / (vol[:, None] * np.sqrt(F.HORIZONS)[None, :]), -Z_CLIP, Z_CLIP)
    xt = torch.from_numpy(Xs); zt = torch.from_numpy(z.astype(np.float32))
    upt = torch.from_numpy((Y > 0).astype(np.float32))
    opt = torch.optim.Adam(net.parameters(), lr=1e-3, weight_decay=1e-5)
    bce = nn.BCEWithLogitsLoss(reduction="none"); hub = nn.SmoothL1Loss(reduction="none")
    wt = torch.from_numpy((np.ones(len(X)) if weights is None else weights).astype(np.float32))[:, None]
    n = len(xt)
    for _ in range(EPOCHS):
        perm = torch.randperm(n)
        for i in range(0, n, 512):
            idx = perm[i:i + 512]
            ul, zp = net.heads(xt[idx])
            # per-row weights (mean 1 over the training set) multiply both losses
            loss = ((bce(ul, upt[idx]) + hub(zp, zt[idx])) * wt[idx]).mean()
            opt.zero_grad(); loss.backward(); opt.step()
    net.eval()
    return net


def predict(net, X, cols):
    with torch.no_grad():
        p, er = net(torch.from_numpy(X[:, cols].astype(np.float32)))
    return p.numpy().astype(np.float64), er.numpy().astype(np.float64)


# ---------------------------------------------------------------- metrics
def rank(a):
    order = np.argsort(a, kind="mergesort"); r = np.empty(len(a)); r[order] = np.arange(len(a))
    # average ties
    s = a[order]; i = 0
    while i < len(a):
        j = i
        while j + 1 < len(a) and s[j + 1] == s[i]:
            j += 1
        if j > i:
            r[order[i:j + 1]] = (i + j) / 2.0
        i = j + 1
    return r


def pearson(a, b):
    a = a - a.mean(); b = b - b.mean()
    d = math.sqrt((a * a).sum() * (b * b).sum())
    return float((a * b).sum() / d) if d > 0 else 0.0


def signal_metrics(pred, realised, p_up, ids=None):
    """Pooled IC (Pearson), rank IC (Spearman), hit rate (sign agreement), AUC-like up accuracy,
    and the mean of per-date cross-sectional IC where `ids` (symbol, t) allow it."""
    out = {"ic": pearson(pred, realised), "rankIc": pearson(rank(pred), rank(realised)),
           "hitRate": float((np.sign(pred) == np.sign(realised))[realised != 0].mean()),
           "upAccuracy": float(((p_up >= 0.5) == (realised > 0)).mean()), "rows": int(len(pred))}
    if ids is not None:
        ics = []
        for t in np.unique(ids[:, 1]):
            sel = ids[:, 1] == t
            if sel.sum() >= 5:
                ics.append(pearson(rank(pred[sel]), rank(realised[sel])))
        if ics:
            out["crossSectionalRankIcMean"] = float(np.mean(ics))
            out["crossSectionalRankIcT"] = float(np.mean(ics) / (np.std(ics, ddof=1) / math.sqrt(len(ics))))
    return out


# ---------------------------------------------------------------- real data
def read_real():
    rows = []
    for fname in ("eu-stock-markets.csv", "msft.csv"):
        with open(os.path.join(ROOT, "data", "trading", fname)) as f:
            by = {}
            for r in csv.DictReader(f):
                by.setdefault(r["symbol"], []).append(r)
        for sym, rs in by.items():
            bars = [{"timeMs": int(dt.datetime.fromisoformat(r["time"]).replace(tzinfo=dt.timezone.utc).timestamp() * 1000),
                     "close": float(r["close"]), "high": float(r["high"]), "low": float(r["low"]),
                     "volume": float(r["volume"])} for r in rs]
            rows.append(symbol_rows(sym, bars, []))
    return rows


def write_fixture(score):
    """Real MSFT bars + a few news items with fixed scores, and the features Python computes."""
    with open(os.path.join(ROOT, "data", "trading", "msft.csv")) as f:
        rs = list(csv.DictReader(f))[:110]
    bars = [{"time": r["time"] + "T00:00:00.000Z", "open": float(r["open"]), "high": float(r["high"]),
             "low": float(r["low"]), "close": float(r["close"]), "volume": float(r["volume"])} for r in rs]
    ms = [int(dt.datetime.fromisoformat(b["time"].replace("Z", "+00:00")).timestamp() * 1000) for b in bars]
    def iso(m):
        return dt.datetime.fromtimestamp(m / 1000, tz=dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    news = []
    # exactly at a bar time (counts at that bar), just after (next bar), clustered, after the last bar
    for k, (bar, offset_min, s) in enumerate([(58, 0, 0.8), (58, 1, -0.35), (61, -300, 0.5), (62, -60, -0.9),
                                              (62, -30, 0.2), (70, 0, 0.65), (75, -1000, -0.4), (90, 5, 0.3),
                                              (100, -720, -0.75), (109, 1, 0.9)]):
        news.append({"publishedAt": iso(ms[bar] + offset_min * 60000), "score": s})
    nb = F.assign_news(ms, [int(dt.datetime.fromisoformat(n["publishedAt"].replace("Z", "+00:00")).timestamp() * 1000) for n in news])
    X = F.compute(np.array([b["close"] for b in bars]), np.array([b["high"] for b in bars]),
                  np.array([b["low"] for b in bars]), np.array([b["volume"] for b in bars]), nb, [n["score"] for n in news])
    doc = {"description": "MSFT daily bars (timeSeries::MSFT, first 110) with hand-placed news scores; features "
                          "computed by models/signal/features.py. Rows before the warm-up are null.",
           "featureNames": F.FEATURES, "params": F.PARAMS, "bars": bars, "news": news,
           "newsBar": nb, "features": [None if np.isnan(row).any() else [float(v) for v in row] for row in X]}
    with open(os.path.join(OUT, "feature-fixture.json"), "w") as f:
        json.dump(doc, f)


# ---------------------------------------------------------------- data filter and slices
def filter_panel(Xall, Yall, ids_all, rows, real_X):
    """datakit's three stages over every panel feature row (label: 5-bar up/down)."""
    keys = [(rows[int(k)]["symbol"], int(t)) for k, t in ids_all]
    first = {}
    dup_key = np.zeros(len(keys), dtype=bool)
    for i, key in enumerate(keys):
        if key in first:
            dup_key[i] = True
        else:
            first[key] = i

    def domain_checks(i):
        if dup_key[i]:
            return "duplicate (symbol, date)"
        if not np.isfinite(Yall[i]).all() or (Yall[i] <= -1.0).any():
            return "label: forward return not finite or at/below -100%"
        return None

    train = datakit.Examples(ids=[f"{s}@{t}" for s, t in keys], labels=[int(v) for v in (Yall[:, 1] > 0)],
                             x=Xall, feature_names=F.FEATURES)
    held = datakit.Examples(ids=[f"real:{i}" for i in range(len(real_X))], labels=[0] * len(real_X), x=real_X,
                            feature_names=F.FEATURES)
    # Stage 3 off (min_quality 0): the label is the sign of a noisy 5-bar return (hit rates ~0.53), so
    # neighbours disagreeing with a row's label is the market's noise, not a wrong label; no
    # domain quality signal exists for simulated bars.
    return datakit.filter_training_set(train, held, ranges=RANGES, min_quality=0.0, domain_checks=domain_checks,
                                       allowed_labels=[0, 1])


def vol_bucket(X, edges):
    return np.array(VOL_BUCKETS)[np.searchsorted(edges, X[:, F.FEATURES.index("vol_20")], side="right")]


def news_slice(X):
    return np.where(X[:, F.FEATURES.index("sent_count_5")] > 0, "news in last 5 bars", "no news in last 5 bars")


def slice_metrics(E, P, Y, slices, k=1):
    """signal_metrics at horizon index k (h5) per slice."""
    return {s: signal_metrics(E[slices == s, k], Y[slices == s, k], P[slices == s, k]) for s in sorted(set(slices))}


def weights_from(E, Y, slices, k=1):
    """Slice weights from a model's out-of-sample IC per slice (datakit.slice_weights, capped)."""
    per = slice_metrics(E, np.zeros_like(E), Y, slices, k)
    ic = {s: m["ic"] for s, m in per.items()}
    support = {s: m["rows"] for s, m in per.items()}
    return datakit.slice_weights(ic, pearson(E[:, k], Y[:, k]), max_weight=WEIGHT_CAP, min_support=support,
                                 support_floor=500), ic, support


def main():
    with open(os.path.join(HERE, "card.json")) as f:
        if json.load(f)["version"] == VERSION:
            raise SystemExit(f"{VERSION} is production already; bump VERSION (and BEFORE_VERSION) for a new version")
    torch.set_num_threads(1)
    np.random.seed(SEED)
    os.makedirs(OUT, exist_ok=True)
    score = sentiment_scorer()
    print(f"simulating panel (news scored by news-sentiment {score.version})...", flush=True)
    sim = market_sim.simulate(N_SYMBOLS, N_DAYS, SEED)
    rows = panel_from_sim(sim, score)
    print(f"{len(sim['bars'])} bars, {len(sim['news'])} news", flush=True)
    all_cols = list(range(len(F.FEATURES)))
    price_cols = list(range(len(F.PRICE_FEATURES)))
    real = read_real()
    Xr, Yr, idr = stack(real, 0, 10 ** 9)

    # ---- filter ---------------------------------------------------------------------------------
    Xall, Yall, ids_all = stack(rows, 0, N_DAYS + 1)
    result = filter_panel(Xall, Yall, ids_all, rows, Xr)
    kept = {(int(k), int(t)) for (k, t), keep in zip(ids_all, result.keep) if keep}
    print("filter:", json.dumps({s["stage"]: s["reasons"] for s in result.report["stages"]}), flush=True)
    early = ids_all[:, 1] < FIRST_TEST_YEAR * DAYS_PER_FOLD
    vol_edges = np.quantile(Xall[early, F.FEATURES.index("vol_20")], [1 / 3, 2 / 3])
    # a symbol's bucket: its median vol_20 over years 0..2, in terciles across symbols
    sym_vol = np.array([np.median(Xall[early & (ids_all[:, 0] == k), F.FEATURES.index("vol_20")])
                        for k in range(len(rows))])
    sym_edges = np.quantile(sym_vol, [1 / 3, 2 / 3])
    sym_bucket = np.array(VOL_BUCKETS)[np.searchsorted(sym_edges, sym_vol, side="right")]

    def kept_mask(ids):
        return np.array([(int(k), int(t)) in kept for k, t in ids], dtype=bool)

    # ---- walk-forward: 1.0.1 recipe (before) and 1.1.0 recipe (after) on the same test rows ------
    oos = {"before": [], "joint": [], "price": []}
    Y_oos, id_oos, X_oos = [], [], []
    last_fold = None
    leakage = []
    fold_weights = []
    for year in range(FIRST_TEST_YEAR, N_DAYS // DAYS_PER_FOLD):
        t0 = year * DAYS_PER_FOLD; t1 = t0 + DAYS_PER_FOLD
        Xtr, Ytr, idtr = stack(rows, 0, t0, label_end=t0)   # labels end before the test fold starts
        Xte, Yte, ids = stack(rows, t0, t1)
        test_keys = {(int(k), int(t)) for k, t in ids}
        leakage.append({"testYear": year, "trainRows": int(len(Xtr)),
                        "trainKeysInTest": int(sum((int(k), int(t)) in test_keys for k, t in idtr)),
                        "trainLabelWindowsIntoTest": int(((idtr[:, 1] + max(F.HORIZONS)) >= t0).sum())})
        net = fit(Xtr, Ytr, all_cols, SEED + year)
        oos["before"].append(predict(net, Xte, all_cols))
        # weights for this fold from the 1.0.1 recipe's out-of-sample rows of EARLIER folds only
        if Y_oos:
            E_prev = np.concatenate([e for _, e in oos["before"][:-1]]); Y_prev = np.concatenate(Y_oos)
            w_slices, _, _ = weights_from(E_prev, Y_prev, vol_bucket(np.concatenate(X_oos), vol_edges))
        else:
            w_slices = {b: 1.0 for b in VOL_BUCKETS}
        fold_weights.append({"testYear": year, "weights": w_slices})
        m = kept_mask(idtr)
        w = datakit.example_weights(list(vol_bucket(Xtr[m], vol_edges)), w_slices)
        for name, cols in (("joint", all_cols), ("price", price_cols)):
            net = fit(Xtr[m], Ytr[m], cols, SEED + year, weights=w)
            oos[name].append(predict(net, Xte, cols))
        Y_oos.append(Yte); id_oos.append(ids); X_oos.append(Xte)
        last_fold = (Xte, Yte, ids)
        print(f"fold year {year}: train {len(Xtr)} (kept {int(m.sum())}) test {len(Xte)} weights {w_slices}", flush=True)
    Y_all = np.concatenate(Y_oos); ids_oos = np.concatenate(id_oos); X_te_all = np.concatenate(X_oos)
    metrics = {}
    PE = {}
    for name in ("before", "joint", "price"):
        P = np.concatenate([p for p, _ in oos[name]]); E = np.concatenate([e for _, e in oos[name]])
        PE[name] = (P, E)
        metrics[name] = {f"h{h}": signal_metrics(E[:, k], Y_all[:, k], P[:, k], ids_oos) for k, h in enumerate(F.HORIZONS)}
    news_rows = X_te_all[:, F.FEATURES.index("sent_count_5")] > 0
    for name in ("before", "joint", "price"):
        P, E = PE[name]
        metrics[name]["recentNewsRows"] = {f"h{h}": signal_metrics(E[news_rows, k], Y_all[news_rows, k], P[news_rows, k])
                                           for k, h in enumerate(F.HORIZONS)}
    vb = vol_bucket(X_te_all, vol_edges); ns = news_slice(X_te_all); sb = sym_bucket[ids_oos[:, 0]]
    slices = {dim: {name: slice_metrics(PE[name][1], PE[name][0], Y_all, lab) for name in ("before", "joint")}
              for dim, lab in (("volBucket", vb), ("news", ns), ("symbolVolBucket", sb))}
    final_w, ic_before, support = weights_from(PE["before"][1], Y_all, vb)
    ic_after = {s: m["ic"] for s, m in slices["volBucket"]["joint"].items()}
    print(json.dumps(metrics, indent=1), "\nslices", json.dumps(slices, indent=1), "\nfinal weights", final_w, flush=True)

    # ---- final model on every kept panel row -------------------------------------------------------
    m = result.keep
    w_final = datakit.example_weights(list(vol_bucket(Xall[m], vol_edges)), final_w)
    final = fit(Xall[m], Yall[m], all_cols, SEED, weights=w_final)
    final_price = fit(Xall[m], Yall[m], price_cols, SEED, weights=w_final)

    # real data: never trained on; features without news
    real_metrics = {}
    for name, net, cols in (("joint", final, all_cols), ("price", final_price, price_cols)):
        p, er = predict(net, Xr, cols)
        real_metrics[name] = {f"h{h}": signal_metrics(er[:, k], Yr[:, k], p[:, k]) for k, h in enumerate(F.HORIZONS)}
        real_metrics[name]["alwaysUpHitRate"] = {f"h{h}": float((Yr[:, k] > 0).mean()) for k, h in enumerate(F.HORIZONS)}
    print("real", json.dumps(real_metrics, indent=1), flush=True)

    result.report["walkForwardLeakage"] = {
        "check": ("per test fold: training (symbol, date) keys that are test rows, and training rows whose 20-bar "
                  "label window reaches the fold's first bar (the embargo); both must be 0"),
        "folds": leakage}
    datakit.write_filter_report(
        OUT, "signal", VERSION, result,
        description=(f"every panel feature row with finite features and labels ({N_SYMBOLS} symbols, news scored by "
                     f"news-sentiment {score.version}); held-out inputs for leakage: the real R series; label for "
                     "duplicates/contradictions: 5-bar up/down. Stage 3 off (min_quality 0): the sign of a noisy "
                     "5-bar return cannot be judged by neighbours."))

    onnx_path = os.path.join(OUT, "model.onnx")
    cardkit.export_onnx(final, [torch.from_numpy(Xall[:4].astype(np.float32))], onnx_path, ["features"],
                        ["p_up", "expected_return"], {"features": {0: "batch"}, "p_up": {0: "batch"},
                                                      "expected_return": {0: "batch"}})
    # held-out for models:check: the last fold's rows with the 5-bar up/down label. The final model has
    # seen them (trained on the whole panel), so the card says this is a regression check only.
    Xte, Yte, ids_te = last_fold
    groups = {"volBucket": list(vol_bucket(Xte, vol_edges)), "news": list(news_slice(Xte)),
              "symbolVolBucket": list(sym_bucket[ids_te[:, 0]])}
    cardkit.write_heldout(OUT, {"features": Xte.astype(np.float32)}, (Yte[:, 1] > 0).astype(np.int64), groups=groups)
    p_last, _ = predict(final, Xte, all_cols)
    bm = cardkit.binary_metrics((Yte[:, 1] > 0).astype(np.int64), p_last[:, 1])

    write_fixture(score)
    fw, fp = predict(final, Xall[:20000], all_cols)
    card = {
        "name": "signal",
        "version": VERSION,
        "task": "binary-classification",
        "description": ("Per symbol and bar: P(close rises over the next h bars) and expected simple return for "
                        "h = 1, 5, 20 bars, from a window of price/volume features and news-sentiment aggregates. "
                        "For quant researchers' signals and backtests."),
        "inputs": [{"name": "features", "dtype": "float32", "shape": ["batch", len(F.FEATURES)]}],
        "outputs": [{"name": "p_up", "dtype": "float32", "shape": ["batch", len(F.HORIZONS)]},
                    {"name": "expected_return", "dtype": "float32", "shape": ["batch", len(F.HORIZONS)]}],
        "labels": ["down", "up"],
        "preprocessing": {
            "featureNames": F.FEATURES, "features": F.FEATURES, "priceFeatures": F.PRICE_FEATURES, "sentimentFeatures": F.SENTIMENT_FEATURES,
            "horizons": F.HORIZONS, **F.PARAMS,
            "definitions": F.__doc__,
            "standardisation": "inside the graph (constants below, clamp to +-6); feed raw float features",
            "featureMean": [float(x) for x in final.mean], "featureStd": [float(x) for x in final.std],
            "contributions": ("price contribution = outputs with all sentiment features set to 0 (no news); "
                              "sentiment contribution = full outputs - price contribution"),
            "fixture": "feature-fixture.json",
        },
        "heldout": {"path": "heldout.json", "rows": int(len(Yte)),
                    "description": ("rows of the last walk-forward fold (year 9 of the synthetic panel), label = "
                                    "5-bar forward return > 0. The shipped model was trained on the whole panel "
                                    "including these rows, so this set checks that the committed file still "
                                    "behaves as trained (a regression check); the out-of-sample numbers are "
                                    "metrics.walkForward.")},
        "evaluation": {"kind": "binary", "output": "p_up", "positiveColumn": 1, "threshold": 0.5, "tolerance": 0.01},
        "metrics": {
            "heldout": bm,
            "definitions": ("ic = Pearson correlation of expected_return with the realised h-bar return over all "
                            "out-of-sample (symbol, bar) rows; rankIc = Spearman of the same; hitRate = share of "
                            "rows where sign(expected_return) = sign(realised); upAccuracy = (p_up >= 0.5) == (realised > 0); "
                            "crossSectionalRankIcMean = mean over bars of the cross-sectional Spearman (>= 5 symbols)"),
            "walkForward": {"folds": f"test years {FIRST_TEST_YEAR}..{N_DAYS // DAYS_PER_FOLD - 1} of the panel "
                                     f"({DAYS_PER_FOLD} bars each), expanding train window, {EMBARGO}-bar embargo",
                            "joint": metrics["joint"], "priceOnly": metrics["price"],
                            "before": {"description": (f"the {BEFORE_VERSION} recipe (no filter, no weights) re-run on the "
                                                       "same folds, seeds and news-sentiment scores "
                                                       f"(news-sentiment {score.version}): the 'before' of the "
                                                       f"re-weighting; the {BEFORE_VERSION} card's own walk-forward "
                                                       "numbers were measured with the sentiment model of its time"),
                                       "joint": metrics["before"]},
                            "slices": {"description": ("h5 metrics per slice of the pooled out-of-sample rows, before = "
                                                       f"{BEFORE_VERSION} recipe, after = this version's recipe (joint); "
                                                       "volBucket = vol_20 terciles fixed on years 0..2; symbolVolBucket = "
                                                       "terciles of each symbol's median vol_20 over years 0..2"),
                                       **{dim: {"before": v["before"], "after": v["joint"]} for dim, v in slices.items()}}},
            "groups": {dim: {s: {"n": v["joint"][s]["rows"], "ic": v["joint"][s]["ic"], "hitRate": v["joint"][s]["hitRate"],
                                 "upAccuracy": v["joint"][s]["upAccuracy"]} for s in v["joint"]}
                       for dim, v in slices.items()},
            "realData": {"description": ("EuStockMarkets (DAX, SMI, CAC, FTSE; close only, volume 0) and MSFT "
                                         "2000-01 from R; models trained on the synthetic panel only, so every row is "
                                         "out of sample; no news exists for these series, so sentiment features are 0 "
                                         "and the joint model reduces to its price arm."),
                         "joint": real_metrics["joint"], "priceOnly": real_metrics["price"]},
        },
        "reference": {
            "inputs": {name: cardkit.reference_histogram(Xall[:, k]) for k, name in enumerate(F.FEATURES)},
            # one histogram per horizon column ("<tensor>:<column>"), so the drift monitor compares like with like
            "outputs": {**{f"p_up:{k}": cardkit.reference_histogram(fw[:, k]) for k in range(len(F.HORIZONS))},
                        **{f"expected_return:{k}": cardkit.reference_histogram(fp[:, k]) for k in range(len(F.HORIZONS))}},
        },
        "training": {
            "data": (f"market_sim.py: {N_SYMBOLS} symbols x {N_DAYS} business days, market factor with volatility "
                     "clustering, one-day reversal, news at 0.08/day/symbol with post-news drift over 10 bars; headlines "
                     f"from news-sentiment's generator, scored by the production news-sentiment model ({score.version})"),
            "command": "nice -n 10 /usr/bin/python3 models/signal/train.py",
            "seed": SEED, "rows": int(result.keep.sum()), "panelRows": int(len(Xall)), "epochs": EPOCHS, "hidden": HIDDEN,
            "sentimentModel": f"news-sentiment@{score.version}",
            "loss": ("per-row weight x [BCE(up per horizon) + SmoothL1(return / (vol_20 * sqrt(h)), clipped to +-5)], "
                     "weights of mean 1"),
            "dataFilter": "data-filter.json",
            "reweighting": {**datakit.reweighting_record(
                "ic (h5, walk-forward out-of-sample)", "volatility bucket (vol_20 terciles fixed on years 0..2)",
                final_w, ic_before, ic_after, support, BEFORE_VERSION,
                note=("weights = (overall IC / bucket IC), cap 3, buckets under 500 rows keep 1; the shipped model uses "
                      "weights from all folds' out-of-sample rows of the before recipe; each walk-forward fold used "
                      "weights from earlier folds only (foldWeights), so no test fold informed its own weights")),
                "foldWeights": fold_weights},
            "limitations": ("The synthetic market's edges (reversal, post-news drift) are built in; the real series show "
                            "whether the price arm transfers (see realData, honestly near zero). Four index series and one "
                            "stock are far too few to claim anything about real markets."),
        },
    }
    j, p = metrics["joint"], metrics["price"]
    card["metrics"]["summary"] = (
        f"Walk-forward on the synthetic panel, pooled out-of-sample IC joint vs price-only: h1 {j['h1']['ic']:.3f} vs "
        f"{p['h1']['ic']:.3f}, h5 {j['h5']['ic']:.3f} vs {p['h5']['ic']:.3f}, h20 {j['h20']['ic']:.3f} vs {p['h20']['ic']:.3f}; "
        f"hit rate h5 {j['h5']['hitRate']:.3f} vs {p['h5']['hitRate']:.3f}. The news arm adds most of the (built-in) edge. "
        f"On the real R series (no news) the price arm does not beat the always-up hit rate "
        f"(h5 {real_metrics['price']['h5']['hitRate']:.3f} vs {real_metrics['price']['alwaysUpHitRate']['h5']:.3f}); "
        "its pooled ICs there come from few, overlapping, trending series and are not evidence of skill.")
    cardkit.write_card(OUT, card, files=("model.onnx", "feature-fixture.json", "data-filter.json"))
    record_candidate(j["h5"]["ic"], metrics["before"]["h5"]["ic"])
    print("wrote card", flush=True)


def record_candidate(ic_after, ic_before) -> None:
    path = os.path.join(HERE, "stages.json")
    stages = json.load(open(path)) if os.path.exists(path) else {"versions": {}}
    stages["versions"][VERSION] = {
        "stage": "candidate", "changedAt": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")[:-4] + "Z",
        "by": "training",
        "reason": (f"retrained on filtered rows with volatility-bucket re-weighting; walk-forward h5 IC "
                   f"{ic_before:.4f} ({BEFORE_VERSION} recipe) -> {ic_after:.4f}")}
    with open(path, "w") as f:
        json.dump(stages, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
