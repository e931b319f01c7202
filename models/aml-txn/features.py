"""Reference implementation of the aml-txn features, computed incrementally from account history.

libs/aml/src/features (TypeScript) computes the same features with the same state and the same
order of operations; libs/aml/src/__fixtures__/ holds a CSV and the feature rows this file computes
for it, and a TS test checks they agree. Change both together (and bump the card version).

Definitions (all windows are over transactions processed BEFORE the current one, whose timestamp
is > now - window; `usd` is Amount Paid converted with USD_RATES by Payment Currency; A is the
paying account, B the receiving account, an account is "bank:account"):

  log_amount            ln(1 + usd)
  round_amount          Amount Paid >= 100 and a whole multiple of 100 (in its own currency)
  below_threshold       8500 <= usd < 10000
  cross_currency        Payment Currency != Receiving Currency
  cross_bank            From Bank != To Bank
  self_transfer         A == B
  fmt_<format>          one-hot of Payment Format (ACH, Bitcoin, Cash, Cheque, Credit Card,
                        Reinvestment, Wire); an unknown format is all zeros
  a_out_count_1h/24h/7d ln(1 + number of A's outgoing in the window)
  a_out_sum_24h         ln(1 + sum usd of A's outgoing in 24h)
  a_amount_vs_mean_7d   ln(1+usd) - mean(ln(1+usd_i)) over A's outgoing in 7d; 0 when none
  b_in_count_1h/24h/7d  ln(1 + number of B's incoming in the window)
  b_in_sum_24h          ln(1 + sum usd of B's incoming in 24h)
  a_fan_out_7d          ln(1 + distinct receivers of A's outgoing in 7d)
  b_fan_in_7d           ln(1 + distinct senders of B's incoming in 7d)
  a_fan_in_7d           ln(1 + distinct senders of A's incoming in 7d)
  b_fan_out_7d          ln(1 + distinct receivers of B's outgoing in 7d)
  new_counterparty      A has never paid B before (all history)
  a_in_sum_24h          ln(1 + sum usd of A's incoming in 24h)
  a_passthrough_24h     min(usd / (sum usd of A's incoming in 24h), 2); 0 when nothing came in
  a_mins_since_in       ln(1 + min(minutes since A's latest incoming, 10080)); 10080 when none;
                        negative gaps (out-of-order arrival) count as 0
  a_mins_since_out      the same for A's latest outgoing
  a_below_count_7d      ln(1 + number of A's outgoing in 7d with below_threshold)
  a_formats_7d          distinct Payment Formats among A's outgoing in 7d
  a_currencies_7d       distinct Payment Currencies among A's outgoing in 7d
  b_new_senders_24h     ln(1 + distinct senders of B's incoming in 24h that were paying B for the
                        first time then)
  a_in_count_24h        ln(1 + number of A's incoming in 24h)
  cycle_hops            money returning to its origin: if B's money reached A along a
                        time-respecting path of h <= 5 transfers that started within 7d, this
                        transfer closes a cycle of h+1 hops: (h+1)/6, else 0 (see CycleTracker)
"""
from __future__ import annotations

import math
from collections import deque
from typing import Dict, List, Optional, Sequence, Tuple

from generate import USD_RATES, FORMATS

HOUR = 3600
DAY = 86400
WEEK = 7 * DAY
BELOW_LO, BELOW_HI = 8500.0, 10000.0
MAX_GAP_MIN = 10080.0
CYCLE_MAX_HOPS = 6          # longest cycle detected (transfers including the closing one)
CYCLE_MAX_ORIGINS = 64      # origins remembered per account (most recently refreshed kept)

FEATURES: List[str] = [
    "log_amount", "round_amount", "below_threshold", "cross_currency", "cross_bank", "self_transfer",
    *["fmt_" + f.lower().replace(" ", "_") for f in FORMATS],
    "a_out_count_1h", "a_out_count_24h", "a_out_count_7d", "a_out_sum_24h", "a_amount_vs_mean_7d",
    "b_in_count_1h", "b_in_count_24h", "b_in_count_7d", "b_in_sum_24h",
    "a_fan_out_7d", "b_fan_in_7d", "a_fan_in_7d", "b_fan_out_7d", "new_counterparty",
    "a_in_sum_24h", "a_passthrough_24h", "a_mins_since_in", "a_mins_since_out",
    "a_below_count_7d", "a_formats_7d", "a_currencies_7d", "cycle_hops",
    "b_new_senders_24h", "a_in_count_24h",
]


class Txn:
    __slots__ = ("ts", "from_bank", "from_acct", "to_bank", "to_acct", "amount_received",
                 "receiving_currency", "amount_paid", "payment_currency", "payment_format")

    def __init__(self, ts, from_bank, from_acct, to_bank, to_acct, amount_received,
                 receiving_currency, amount_paid, payment_currency, payment_format):
        self.ts = ts; self.from_bank = from_bank; self.from_acct = from_acct
        self.to_bank = to_bank; self.to_acct = to_acct; self.amount_received = amount_received
        self.receiving_currency = receiving_currency; self.amount_paid = amount_paid
        self.payment_currency = payment_currency; self.payment_format = payment_format


def parse_timestamp(s: str) -> int:
    """'YYYY/MM/DD HH:MM' (AMLworld, UTC) -> epoch seconds."""
    import calendar
    date, time = s.strip().split(" ")
    y, mo, d = (int(x) for x in date.split("/"))
    parts = [int(x) for x in time.split(":")]
    hh, mm = parts[0], parts[1]
    ss = parts[2] if len(parts) > 2 else 0
    return calendar.timegm((y, mo, d, hh, mm, ss, 0, 0, 0))


def txn_from_row(row: Sequence[str]) -> Txn:
    return Txn(parse_timestamp(row[0]), row[1].strip(), row[2].strip(), row[3].strip(), row[4].strip(),
               float(row[5]), row[6].strip(), float(row[7]), row[8].strip(), row[9].strip())


def is_round(amount: float) -> bool:
    cents = round(amount * 100)
    return amount >= 100 and cents % 10000 == 0


class AccountState:
    __slots__ = ("out", "inc", "last_in", "last_out")

    def __init__(self):
        self.out: deque = deque()   # (ts, counterparty, usd, format, currency, below)
        self.inc: deque = deque()   # (ts, counterparty, usd, first payment of that sender)
        self.last_in: Optional[int] = None
        self.last_out: Optional[int] = None


class CycleTracker:
    """For each account X, the origins whose money reached X: origin -> (start_ts, hops).

    On A -> B at `now`: a cycle closes if origins[A] holds B (fresh: now - start < 7d) with
    hops <= 5. Then origins[B] learns (A, now, 1) and every fresh (o, start, h) of origins[A]
    with h + 1 <= 5 and o != B as (o, start, h + 1), in origins[A]'s order; a learned entry
    replaces an existing one when its start is >= the existing start (the entry then moves to
    the end), and the oldest entries are dropped beyond 64. Entries are kept in insertion order
    (JS Map order), which makes both implementations agree exactly."""

    def __init__(self):
        self.origins: Dict[str, Dict[str, Tuple[int, int]]] = {}

    def observe(self, a: str, b: str, now: int) -> int:
        if a == b:
            return 0
        oa = self.origins.get(a)
        hops = 0
        cands: List[Tuple[str, int, int]] = [(a, now, 1)]
        if oa:
            e = oa.get(b)
            if e is not None and now - e[0] < WEEK and e[1] <= CYCLE_MAX_HOPS - 1:
                hops = e[1] + 1
            for o, (start, h) in oa.items():
                if now - start < WEEK and h + 1 <= CYCLE_MAX_HOPS - 1 and o != b:
                    cands.append((o, start, h + 1))
        ob = self.origins.setdefault(b, {})
        for o, start, h in cands:
            cur = ob.get(o)
            if cur is None or start >= cur[0]:
                if cur is not None:
                    del ob[o]
                ob[o] = (start, h)
        while len(ob) > CYCLE_MAX_ORIGINS:
            del ob[next(iter(ob))]
        return hops


class FeatureState:
    def __init__(self):
        self.accounts: Dict[str, AccountState] = {}
        self.pairs: set = set()
        self.cycles = CycleTracker()

    def _acct(self, key: str) -> AccountState:
        s = self.accounts.get(key)
        if s is None:
            s = AccountState(); self.accounts[key] = s
        return s

    def compute_and_update(self, t: Txn) -> List[float]:
        a_key = t.from_bank + ":" + t.from_acct
        b_key = t.to_bank + ":" + t.to_acct
        rate = USD_RATES.get(t.payment_currency)
        if rate is None:
            raise ValueError("unknown currency " + t.payment_currency)
        usd = t.amount_paid * rate
        now = t.ts
        A = self._acct(a_key); B = self._acct(b_key)
        for s in (A, B):  # trimming memory only; windows below filter by time anyway
            while s.out and s.out[0][0] <= now - WEEK:
                s.out.popleft()
            while s.inc and s.inc[0][0] <= now - WEEK:
                s.inc.popleft()

        below = BELOW_LO <= usd < BELOW_HI
        log_amt = math.log1p(usd)

        # A's outgoing
        c1 = c24 = c7 = 0; s24 = 0.0; logsum = 0.0; below7 = 0
        recv = set(); fmts = set(); curs = set()
        for (ts, cp, u, f, cur, bl) in A.out:
            if ts > now - WEEK:
                c7 += 1; logsum += math.log1p(u); recv.add(cp); fmts.add(f); curs.add(cur)
                if bl:
                    below7 += 1
                if ts > now - DAY:
                    c24 += 1; s24 += u
                    if ts > now - HOUR:
                        c1 += 1
        # B's incoming
        bi1 = bi24 = bi7 = 0; bs24 = 0.0; senders = set(); new_senders = set()
        for (ts, cp, u, fresh) in B.inc:
            if ts > now - WEEK:
                bi7 += 1; senders.add(cp)
                if ts > now - DAY:
                    bi24 += 1; bs24 += u
                    if fresh:
                        new_senders.add(cp)
                    if ts > now - HOUR:
                        bi1 += 1
        # A's incoming
        a_in24 = 0.0; a_in24_count = 0; a_senders = set()
        for (ts, cp, u, _fresh) in A.inc:
            if ts > now - WEEK:
                a_senders.add(cp)
                if ts > now - DAY:
                    a_in24 += u; a_in24_count += 1
        # B's outgoing
        b_recv = set()
        for (ts, cp, *_rest) in B.out:
            if ts > now - WEEK:
                b_recv.add(cp)

        def gap(last: Optional[int]) -> float:
            if last is None:
                return math.log1p(MAX_GAP_MIN)
            return math.log1p(min(max(0.0, (now - last) / 60.0), MAX_GAP_MIN))

        fmt_onehot = [1.0 if t.payment_format == f else 0.0 for f in FORMATS]
        pair = a_key + ">" + b_key
        cyc = self.cycles.observe(a_key, b_key, now)

        row = [
            log_amt,
            1.0 if is_round(t.amount_paid) else 0.0,
            1.0 if below else 0.0,
            1.0 if t.payment_currency != t.receiving_currency else 0.0,
            1.0 if t.from_bank != t.to_bank else 0.0,
            1.0 if a_key == b_key else 0.0,
            *fmt_onehot,
            math.log1p(c1), math.log1p(c24), math.log1p(c7), math.log1p(s24),
            (log_amt - logsum / c7) if c7 else 0.0,
            math.log1p(bi1), math.log1p(bi24), math.log1p(bi7), math.log1p(bs24),
            math.log1p(len(recv)), math.log1p(len(senders)), math.log1p(len(a_senders)),
            math.log1p(len(b_recv)),
            0.0 if pair in self.pairs else 1.0,
            math.log1p(a_in24),
            min(usd / a_in24, 2.0) if a_in24 > 0 else 0.0,
            gap(A.last_in), gap(A.last_out),
            math.log1p(below7), float(len(fmts)), float(len(curs)),
            cyc / CYCLE_MAX_HOPS,
            math.log1p(len(new_senders)), math.log1p(a_in24_count),
        ]

        # update state with the current transaction
        A.out.append((now, b_key, usd, t.payment_format, t.payment_currency, below))
        B.inc.append((now, a_key, usd, pair not in self.pairs))
        A.last_out = now if A.last_out is None else max(A.last_out, now)
        B.last_in = now if B.last_in is None else max(B.last_in, now)
        self.pairs.add(pair)
        return row


def compute_features(rows: Sequence[Sequence[str]]) -> List[List[float]]:
    """Features for AMLworld CSV records given in processing order."""
    st = FeatureState()
    return [st.compute_and_update(txn_from_row(r)) for r in rows]


assert len(FEATURES) == 37, len(FEATURES)
