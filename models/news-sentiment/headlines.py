"""Seeded generator of labelled financial headlines (NEGATIVE / NEUTRAL / POSITIVE).

Covers plain events, numbers with direction words, negation that flips an event ("fails to beat
estimates", "rules out job cuts"), mixed news where the clause after "but"/"while" decides and
"despite" leaves the main clause in charge, analyst actions and domain words (downgrade, beats
estimates, recall, buyback, probe, guidance cut, ...). Also used by models/signal to write the
headlines of synthetic news events, so the signal model sees the sentiment model's real scores.

No hand-written held-out headline comes from here: those live in heldout-handwritten.tsv.
"""
from __future__ import annotations

import random
from typing import List, Tuple

LABELS = ["NEGATIVE", "NEUTRAL", "POSITIVE"]
NEG, NEU, POS = 0, 1, 2

COMPANIES = [
    "Acme Corp", "Globex", "Initech", "Umbrella Pharma", "Stark Industries", "Wayne Enterprises",
    "Hooli", "Vandelay Imports", "Soylent Foods", "Tyrell Systems", "Cyberdyne", "Wonka Brands",
    "Oceanic Airlines", "Massive Dynamic", "Aperture Labs", "Nakatomi Trading", "Gringotts Bank",
    "Pied Piper", "Dunder Mifflin", "Sterling Cooper", "Monarch Mining", "Blue Harbor Energy",
    "Northwind Traders", "Contoso", "Fabrikam", "Litware", "Tailspin Toys", "Wingtip Motors",
    "Alpine Semiconductor", "Redwood Biotech", "Helix Therapeutics", "Orion Telecom", "Zenith Retail",
    "Atlas Shipping", "Pioneer Insurance", "Summit Health", "Quantum Chips", "Evergreen Utilities",
    "Crescent Oil", "Falcon Aerospace", "Granite Cement", "Harbor Logistics", "Ivory Cosmetics",
]
TICKERS = ["ACME", "GLBX", "INTC2", "UMBR", "STRK", "WAYN", "HOOL", "VDLY", "SOYL", "TYRL",
           "CYBD", "WONK", "OCNA", "MSDY", "APRT", "NAKA", "GRNG", "PIPR", "DUND", "STCP"]
# TICKERS[i] is COMPANIES[i]'s ticker (the first 20 companies have one).
# Sector of each company (GICS-like, coarse), for per-sector metrics and the bias report. Assigned
# from the name only; the generator's labels never depend on it.
SECTORS = ["Technology", "Healthcare", "Financials", "Energy & Materials", "Industrials", "Consumer",
           "Telecom & Media"]
COMPANY_SECTOR = {
    **{c: "Technology" for c in ["Initech", "Hooli", "Tyrell Systems", "Cyberdyne", "Aperture Labs", "Pied Piper",
                                 "Contoso", "Fabrikam", "Litware", "Alpine Semiconductor", "Quantum Chips",
                                 "Massive Dynamic"]},
    **{c: "Healthcare" for c in ["Umbrella Pharma", "Redwood Biotech", "Helix Therapeutics", "Summit Health"]},
    **{c: "Financials" for c in ["Gringotts Bank", "Pioneer Insurance", "Nakatomi Trading"]},
    **{c: "Energy & Materials" for c in ["Blue Harbor Energy", "Crescent Oil", "Evergreen Utilities", "Monarch Mining",
                                         "Granite Cement"]},
    **{c: "Industrials" for c in ["Acme Corp", "Globex", "Stark Industries", "Wayne Enterprises", "Oceanic Airlines",
                                  "Atlas Shipping", "Falcon Aerospace", "Harbor Logistics", "Northwind Traders",
                                  "Dunder Mifflin"]},
    **{c: "Consumer" for c in ["Vandelay Imports", "Soylent Foods", "Wonka Brands", "Zenith Retail", "Tailspin Toys",
                               "Ivory Cosmetics", "Wingtip Motors"]},
    **{c: "Telecom & Media" for c in ["Orion Telecom", "Sterling Cooper"]},
}
assert set(COMPANY_SECTOR) == set(COMPANIES) and set(COMPANY_SECTOR.values()) == set(SECTORS)

POS_EVENTS = [
    "beats estimates", "beats earnings estimates", "tops forecasts", "beats revenue expectations",
    "raises guidance", "raises full-year outlook", "lifts profit forecast", "boosts dividend",
    "announces share buyback", "unveils {n} billion buyback", "wins major contract",
    "secures government contract", "gets FDA approval", "wins regulatory approval",
    "posts record revenue", "reports record profit", "swings to profit", "signs partnership with {co2}",
    "lands multi-year deal", "expands margins", "sees strong demand", "receives takeover offer",
    "is upgraded to buy", "upgraded to outperform at {bank}", "clears antitrust review",
    "settles lawsuit favorably", "cuts debt", "returns to growth", "reports surge in orders",
    "reaches profitability", "raises dividend by {p}%", "beats on earnings and revenue",
    "completes successful trial", "wins patent case", "reports strong subscriber growth",
]
NEG_EVENTS = [
    "misses estimates", "misses earnings estimates", "falls short of forecasts", "cuts guidance",
    "lowers full-year outlook", "slashes profit forecast", "suspends dividend", "cuts dividend",
    "announces product recall", "recalls {n} thousand vehicles", "faces regulatory probe",
    "under investigation by SEC", "hit with antitrust probe", "sued by investors", "loses key contract",
    "posts quarterly loss", "swings to loss", "reports plunge in profit", "announces layoffs",
    "to cut {n} thousand jobs", "is downgraded to sell", "downgraded to underperform at {bank}",
    "warns on profit", "issues profit warning", "files for bankruptcy", "defaults on bonds",
    "faces fraud allegations", "loses patent case", "sees weak demand", "reports data breach",
    "halts production", "fails clinical trial", "restates earnings", "CEO resigns amid scandal",
    "shares halted after accounting questions", "misses on earnings and revenue",
]
NEU_EVENTS = [
    "schedules earnings call", "to report results on {day}", "names new CFO", "appoints board member",
    "to present at investor conference", "holds annual shareholder meeting", "files quarterly report",
    "completes previously announced merger", "reports results in line with estimates",
    "maintains guidance", "reaffirms outlook", "keeps dividend unchanged", "rating maintained at hold",
    "reiterated at neutral by {bank}", "moves headquarters to {city}", "launches new website",
    "changes ticker symbol", "announces date of investor day", "prices bond offering",
    "opens office in {city}", "confirms meeting with regulators", "updates corporate governance policy",
    "releases sustainability report", "shares flat in early trading", "to join industry panel",
]
# negating a positive event gives a negative headline, and vice versa
NEGATED_POS = [
    ("fails to beat estimates", NEG), ("does not raise guidance", NEG), ("won't pay dividend", NEG),
    ("fails to win contract", NEG), ("did not get FDA approval", NEG), ("no longer expects growth", NEG),
    ("not expected to meet targets", NEG), ("fails to secure financing", NEG),
    ("without a buyback this year", NEG), ("never recovered lost market share", NEG),
    ("did not reach profitability", NEG), ("no deal with {co2}", NEG),
]
NEGATED_NEG = [
    ("rules out layoffs", POS), ("says no recall needed", POS), ("not facing probe, regulator says", POS),
    ("will not cut guidance", POS), ("does not expect loss", POS), ("avoids downgrade", POS),
    ("no longer under investigation", POS), ("won't cut dividend", POS), ("never missed a payment", POS),
    ("closes probe without penalties", POS), ("not planning job cuts", POS),
    ("escapes bankruptcy", POS), ("no impact from recall, CEO says", POS),
]
POS_NUM = ["profit rises {p}%", "revenue up {p}%", "sales jump {p}%", "shares surge {p}%",
           "earnings climb {p}%", "stock rallies {p}%", "orders grow {p}%", "net income gains {p}%",
           "margin expands to {p}%", "quarterly profit soars {p}%"]
NEG_NUM = ["profit falls {p}%", "revenue down {p}%", "sales drop {p}%", "shares plunge {p}%",
           "earnings slide {p}%", "stock tumbles {p}%", "orders shrink {p}%", "net income declines {p}%",
           "margin contracts to {p}%", "quarterly profit sinks {p}%"]
NEU_NUM = ["shares little changed at {n} dollars", "trades {n} million shares", "holds {p}% stake",
           "employs {n} thousand people", "revenue of {n} billion in line with forecasts",
           "prices {n} million notes at {p}%", "shares end flat at {n}"]
# Broad, general financial vocabulary (verbs, nouns, adjectives) combined compositionally, so the
# model learns word-level cues rather than whole templates.
POS_VERBS = ["soars", "surges", "jumps", "rallies", "climbs", "rises", "gains", "rebounds", "spikes",
             "advances", "rockets", "leaps", "doubles", "triples", "hits record high", "hits all-time high",
             "outperforms", "bounces", "recovers", "firms", "extends gains", "edges higher"]
NEG_VERBS = ["plunges", "slumps", "tumbles", "sinks", "falls", "drops", "slides", "dives", "craters",
             "crashes", "plummets", "retreats", "declines", "weakens", "hits record low", "hits multi-year low",
             "underperforms", "extends losses", "edges lower", "collapses", "sheds value", "skids"]
POS_METRICS_ADJ = ["strong", "robust", "better-than-expected", "upbeat", "solid", "record", "blowout",
                   "bumper", "stellar", "impressive", "healthy", "improved", "surprise"]
NEG_METRICS_ADJ = ["weak", "disappointing", "worse-than-expected", "gloomy", "poor", "dismal", "soft",
                   "lackluster", "sluggish", "downbeat", "surprise", "wider", "bigger-than-expected"]
POS_NOUNS = ["earnings", "results", "sales", "profit", "quarter", "revenue", "orders", "bookings",
             "deliveries", "margins", "cash flow", "demand", "output", "subscriber growth", "guidance", "outlook"]
NEG_NOUNS_ONLY = ["loss", "losses", "writedown", "impairment", "charges", "defaults", "bad loans",
                  "outflows", "cash burn", "costs", "claims", "fines", "penalties", "delays", "shortfall"]
POS_ACTIONS = ["hikes {noun} forecast", "lifts {noun} view", "raises {noun} target", "boosts payout",
               "increases dividend", "authorizes repurchase", "approves buyback", "wins approval",
               "gets green light", "clinches deal", "secures order", "signs supply pact", "expands into {city}",
               "wins lawsuit", "settles dispute", "reaches agreement with creditors", "passes stress test",
               "meets primary endpoint", "receives upgrade", "beats consensus", "tops views", "exceeds expectations",
               "smashes forecasts", "outpaces rivals", "gains market share", "cuts costs", "reduces debt",
               "regains investment-grade rating", "credit rating raised", "lands financing", "attracts inflows"]
NEG_ACTIONS = ["slashes {noun} forecast", "trims {noun} view", "withdraws guidance", "scraps dividend",
               "omits dividend", "halts buyback", "suspends payout", "gets rejected by regulators",
               "fails to win approval", "loses deal", "loses order", "loses customer", "loses lawsuit",
               "fined by regulator", "ordered to pay damages", "faces lawsuit", "faces investigation",
               "subject of DOJ probe", "misses consensus", "falls short of views", "trails expectations",
               "loses market share", "flags higher costs", "takes writedown", "books impairment",
               "credit rating cut", "downgraded to junk", "breaches covenants", "seeks emergency funding",
               "delays launch", "halts trial", "shuts plant", "cuts jobs", "lays off workers", "warns of losses",
               "burns cash", "sees outflows", "expands recall", "recalls products", "auditor quits"]
NEU_ACTIONS = ["to release results on {day}", "sets date for earnings", "names new chief executive",
               "appoints finance chief", "hires advisers", "elects directors", "renames unit", "rebrands division",
               "relocates headquarters to {city}", "opens office in {city}", "holds annual meeting",
               "to host investor call", "files annual report", "publishes proxy statement", "declares regular dividend",
               "sets record date", "confirms targets", "repeats forecast", "keeps outlook", "reiterates view",
               "results in line with expectations", "sales match forecasts", "prices notes", "redeems notes at par",
               "completes refinancing", "completes name change", "updates schedule", "launches app update",
               "to present at conference", "to speak at summit", "joins index", "moves listing to {city}",
               "changes fiscal year", "chairman to retire as planned", "trading volume normal",
               "stock flat", "shares steady", "shares little changed", "stock unchanged in quiet trade"]

BANKS = ["Goldman", "Morgan Stanley", "JPMorgan", "Barclays", "UBS", "Citi", "Jefferies", "Bernstein"]
CITIES = ["Austin", "Dublin", "Zurich", "Singapore", "Denver", "Toronto", "Frankfurt"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
SOURCES_PREFIX = ["", "", "", "UPDATE 1-", "BRIEF-", "Exclusive: ", "Analysis: "]
CONNECT_BUT = [" but ", ", but ", " while ", "; ", ", yet "]


class HeadlineGenerator:
    def __init__(self, seed: int):
        self.r = random.Random(seed)
        self.last_sector = ""  # sector of the last headline's subject

    def _fill(self, s: str) -> str:
        r = self.r
        return (s.replace("{n}", str(r.choice([r.randint(1, 99), r.randint(100, 999), round(r.uniform(1, 20), 1)])))
                 .replace("{p}", str(r.choice([r.randint(1, 60), round(r.uniform(0.5, 15), 1)])))
                 .replace("{bank}", r.choice(BANKS)).replace("{city}", r.choice(CITIES))
                 .replace("{day}", r.choice(DAYS)).replace("{co2}", r.choice(COMPANIES)))

    def _subject(self) -> str:
        r = self.r
        c = r.choice(COMPANIES)
        # the same draws, in the same order, as choice([c, c, c, choice(TICKERS), c + " (" + choice(TICKERS) + ")"])
        # so the headlines of every seed are unchanged; the sector follows the company the subject names
        t1 = r.choice(TICKERS)
        t2 = r.choice(TICKERS)
        k = r.choice(range(5))
        named = COMPANIES[TICKERS.index(t1)] if k == 3 else c
        self.last_sector = COMPANY_SECTOR[named]
        return [c, c, c, t1, c + " (" + t2 + ")"][k]

    def _compositional(self, label: int) -> str:
        r = self.r
        shape = r.random()
        noun = r.choice(POS_NOUNS)
        if label == NEU:
            return self._fill(r.choice(NEU_ACTIONS)).replace("{noun}", noun)
        acts, verbs, adjs = ((POS_ACTIONS, POS_VERBS, POS_METRICS_ADJ) if label == POS
                             else (NEG_ACTIONS, NEG_VERBS, NEG_METRICS_ADJ))
        if shape < 0.4:
            return self._fill(r.choice(acts)).replace("{noun}", noun)
        if shape < 0.7:
            pool = POS_NOUNS if label == POS else POS_NOUNS[:10] + NEG_NOUNS_ONLY
            return f"{r.choice(verbs)} on {r.choice(adjs)} {r.choice(pool)}"
        if shape < 0.85:
            if label == NEG and r.random() < 0.5:
                return f"{r.choice(NEG_NOUNS_ONLY)} {r.choice(['jump', 'mount', 'surge', 'widen', 'soar', 'rise'])}"
            if label == POS and r.random() < 0.5:
                return f"{r.choice(NEG_NOUNS_ONLY)} {r.choice(['shrink', 'ease', 'fall', 'narrow', 'drop'])}"
            return f"{noun} {r.choice(['beat', 'top', 'exceed'] if label == POS else ['miss', 'disappoint', 'lag'])} estimates"
        return f"{r.choice(verbs)} {self._fill('{p}%')}"

    def _clause(self, label: int) -> str:
        r = self.r
        if r.random() < 0.5:
            return self._compositional(label)
        if label == POS:
            return self._fill(r.choice(POS_EVENTS + POS_NUM + [t for t, _ in NEGATED_NEG]))
        if label == NEG:
            return self._fill(r.choice(NEG_EVENTS + NEG_NUM + [t for t, _ in NEGATED_POS]))
        return self._fill(r.choice(NEU_EVENTS + NEU_NUM))

    def headline(self, label: int) -> Tuple[str, int]:
        """One headline whose sentiment is `label`, in one of several shapes."""
        r = self.r
        subj = self._subject()
        shape = r.random()
        if shape < 0.40:
            text = f"{subj} {self._clause(label)}"
        elif shape < 0.55:
            pool = NEGATED_POS if label == NEG else NEGATED_NEG if label == POS else None
            if pool is None:
                text = f"{subj} {self._clause(NEU)}"
            else:
                text = f"{subj} {self._fill(r.choice([t for t, l in pool]))}"
        elif shape < 0.72 and label != NEU:
            # mixed news: the last clause decides ("X beats estimates but cuts guidance")
            other = r.choice([NEG if label == POS else POS, NEU])
            text = f"{subj} {self._clause(other)}{r.choice(CONNECT_BUT)}{self._clause(label)}"
        elif shape < 0.82 and label != NEU:
            # "despite": the main clause decides ("X shares fall despite record profit")
            other = NEG if label == POS else POS
            main = self._fill(r.choice(POS_NUM if label == POS else NEG_NUM))
            text = f"{subj} {main} despite {self._bare(other)}"
        elif shape < 0.92:
            verb = {POS: ["rises", "gains", "jumps", "climbs", "rallies"],
                    NEG: ["falls", "drops", "slides", "sinks", "tumbles"],
                    NEU: ["steady", "unchanged", "flat"]}[label]
            v = r.choice(verb)
            reason = self._bare(label)
            text = (f"{subj} shares {v} after {reason}" if label != NEU
                    else f"{subj} shares {v} ahead of {r.choice(['earnings', 'investor day', 'Fed decision', 'annual meeting'])}")
        else:
            who = r.choice(BANKS)
            act = {POS: ["upgrades", "raises price target on", "initiates coverage with buy on", "lifts rating on"],
                   NEG: ["downgrades", "cuts price target on", "initiates coverage with sell on", "lowers rating on"],
                   NEU: ["reiterates hold on", "maintains neutral rating on", "keeps price target on", "starts coverage with hold on"]}[label]
            text = f"{who} {r.choice(act)} {subj}"
        text = r.choice(SOURCES_PREFIX) + text
        if r.random() < 0.1:
            text = text.upper() if r.random() < 0.3 else text.lower()
        return text, label

    def _bare(self, label: int) -> str:
        r = self.r
        if label == POS:
            return self._fill(r.choice(["record profit", "strong results", "a buyback", "an upgrade",
                                        "FDA approval", "a big contract win", "upbeat guidance",
                                        "beating estimates", "a dividend increase", "a takeover bid"]))
        if label == NEG:
            return self._fill(r.choice(["a profit warning", "weak results", "a product recall",
                                        "a downgrade", "an SEC probe", "a guidance cut", "missing estimates",
                                        "job cuts", "a dividend cut", "fraud allegations"]))
        return self._fill(r.choice(["a board change", "a routine filing", "the investor meeting"]))

    def sample(self, n: int, weights=(0.34, 0.32, 0.34)) -> List[Tuple[str, int]]:
        return [(t, l) for t, l, _ in self.sample_with_sectors(n, weights)]

    def sample_with_sectors(self, n: int, weights=(0.34, 0.32, 0.34)) -> List[Tuple[str, int, str]]:
        """(headline, label, sector of the subject company); same headlines as sample() for a seed."""
        out = []
        for _ in range(n):
            label = self.r.choices([NEG, NEU, POS], weights=weights)[0]
            text, l = self.headline(label)
            out.append((text, l, self.last_sector))
        return out
