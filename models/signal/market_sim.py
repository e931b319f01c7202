"""Seeded synthetic market: many symbols of daily OHLCV bars plus news whose sentiment moves
future returns, so the signal model's sentiment arm has something real to find.

    /usr/bin/python3 models/signal/market_sim.py --symbols 8 --days 750 --seed 7 --out data/trading/synthetic

Return of symbol i on day t:
  r = beta_i * m_t + sigma_i * e_t                  (market factor with volatility clustering)
      - 0.04 * sigma_i * z(r_{t-1})                  (mild one-day reversal: the price arm's edge)
      + sum over news k of s_k * a_k * sigma_i * (0.8 if same bar else 0.22 * exp(-(d - 1) / 4)) for
        d = 1..10 bars after the news bar      (post-news drift: the sentiment arm's edge)
where s_k in {-1, 0, +1} is the news' true sentiment and a_k ~ U(0.5, 1.5) its strength. The headline
of each news item is drawn from models/news-sentiment/headlines.py for its true label, so models
downstream see noisy sentiment (the classifier's score), as in production.
Volume rises with |return| and on news days. Bars close at 21:00 UTC; news arrives at any hour, so
news after 21:00 counts at the next bar.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import math
import os
import sys
from typing import Dict, List

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "news-sentiment"))
from headlines import HeadlineGenerator, LABELS  # noqa: E402

DRIFT_DAYS = 10


def business_days(start: dt.date, n: int) -> List[dt.date]:
    out = []; d = start
    while len(out) < n:
        if d.weekday() < 5:
            out.append(d)
        d += dt.timedelta(days=1)
    return out


def simulate(n_symbols: int, n_days: int, seed: int, news_rate: float = 0.08,
             start: dt.date = dt.date(2012, 1, 2)) -> Dict:
    rng = np.random.default_rng(seed)
    gen = HeadlineGenerator(seed)
    days = business_days(start, n_days + 1)
    close_ms = np.array([int(dt.datetime(d.year, d.month, d.day, 21, tzinfo=dt.timezone.utc).timestamp() * 1000)
                         for d in days], dtype=np.int64)
    # market factor with GARCH(1,1)-like volatility
    m = np.zeros(n_days + 1); h = 1e-4
    for t in range(1, n_days + 1):
        h = 2e-6 + 0.08 * m[t - 1] ** 2 + 0.9 * h
        m[t] = 0.0003 + math.sqrt(h) * rng.standard_normal()
    symbols = [f"SYN{i:03d}" for i in range(n_symbols)]
    bars, news = [], []
    for i, sym in enumerate(symbols):
        sigma = rng.uniform(0.008, 0.025); beta = rng.uniform(0.6, 1.4)
        base_lv = rng.uniform(12.0, 16.0)
        # news events: day index, true sentiment, strength, hour
        n_news = rng.poisson(news_rate * n_days)
        ev_day = np.sort(rng.integers(1, n_days + 1, size=n_news))
        ev_s = rng.choice([-1, 0, 1], size=n_news, p=[0.35, 0.3, 0.35])
        ev_a = rng.uniform(0.5, 1.5, size=n_news)
        ev_hour = rng.integers(0, 24, size=n_news)
        ev_minute = rng.integers(0, 60, size=n_news)
        # the bar each news item counts at: same day if before the 21:00 close, else the next bar
        ev_bar = np.where(ev_hour < 21, ev_day, ev_day + 1)
        effect = np.zeros(n_days + 2 + DRIFT_DAYS)
        news_day = np.zeros(n_days + 2 + DRIFT_DAYS)
        for d, s, a, b in zip(ev_day, ev_s, ev_a, ev_bar):
            effect[b] += s * a * 0.8
            news_day[b] = 1.0
            for k in range(1, DRIFT_DAYS + 1):
                effect[b + k] += s * a * 0.22 * math.exp(-(k - 1) / 4.0)
        close = np.empty(n_days + 1); close[0] = rng.uniform(20, 200)
        opn = np.empty(n_days + 1); hi = np.empty(n_days + 1); lo = np.empty(n_days + 1); vol = np.empty(n_days + 1)
        prev_z = 0.0
        opn[0] = hi[0] = lo[0] = close[0]; vol[0] = math.exp(base_lv)
        for t in range(1, n_days + 1):
            e = rng.standard_normal()
            r = beta * m[t] + sigma * e - 0.04 * sigma * prev_z + sigma * effect[t]
            r = max(r, -0.5)
            prev_z = (r - beta * m[t]) / sigma
            close[t] = close[t - 1] * (1.0 + r)
            overnight = 0.3 * r + 0.2 * sigma * rng.standard_normal()
            opn[t] = close[t - 1] * (1.0 + overnight)
            hi[t] = max(opn[t], close[t]) * (1.0 + abs(rng.normal(0, 0.4 * sigma)))
            lo[t] = min(opn[t], close[t]) * (1.0 - abs(rng.normal(0, 0.4 * sigma)))
            vol[t] = math.exp(base_lv + 0.35 * abs(r) / sigma + 0.6 * news_day[t] + 0.25 * rng.standard_normal())
        for t in range(n_days + 1):
            bars.append({"symbol": sym, "timeMs": int(close_ms[t]), "open": float(opn[t]), "high": float(hi[t]),
                         "low": float(lo[t]), "close": float(close[t]), "volume": float(round(vol[t]))})
        for d, s, a, hr, mi in zip(ev_day, ev_s, ev_a, ev_hour, ev_minute):
            text, _ = gen.headline(int(s) + 1)
            day = days[d]
            ts = int(dt.datetime(day.year, day.month, day.day, int(hr), int(mi), tzinfo=dt.timezone.utc).timestamp() * 1000)
            news.append({"symbol": sym, "publishedAtMs": ts, "headline": text, "trueLabel": LABELS[int(s) + 1],
                         "strength": float(a)})
    return {"symbols": symbols, "bars": bars, "news": news}


def iso(ms: int) -> str:
    return dt.datetime.fromtimestamp(ms / 1000, tz=dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--symbols", type=int, default=8)
    ap.add_argument("--days", type=int, default=750)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", default="data/trading/synthetic")
    a = ap.parse_args()
    sim = simulate(a.symbols, a.days, a.seed)
    with open(a.out + "-bars.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["symbol", "time", "open", "high", "low", "close", "volume"])
        for b in sim["bars"]:
            w.writerow([b["symbol"], iso(b["timeMs"])] + [f"{b[k]:.4f}" for k in ("open", "high", "low", "close")]
                       + [int(b["volume"])])
    with open(a.out + "-news.jsonl", "w") as f:
        for n in sim["news"]:
            f.write(json.dumps({"symbols": [n["symbol"]], "publishedAt": iso(n["publishedAtMs"]),
                                "headline": n["headline"], "source": "synthetic", "body": ""}) + "\n")
    print(f"wrote {len(sim['bars'])} bars and {len(sim['news'])} news to {a.out}-*")


if __name__ == "__main__":
    main()
