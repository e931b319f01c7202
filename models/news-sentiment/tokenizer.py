"""Headline tokenizer for `news-sentiment`, mirrored byte for byte in libs/trading (TypeScript).

The rules are deliberately small so the TypeScript copy cannot drift:
  1. lower-case; "n't" becomes " not" (so "doesn't" -> "does not");
  2. tokens are runs of [a-z], numbers ([0-9]+ with optional [.,][0-9]+ groups, optional %),
     or one of the clause breaks , . ; : ! ? (breaks are not features, they end negation scope);
     anything else separates tokens;
  3. numbers become "<pct>" when followed by %, else "<num>";
  4. after a negator (not, no, never, without) the next NEG_SCOPE word tokens are marked "neg_<word>"
     until a clause break;
  5. features: "u:<token>" for every (marked) token, "b:<w1> <w2>" for adjacent raw tokens within a
     clause; each hashed with 32-bit FNV-1a over its UTF-8 bytes into buckets 1..VOCAB-1 (0 pads);
  6. ids are truncated to MAX_LEN and right-padded with 0.
"""
from __future__ import annotations

import json
import os
import re
from typing import List

PARAMS = {
    "kind": "hashed-ngrams",
    "vocabSize": 16384,
    "maxLen": 64,
    "negators": ["not", "no", "never", "without"],
    "negationScope": 3,
    "breaks": [",", ".", ";", ":", "!", "?"],
    "hash": "fnv1a32",
    "featurePrefixes": {"unigram": "u:", "bigram": "b:", "negated": "neg_"},
    "numberTokens": {"percent": "<pct>", "number": "<num>"},
}

TOKEN_RE = re.compile(r"[a-z]+|[0-9]+(?:[.,][0-9]+)*%?|[,.;:!?]")


def fnv1a32(s: str) -> int:
    h = 0x811C9DC5
    for b in s.encode("utf-8"):
        h ^= b
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def bucket(feature: str) -> int:
    return fnv1a32(feature) % (PARAMS["vocabSize"] - 1) + 1


def tokens(text: str) -> List[str]:
    text = text.lower().replace("n't", " not")
    out = []
    for m in TOKEN_RE.finditer(text):
        t = m.group(0)
        if t[0].isdigit():
            t = PARAMS["numberTokens"]["percent"] if t.endswith("%") else PARAMS["numberTokens"]["number"]
        out.append(t)
    return out


def features(text: str) -> List[str]:
    breaks = set(PARAMS["breaks"]); negators = set(PARAMS["negators"])
    feats: List[str] = []
    scope = 0
    prev = None
    for t in tokens(text):
        if t in breaks:
            scope = 0; prev = None
            continue
        marked = ("neg_" + t) if scope > 0 else t
        feats.append("u:" + marked)
        if prev is not None:
            feats.append("b:" + prev + " " + t)
        if t in negators:
            scope = PARAMS["negationScope"]
        elif scope > 0:
            scope -= 1
        prev = t
    return feats


def encode(text: str) -> List[int]:
    ids = [bucket(f) for f in features(text)][: PARAMS["maxLen"]]
    return ids + [0] * (PARAMS["maxLen"] - len(ids))


def write_params(folder: str) -> str:
    path = os.path.join(folder, "tokenizer.json")
    with open(path, "w") as f:
        json.dump(PARAMS, f, indent=2)
        f.write("\n")
    return path
