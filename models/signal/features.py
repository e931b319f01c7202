"""Window features of the `signal` model, mirrored in libs/trading/src/features/signal-features.ts.

Every feature at bar t uses bars 0..t and news published at or before bar t's time only.
Bars are one symbol's, sorted by time, prices already adjusted. A news item belongs to the
first bar whose time >= publishedAt (news after the close counts at the next bar).

Price features (WARMUP = 60 earlier bars needed, so the first row with features is t = 60):
  ret_1        c[t]/c[t-1] - 1
  ret_5        c[t]/c[t-5] - 1
  ret_20       c[t]/c[t-20] - 1
  mom_60_20    c[t-20]/c[t-60] - 1                      (momentum skipping the last month)
  vol_20       sample std (n-1) of daily returns r[t-19..t], r[i] = c[i]/c[i-1] - 1
  vol_ratio    sample std of r[t-4..t] / vol_20          (1 when vol_20 == 0)
  sma_gap_20   c[t] / mean(c[t-19..t]) - 1
  range_5      mean of (h[i]-l[i])/c[i] over i = t-4..t
  volume_z_20  (log1p(v[t]) - mean) / sample std of log1p(v[t-19..t])   (0 when std == 0)
  ret_5_z      ret_5 / (vol_20 * sqrt(5))               (0 when vol_20 == 0)
  ret_20_z     ret_20 / (vol_20 * sqrt(20))             (0 when vol_20 == 0)
Sentiment features (score in [-1, 1] from news-sentiment; all 0 when there is no news):
  sent_mean_1   mean score of news at bar t
  sent_count_1  log1p(number of news at bar t)
  sent_mean_5   mean score of news at bars t-4..t
  sent_count_5  log1p(number of news at bars t-4..t)
  sent_decay    sum over news at bars j in t-19..t of score * 0.5 ** ((t - j) / 3)
"""
from __future__ import annotations

import bisect
import math
from typing import Dict, List, Sequence

import numpy as np

PRICE_FEATURES = ["ret_1", "ret_5", "ret_20", "mom_60_20", "vol_20", "vol_ratio", "sma_gap_20",
                  "range_5", "volume_z_20", "ret_5_z", "ret_20_z"]
SENTIMENT_FEATURES = ["sent_mean_1", "sent_count_1", "sent_mean_5", "sent_count_5", "sent_decay"]
FEATURES = PRICE_FEATURES + SENTIMENT_FEATURES
WARMUP = 60
HORIZONS = [1, 5, 20]
PARAMS = {"warmup": WARMUP, "volWindow": 20, "shortVolWindow": 5, "smaWindow": 20, "rangeWindow": 5,
          "volumeWindow": 20, "momentum": {"from": 60, "to": 20}, "sentimentWindow": 5,
          "decayWindow": 20, "decayHalfLifeBars": 3, "newsAssignment": "first bar with time >= publishedAt"}


def _sample_std(x: np.ndarray) -> float:
    m = x.sum() / len(x)
    return math.sqrt(((x - m) ** 2).sum() / (len(x) - 1))


def assign_news(bar_times_ms: Sequence[int], news_times_ms: Sequence[int]) -> List[int]:
    """Index of the bar each news item counts at (len(bars) when it is after the last bar)."""
    return [bisect.bisect_left(bar_times_ms, t) for t in news_times_ms]


def compute(close: np.ndarray, high: np.ndarray, low: np.ndarray, volume: np.ndarray,
            news_bar: Sequence[int], news_score: Sequence[float]) -> np.ndarray:
    """Feature matrix [n_bars, 16] in float64; rows before WARMUP are NaN."""
    n = len(close)
    out = np.full((n, len(FEATURES)), np.nan)
    if n <= WARMUP:
        return out
    r = np.zeros(n); r[1:] = close[1:] / close[:-1] - 1.0
    lv = np.log1p(volume)
    rng = (high - low) / close
    cnt = np.zeros(n); ssum = np.zeros(n)
    for j, s in zip(news_bar, news_score):
        if j < n:
            cnt[j] += 1; ssum[j] += s
    decay = [0.5 ** (k / 3.0) for k in range(20)]
    for t in range(WARMUP, n):
        vol20 = _sample_std(r[t - 19:t + 1])
        vol5 = _sample_std(r[t - 4:t + 1])
        lvw = lv[t - 19:t + 1]
        lv_std = _sample_std(lvw)
        ret5 = close[t] / close[t - 5] - 1.0
        ret20 = close[t] / close[t - 20] - 1.0
        c5 = cnt[t - 4:t + 1].sum(); s5 = ssum[t - 4:t + 1].sum()
        sd = 0.0
        for k in range(20):
            if ssum[t - k] != 0.0:
                sd += ssum[t - k] * decay[k]
        out[t] = [
            close[t] / close[t - 1] - 1.0,
            ret5,
            ret20,
            close[t - 20] / close[t - 60] - 1.0,
            vol20,
            vol5 / vol20 if vol20 > 0 else 1.0,
            close[t] / (close[t - 19:t + 1].sum() / 20.0) - 1.0,
            rng[t - 4:t + 1].sum() / 5.0,
            (lv[t] - lvw.sum() / 20.0) / lv_std if lv_std > 0 else 0.0,
            ret5 / (vol20 * math.sqrt(5.0)) if vol20 > 0 else 0.0,
            ret20 / (vol20 * math.sqrt(20.0)) if vol20 > 0 else 0.0,
            ssum[t] / cnt[t] if cnt[t] > 0 else 0.0,
            math.log1p(cnt[t]),
            s5 / c5 if c5 > 0 else 0.0,
            math.log1p(c5),
            sd,
        ]
    return out


def forward_returns(close: np.ndarray, horizons=HORIZONS) -> np.ndarray:
    """[n, len(horizons)] c[t+h]/c[t] - 1 (NaN where t+h is past the end): the training targets."""
    n = len(close)
    out = np.full((n, len(horizons)), np.nan)
    for k, h in enumerate(horizons):
        out[: n - h, k] = close[h:] / close[: n - h] - 1.0
    return out


def to_dict(row: np.ndarray) -> Dict[str, float]:
    return {name: float(v) for name, v in zip(FEATURES, row)}
