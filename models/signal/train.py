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

Writes model.onnx (standardisation inside the graph: feed raw features), heldout.json (the last
fold's rows and realised up/down labels for the 5-bar horizon), feature-fixture.json (bars, news and
Python-computed features for the TypeScript equality test) and card.json.
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
import features as F  # noqa: E402
import market_sim  # noqa: E402
import tokenizer as tok  # noqa: E402

SEED = 20261128
VERSION = "1.0.1"
N_SYMBOLS = 60
N_DAYS = 2520
DAYS_PER_FOLD = 252
FIRST_TEST_YEAR = 3
EMBARGO = max(F.HORIZONS)
HIDDEN = 48
EPOCHS = 6
Z_CLIP = 5.0


# ---------------------------------------------------------------- sentiment scoring (numpy)
def sentiment_scorer():
    """Scores headlines with the committed news-sentiment ONNX weights (numpy forward pass)."""
    import onnx
    from onnx import numpy_helper
    m = onnx.load(os.path.join(ROOT, "models", "news-sentiment", "model.onnx"))
    w = {i.name: numpy_helper.to_array(i).astype(np.float64) for i in m.graph.initializer}

    def score(texts):
        ids = np.array([tok.encode(t) for t in texts], dtype=np.int64)
        mask = (ids != 0)[..., None]
        mean = (w["emb.weight"][ids] * mask).sum(1) / np.maximum(mask.sum(1), 1)
        h = np.maximum(mean @ w["mlp.0.weight"].T + w["mlp.0.bias"], 0)
        logits = h @ w["mlp.2.weight"].T + w["mlp.2.bias"]
        p = np.exp(logits - logits.max(1, keepdims=True)); p /= p.sum(1, keepdims=True)
        return p[:, 2] - p[:, 0]
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


def fit(X, Y, cols, seed):
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
    bce = nn.BCEWithLogitsLoss(); hub = nn.SmoothL1Loss()
    n = len(xt)
    for _ in range(EPOCHS):
        perm = torch.randperm(n)
        for i in range(0, n, 512):
            idx = perm[i:i + 512]
            ul, zp = net.heads(xt[idx])
            loss = bce(ul, upt[idx]) + hub(zp, zt[idx])
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
    with open(os.path.join(HERE, "feature-fixture.json"), "w") as f:
        json.dump(doc, f)


def main():
    torch.set_num_threads(1)
    np.random.seed(SEED)
    score = sentiment_scorer()
    print("simulating panel...", flush=True)
    sim = market_sim.simulate(N_SYMBOLS, N_DAYS, SEED)
    rows = panel_from_sim(sim, score)
    print(f"{len(sim['bars'])} bars, {len(sim['news'])} news", flush=True)
    all_cols = list(range(len(F.FEATURES)))
    price_cols = list(range(len(F.PRICE_FEATURES)))

    oos = {"joint": [], "price": []}
    Y_oos, id_oos = [], []
    last_fold = None
    for year in range(FIRST_TEST_YEAR, N_DAYS // DAYS_PER_FOLD):
        t0 = year * DAYS_PER_FOLD; t1 = t0 + DAYS_PER_FOLD
        Xtr, Ytr, _ = stack(rows, 0, t0, label_end=t0)   # labels end before the test fold starts
        Xte, Yte, ids = stack(rows, t0, t1)
        for name, cols in (("joint", all_cols), ("price", price_cols)):
            net = fit(Xtr, Ytr, cols, SEED + year)
            p, er = predict(net, Xte, cols)
            oos[name].append((p, er))
        Y_oos.append(Yte); id_oos.append(ids)
        last_fold = (Xte, Yte)
        print(f"fold year {year}: train {len(Xtr)} test {len(Xte)}", flush=True)
    Y_all = np.concatenate(Y_oos); ids_all = np.concatenate(id_oos)
    metrics = {}
    for name in ("joint", "price"):
        P = np.concatenate([p for p, _ in oos[name]]); E = np.concatenate([e for _, e in oos[name]])
        metrics[name] = {f"h{h}": signal_metrics(E[:, k], Y_all[:, k], P[:, k], ids_all) for k, h in enumerate(F.HORIZONS)}
    # rows with news in the last 5 bars: where the sentiment arm can matter at all
    news_rows = np.concatenate([stack(rows, y * DAYS_PER_FOLD, (y + 1) * DAYS_PER_FOLD)[0][:, F.FEATURES.index("sent_count_5")] > 0
                                for y in range(FIRST_TEST_YEAR, N_DAYS // DAYS_PER_FOLD)])
    for name in ("joint", "price"):
        P = np.concatenate([p for p, _ in oos[name]]); E = np.concatenate([e for _, e in oos[name]])
        metrics[name]["recentNewsRows"] = {f"h{h}": signal_metrics(E[news_rows, k], Y_all[news_rows, k], P[news_rows, k])
                                           for k, h in enumerate(F.HORIZONS)}
    print(json.dumps(metrics, indent=1), flush=True)

    # final models on the whole panel
    Xall, Yall, _ = stack(rows, 0, N_DAYS + 1)
    final = fit(Xall, Yall, all_cols, SEED)
    final_price = fit(Xall, Yall, price_cols, SEED)

    # real data: never trained on; features without news
    real = read_real()
    real_metrics = {}
    Xr, Yr, idr = stack(real, 0, 10 ** 9)
    for name, net, cols in (("joint", final, all_cols), ("price", final_price, price_cols)):
        p, er = predict(net, Xr, cols)
        real_metrics[name] = {f"h{h}": signal_metrics(er[:, k], Yr[:, k], p[:, k]) for k, h in enumerate(F.HORIZONS)}
        real_metrics[name]["alwaysUpHitRate"] = {f"h{h}": float((Yr[:, k] > 0).mean()) for k, h in enumerate(F.HORIZONS)}
    print("real", json.dumps(real_metrics, indent=1), flush=True)

    onnx_path = os.path.join(HERE, "model.onnx")
    cardkit.export_onnx(final, [torch.from_numpy(Xall[:4].astype(np.float32))], onnx_path, ["features"],
                        ["p_up", "expected_return"], {"features": {0: "batch"}, "p_up": {0: "batch"},
                                                      "expected_return": {0: "batch"}})
    # held-out for models:check: the last fold's rows with the 5-bar up/down label. The final model has
    # seen them (trained on the whole panel), so the card says this is a regression check only.
    Xte, Yte = last_fold
    cardkit.write_heldout(HERE, {"features": Xte.astype(np.float32)}, (Yte[:, 1] > 0).astype(np.int64))
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
                            "joint": metrics["joint"], "priceOnly": metrics["price"]},
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
                     "from news-sentiment's generator, scored by the committed news-sentiment model"),
            "command": "nice -n 10 /usr/bin/python3 models/signal/train.py",
            "seed": SEED, "rows": int(len(Xall)), "epochs": EPOCHS, "hidden": HIDDEN,
            "loss": "BCE(up per horizon) + SmoothL1(return / (vol_20 * sqrt(h)), clipped to +-5)",
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
    cardkit.write_card(HERE, card, files=("model.onnx", "feature-fixture.json"))
    print("wrote card", flush=True)


if __name__ == "__main__":
    main()
