"""Shows that news-sentiment's training-data filter catches each kind of bad row: a deliberately
corrupted copy of 3,000 generated training headlines (empty texts, an unknown label, a copy of a
hand-written held-out headline, a re-cased copy of one, a held-out headline with one word added,
the same headline with two labels) goes through train.filter_data with the training settings.

    nice -n 10 /usr/bin/python3 models/news-sentiment/check_filter.py      (about a minute; exit 1 if one is missed)
"""
from __future__ import annotations

import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import train as T  # noqa: E402


def main() -> int:
    gen = T.HeadlineGenerator(T.SEED).sample_with_sectors(3000)
    held = T.HeadlineGenerator(T.SEED + 1).sample_with_sectors(500)
    hand, hand_y, _ = T.read_handwritten()
    texts = [t for t, _, _ in gen]; labels = [l for _, l, _ in gen]
    held_texts = [t for t, _, _ in held] + hand; held_labels = [l for _, l, _ in held] + list(hand_y)
    faults = [("", 1, "rules: schema: empty text"), ("   ", 2, "rules: schema: empty text"),
              ("Zorblax Corp files quarterly report", 7, "rules: schema: unknown label"),
              (hand[0], 2, "rules: leakage: identical to a held-out input"),
              (hand[5].upper() + "!!", 2, "semantic: leakage: near-duplicate of a held-out input"),
              (hand[1] + " today", 2, "semantic: leakage: near-duplicate of a held-out input"),
              ("Fresh headline about Acme Corp widget sales today", 2, "semantic: contradiction"),
              ("fresh headline about ACME CORP widget sales today!", 0, "semantic: contradiction")]
    start = len(texts)
    texts += [t for t, _, _ in faults]; labels += [l for _, l, _ in faults]
    x = T.encode_all(texts)
    result = T.filter_data(texts, labels, held_texts, held_labels, T.hidden_representation(T.load_production(), x))
    print(json.dumps([(s["stage"], s["reasons"]) for s in result.report["stages"]]))
    missed = 0
    for i, (text, label, want) in enumerate(faults):
        got = result.reasons.get(start + i, "KEPT")
        ok = got.startswith(want)
        missed += not ok
        print(f"{'ok  ' if ok else 'MISS'} {text[:50]!r} label {label}: {got}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
