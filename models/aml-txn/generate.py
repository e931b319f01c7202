"""Deterministic generator of an AMLworld-style synthetic transaction set.

Writes IBM AMLworld's CSV layout
  Timestamp,From Bank,Account,To Bank,Account,Amount Received,Receiving Currency,Amount Paid,
  Payment Currency,Payment Format,Is Laundering
plus a side file (one line per CSV row, same order) naming the typology of each laundering row
("" for legitimate rows; legitimate look-alikes are named "legit:payroll", "legit:sweep", ... so
that their false-positive rate can be measured too).

Laundering typologies: fan-out, fan-in, cycle, scatter-gather, gather-scatter, bipartite, stack,
random, structuring, pass-through. Background: individuals spending at merchants and with a few
regular counterparties, rent, reinvestment, business-to-supplier payments, and legitimate
look-alikes of the typologies (payroll fan-out, treasury sweeps fan-in, escrow pass-through,
recurring just-below-threshold invoices, reciprocal refunds).

Usage: /usr/bin/python3 models/aml-txn/generate.py OUT.csv [--seed 7] [--days 28] [--individuals 2600]
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
from typing import Dict, List, Tuple

import numpy as np

START = dt.datetime(2022, 9, 1, 0, 0, tzinfo=dt.timezone.utc)

# Approximate 2022 rates to US dollars; the feature code uses the same table (card preprocessing).
USD_RATES: Dict[str, float] = {
    "US Dollar": 1.0, "Euro": 1.0, "UK Pound": 1.17, "Swiss Franc": 1.03, "Yuan": 0.145,
    "Yen": 0.0070, "Rupee": 0.0123, "Australian Dollar": 0.68, "Canadian Dollar": 0.75,
    "Mexican Peso": 0.05, "Ruble": 0.0165, "Shekel": 0.29, "Brazil Real": 0.19,
    "Saudi Riyal": 0.266, "Bitcoin": 20000.0,
}
HOME_CURRENCIES = ["US Dollar", "Euro", "UK Pound", "Yuan", "Yen", "Rupee", "Swiss Franc",
                   "Australian Dollar", "Canadian Dollar", "Mexican Peso", "Shekel", "Brazil Real",
                   "Saudi Riyal", "Ruble"]
HOME_WEIGHTS = np.array([55, 12, 6, 5, 4, 5, 2, 2, 3, 2, 1, 1, 1, 1], dtype=float)
FORMATS = ["ACH", "Bitcoin", "Cash", "Cheque", "Credit Card", "Reinvestment", "Wire"]

TYPOLOGIES = ["fan-out", "fan-in", "cycle", "scatter-gather", "gather-scatter", "bipartite",
              "stack", "random", "structuring", "pass-through"]


class World:
    def __init__(self, seed: int, days: int):
        self.rng = np.random.RandomState(seed)
        self.days = days
        self.horizon = days * 1440  # minutes
        self.used_ids: set = set()
        self.rows: List[Tuple[int, int, int, float, str, float, str, str, int, str]] = []
        # (minute, from_idx, to_idx, amount_paid, pay_cur, amount_recv, recv_cur, format, label, typology)
        self.accounts: List[Tuple[str, str]] = []  # (bank, account)
        self.currency: List[str] = []

    def new_account(self, currency: str | None = None, bank: int | None = None) -> int:
        rng = self.rng
        while True:
            acct = "%09X" % rng.randint(0x100000000, 0xFFFFFFFFF)
            if acct not in self.used_ids:
                break
        self.used_ids.add(acct)
        if bank is None:
            bank = int(rng.choice([rng.randint(1, 30), rng.randint(30, 3000)], p=[0.7, 0.3]))
        if currency is None:
            currency = str(rng.choice(HOME_CURRENCIES, p=HOME_WEIGHTS / HOME_WEIGHTS.sum()))
        self.accounts.append(("%03d" % bank if bank < 1000 else str(bank), acct))
        self.currency.append(currency)
        return len(self.accounts) - 1

    def day_minute(self, day: int, business_hours: bool = True) -> int:
        if business_hours:
            m = int(np.clip(self.rng.normal(13 * 60, 180), 0, 1439))
        else:
            m = int(self.rng.randint(0, 1440))
        return day * 1440 + m

    def pay(self, minute: int, a: int, b: int, usd: float, fmt: str, label: int = 0,
            typology: str = "", cross: bool | None = None, round_to: float | None = None) -> None:
        """Record one payment of about `usd` dollars, in a's home currency."""
        if minute < 0 or minute >= self.horizon:
            return
        rng = self.rng
        pay_cur = self.currency[a]
        if fmt == "Bitcoin":
            pay_cur = "Bitcoin"
        amount = usd / USD_RATES[pay_cur]
        if round_to:
            amount = max(round_to, round(amount / round_to) * round_to)
        amount = round(amount, 2) if pay_cur != "Bitcoin" else round(amount, 6)
        if cross is None:
            cross = rng.rand() < 0.04
        recv_cur = self.currency[b] if cross and self.currency[b] != pay_cur else pay_cur
        if fmt == "Bitcoin":
            recv_cur = "Bitcoin"
        received = amount * USD_RATES[pay_cur] / USD_RATES[recv_cur]
        received = round(received, 2) if recv_cur != "Bitcoin" else round(received, 6)
        self.rows.append((minute, a, b, amount, pay_cur, received, recv_cur, fmt, label, typology))


def background(w: World, n_ind: int) -> Dict[str, List[int]]:
    rng = w.rng
    inds = [w.new_account() for _ in range(n_ind)]
    merchants = [w.new_account() for _ in range(max(20, n_ind // 25))]
    suppliers = [w.new_account() for _ in range(max(10, n_ind // 40))]
    landlords = [w.new_account(currency=None) for _ in range(max(10, n_ind // 60))]
    merchant_pop = rng.pareto(1.2, len(merchants)) + 1
    merchant_pop /= merchant_pop.sum()

    # Individuals: a few regular counterparties, merchants, rent, occasional cash and reinvestment.
    for i in inds:
        friends = list(rng.choice(inds, size=rng.randint(2, 7), replace=False))
        rate = rng.gamma(2.0, 0.35)
        fmt_p = rng.dirichlet([4, 0.1, 1.0, 1.2, 4, 0.3, 0.8])
        typical = rng.normal(4.3, 0.6)
        rent_day = rng.randint(0, 3)
        has_rent = rng.rand() < 0.45
        landlord = int(rng.choice(landlords))
        rent = float(rng.choice([800, 1000, 1200, 1500, 1800, 2000, 2500]))
        reinvest = rng.rand() < 0.08
        # Some customers open their account during the period: a legitimate account with no
        # history, so "no history" alone is not a sign of a mule account. Newcomers often start
        # with a sizeable first payment (deposit on a flat, a car, a transfer to family).
        opened = rng.randint(1, w.days) if rng.rand() < 0.15 else 0
        if opened:
            w.pay(w.day_minute(opened), i, int(rng.choice(friends + [landlord] + list(rng.choice(merchants, 2)))),
                  float(np.exp(rng.normal(7.5, 0.9))), str(rng.choice(["Wire", "ACH", "Cheque"])), typology="legit:newcomer")
        for day in range(opened, w.days):
            for _ in range(rng.poisson(rate)):
                if rng.rand() < 0.55:
                    b = int(rng.choice(merchants, p=merchant_pop))
                else:
                    b = int(friends[rng.randint(len(friends))])
                fmt = FORMATS[rng.choice(len(FORMATS), p=fmt_p)]
                if fmt == "Reinvestment":
                    b = i
                usd = float(np.exp(rng.normal(typical, 1.1)))
                w.pay(w.day_minute(day), i, b, usd, fmt,
                      round_to=100.0 if rng.rand() < 0.05 and usd > 150 else None)
                # reciprocal refunds/paybacks: money back to the payer (a legitimate 2-cycle)
                if b != i and b in friends and rng.rand() < 0.05:
                    w.pay(w.day_minute(day) + rng.randint(60, 2000), b, i, usd * rng.uniform(0.3, 1.0),
                          fmt, typology="legit:payback")
            if has_rent and day % 30 == rent_day and day >= opened:
                w.pay(w.day_minute(day), i, landlord, rent, "ACH", round_to=100.0, typology="legit:rent")
            if reinvest and day % 14 == 3:
                w.pay(w.day_minute(day), i, i, float(np.exp(rng.normal(6, 0.8))), "Reinvestment",
                      typology="legit:reinvest")

    # Merchants pay suppliers; suppliers pay their own suppliers.
    for m in merchants + suppliers:
        partners = list(rng.choice(suppliers, size=rng.randint(1, 5), replace=False))
        rate = rng.uniform(0.2, 1.5)
        for day in range(w.days):
            for _ in range(rng.poisson(rate)):
                b = int(partners[rng.randint(len(partners))])
                if b == m:
                    continue
                fmt = str(rng.choice(["Wire", "ACH", "Cheque"], p=[0.4, 0.45, 0.15]))
                w.pay(w.day_minute(day), m, b, float(np.exp(rng.normal(7.8, 1.0))), fmt,
                      cross=rng.rand() < 0.12)

    # Payroll (fan-out look-alike): employer pays 12..60 staff within an hour, twice a month.
    for _ in range(max(6, n_ind // 90)):
        employer = w.new_account(currency="US Dollar")
        staff = list(rng.choice(inds, size=rng.randint(12, 60), replace=False))
        salary = {s: float(np.exp(rng.normal(8.0, 0.35))) for s in staff}
        payday = rng.randint(0, 5)
        clients = list(rng.choice(merchants + suppliers, size=3, replace=False))
        for day in range(w.days):
            if day % 14 == payday:
                t0 = day * 1440 + 8 * 60 + rng.randint(0, 120)
                for k, s in enumerate(staff):
                    w.pay(t0 + k // 8, employer, int(s), salary[s], "ACH", cross=False,
                          typology="legit:payroll")
            if rng.rand() < 0.5:  # the employer's own income
                w.pay(w.day_minute(day), int(clients[rng.randint(3)]), employer,
                      float(np.exp(rng.normal(9.5, 0.6))), "Wire", typology="legit:income")

    # Treasury sweeps (fan-in and pass-through look-alike): subsidiaries sweep to the treasury
    # at the end of each business day; the treasury moves the total to an investment account.
    for _ in range(max(4, n_ind // 300)):
        treasury = w.new_account(currency="US Dollar")
        investment = w.new_account(currency="US Dollar")
        subs = [w.new_account(currency="US Dollar") for _ in range(rng.randint(3, 9))]
        for day in range(w.days):
            if day % 7 in (5, 6):
                continue
            total = 0.0
            for k, s in enumerate(subs):
                usd = float(np.exp(rng.normal(9.0, 0.7)))
                total += usd
                w.pay(day * 1440 + 17 * 60 + 30 + k, s, treasury, usd, "Wire", cross=False,
                      typology="legit:sweep")
                # subsidiaries are topped up by customers during the day
                w.pay(w.day_minute(day), int(rng.choice(merchants)), s, usd * rng.uniform(0.8, 1.2), "Wire",
                      typology="legit:income")
            w.pay(day * 1440 + 18 * 60 + rng.randint(0, 30), treasury, investment, total, "Wire",
                  cross=False, typology="legit:sweep")

    # Escrow (pass-through look-alike): buyer deposits, escrow pays the seller hours or days later.
    for _ in range(max(4, n_ind // 400)):
        escrow = w.new_account()
        for _ in range(rng.randint(8, 20)):
            buyer, seller = int(rng.choice(inds)), int(rng.choice(inds))
            t = rng.randint(0, w.horizon)
            usd = float(np.exp(rng.normal(10.5, 0.8)))
            w.pay(t, buyer, escrow, usd, "Wire", typology="legit:escrow")
            delay = rng.choice([rng.randint(60, 600), rng.randint(1440, 7 * 1440)])
            w.pay(t + int(delay), escrow, seller, usd * rng.uniform(0.97, 0.995), "Wire",
                  typology="legit:escrow")

    # Recurring invoices just below 10,000 (structuring look-alike): one a fortnight.
    for _ in range(max(5, n_ind // 200)):
        a, b = int(rng.choice(suppliers)), int(rng.choice(merchants))
        amt = float(rng.uniform(9000, 9950))
        for day in range(rng.randint(0, 14), w.days, 14):
            w.pay(w.day_minute(day), b, a, amt, "ACH", cross=False, typology="legit:invoice")

    return {"inds": inds, "merchants": merchants}


def laundering(w: World, pools: Dict[str, List[int]], per_typology: int) -> None:
    rng = w.rng
    inds = pools["inds"]

    def party() -> int:
        # Mules are often fresh accounts, sometimes compromised existing customers.
        if rng.rand() < 0.6:
            return w.new_account(currency=str(rng.choice(HOME_CURRENCIES[:6], p=[.6, .15, .1, .05, .05, .05])))
        return int(rng.choice(inds))

    def fmt() -> str:
        return str(rng.choice(FORMATS, p=[0.45, 0.05, 0.12, 0.13, 0.1, 0.0, 0.15]))

    def amount() -> float:
        return float(np.exp(rng.normal(8.3, 1.2)))

    def hop(t: int, a: int, b: int, usd: float, typ: str, f: str | None = None) -> None:
        w.pay(t, a, b, usd, f or fmt(), label=1, typology=typ, cross=rng.rand() < 0.25)

    def start() -> int:
        return rng.randint(0, w.horizon - 2 * 1440)

    def spread(lo: int, hi: int) -> int:
        return int(rng.randint(lo, hi))

    for typ in TYPOLOGIES:
        for _ in range(per_typology):
            t = start()
            if typ == "fan-out":
                src = party(); f = fmt(); usd = amount()
                for _k in range(rng.randint(5, 15)):
                    hop(t + spread(0, 2880), src, party(), usd * rng.uniform(0.7, 1.3), typ, f)
            elif typ == "fan-in":
                dst = party(); f = fmt(); usd = amount()
                for _k in range(rng.randint(5, 15)):
                    hop(t + spread(0, 2880), party(), dst, usd * rng.uniform(0.7, 1.3), typ, f)
            elif typ == "cycle":
                n = rng.randint(3, 7)
                ring = [party() for _k in range(n)]
                usd = amount() * 3
                for k in range(n):
                    t += spread(30, 1440)
                    hop(t, ring[k], ring[(k + 1) % n], usd, typ)
                    usd *= rng.uniform(0.95, 0.99)
            elif typ == "scatter-gather":
                src, dst = party(), party(); usd = amount() * 2; f = fmt()
                for _k in range(rng.randint(3, 9)):
                    mid = party(); t1 = t + spread(0, 720)
                    part = usd * rng.uniform(0.8, 1.2)
                    hop(t1, src, mid, part, typ, f)
                    hop(t1 + spread(60, 1440), mid, dst, part * rng.uniform(0.95, 0.99), typ, f)
            elif typ == "gather-scatter":
                hub = party(); usd = amount(); f = fmt()
                for _k in range(rng.randint(3, 9)):
                    hop(t + spread(0, 720), party(), hub, usd * rng.uniform(0.8, 1.2), typ, f)
                t2 = t + 720
                for _k in range(rng.randint(3, 9)):
                    hop(t2 + spread(60, 1440), hub, party(), usd * rng.uniform(0.8, 1.2), typ, f)
            elif typ == "bipartite":
                xs = [party() for _k in range(rng.randint(2, 5))]
                ys = [party() for _k in range(rng.randint(2, 5))]
                usd = amount()
                for x in xs:
                    for y in ys:
                        if rng.rand() < 0.7:
                            hop(t + spread(0, 2880), x, y, usd * rng.uniform(0.7, 1.3), typ)
            elif typ == "stack":
                layers = [[party() for _k in range(rng.randint(2, 4))] for _l in range(3)]
                usd = amount()
                for li in range(2):
                    tl = t + li * 1440
                    for x in layers[li]:
                        for y in layers[li + 1]:
                            if rng.rand() < 0.75:
                                hop(tl + spread(0, 1440), x, y, usd * rng.uniform(0.8, 1.2), typ)
            elif typ == "random":
                pool = [party() for _k in range(rng.randint(4, 7))]
                cur = pool[0]; usd = amount() * 2
                for _k in range(rng.randint(4, 9)):
                    nxt = pool[rng.randint(len(pool))]
                    if nxt == cur:
                        continue
                    t += spread(60, 1440)
                    hop(t, cur, nxt, usd, typ)
                    usd *= rng.uniform(0.9, 1.0); cur = nxt
            elif typ == "structuring":
                src = party(); dsts = [party() for _k in range(rng.randint(1, 4))]
                for _k in range(rng.randint(3, 9)):
                    t += spread(30, 1200)
                    w.pay(t, src, dsts[rng.randint(len(dsts))], float(rng.uniform(8600, 9990)),
                          str(rng.choice(["Cash", "ACH", "Cheque"])), label=1, typology=typ, cross=False)
            elif typ == "pass-through":
                a, b = party(), party(); usd = amount() * 4
                hop(t, a, b, usd, typ, "Wire")
                t += spread(5, 240)
                c = party()
                w.pay(t, b, c, usd * rng.uniform(0.9, 0.99), fmt(), label=1, typology=typ,
                      cross=rng.rand() < 0.5)
                if rng.rand() < 0.5:
                    w.pay(t + spread(5, 240), c, party(), usd * rng.uniform(0.85, 0.95), fmt(), label=1,
                          typology=typ, cross=rng.rand() < 0.5)


def fmt_amount(x: float) -> str:
    s = ("%.6f" % x).rstrip("0").rstrip(".")
    return s if s else "0"


def generate(seed: int = 7, days: int = 28, individuals: int = 2600, per_typology: int | None = None):
    """Returns (rows sorted by time, typologies) where rows are AMLworld CSV records (lists of str)."""
    w = World(seed, days)
    pools = background(w, individuals)
    laundering(w, pools, per_typology or max(10, individuals * days // 3000))
    order = sorted(range(len(w.rows)), key=lambda k: (w.rows[k][0], k))
    out, typs = [], []
    for k in order:
        minute, a, b, amt, pc, rec, rc, f, label, typ = w.rows[k]
        ts = START + dt.timedelta(minutes=int(minute))
        fa, fb = w.accounts[a], w.accounts[b]
        out.append([ts.strftime("%Y/%m/%d %H:%M"), fa[0], fa[1], fb[0], fb[1], fmt_amount(rec), rc,
                    fmt_amount(amt), pc, f, str(label)])
        typs.append(typ)
    return out, typs


HEADER = ["Timestamp", "From Bank", "Account", "To Bank", "Account", "Amount Received",
          "Receiving Currency", "Amount Paid", "Payment Currency", "Payment Format", "Is Laundering"]


def write_csv(path: str, rows, typs) -> None:
    with open(path, "w", newline="") as f:
        wr = csv.writer(f, lineterminator="\n")
        wr.writerow(HEADER)
        wr.writerows(rows)
    with open(path + ".typology", "w") as f:
        for t in typs:
            f.write(t + "\n")


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--days", type=int, default=28)
    ap.add_argument("--individuals", type=int, default=2600)
    a = ap.parse_args()
    rows, typs = generate(a.seed, a.days, a.individuals)
    write_csv(a.out, rows, typs)
    print(f"{len(rows)} rows, {sum(r[-1] == '1' for r in rows)} laundering -> {a.out}")
