"""The clinical-ner tokenizer and featurizer, mirrored exactly by libs/clinical-nlp (TypeScript).

Tokens: a maximal run of letters (Unicode L*/M*), a maximal run of decimal digits (Nd), or any
other single non-space character. Whitespace is the set JavaScript's `\\s` matches. Offsets are
[start, end) indices into the note. "500mg" -> "500", "mg"; "q6h" -> "q", "6", "h"; so entity
boundaries of the annotation conventions always fall on token boundaries.

Segments: the note is split at line breaks; a line with more than MAX_TOKENS tokens is cut into
consecutive windows of MAX_TOKENS. Each segment is tagged independently.

Features per token (ids into vocab.json):
  word   lowercase form; digit runs become "0" * min(len, 4)
  shape  base shape (lower, Title, UPPER, mixed, digits, other) * 2 + (1 if whitespace or line
         start precedes the token)
  prefix / suffix  first / last 3 characters of the lowercased letter token (len >= 4), else a
         marker ("<short>" for short words, "<num>" for digits, "<sym>" for other characters)
"""
from __future__ import annotations

import unicodedata
from typing import Dict, List, Tuple

MAX_TOKENS = 96
JS_SPACE = set("\t\n\v\f\r \u00a0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff") | {chr(c) for c in range(0x2000, 0x200B)}
PAD, UNK = "<pad>", "<unk>"


def char_class(ch: str) -> str:
    if ch in JS_SPACE:
        return "space"
    cat = unicodedata.category(ch)
    if cat[0] in ("L", "M"):
        return "letter"
    if cat == "Nd":
        return "digit"
    return "other"


def tokenize(text: str) -> List[Tuple[int, int]]:
    out: List[Tuple[int, int]] = []
    i, n = 0, len(text)
    while i < n:
        c = char_class(text[i])
        if c == "space":
            i += 1
            continue
        j = i + 1
        if c in ("letter", "digit"):
            while j < n and char_class(text[j]) == c:
                j += 1
        out.append((i, j))
        i = j
    return out


def segments(text: str) -> List[List[Tuple[int, int]]]:
    """Token spans grouped into segments (lines, cut into MAX_TOKENS windows)."""
    segs: List[List[Tuple[int, int]]] = []
    line_start = 0
    for line in text.split("\n"):
        toks = [(s + line_start, e + line_start) for s, e in tokenize(line)]
        for k in range(0, len(toks), MAX_TOKENS):
            segs.append(toks[k:k + MAX_TOKENS])
        line_start += len(line) + 1
    return [s for s in segs if s]


def word_form(tok: str) -> str:
    if char_class(tok[0]) == "digit":
        return "0" * min(len(tok), 4)
    return tok.lower()


def base_shape(tok: str) -> int:
    c = char_class(tok[0])
    if c == "digit":
        return 5
    if c != "letter":
        return 6
    if tok == tok.lower():
        return 1
    if tok == tok.upper():
        return 3
    if tok[0] == tok[0].upper() and tok[1:] == tok[1:].lower():
        return 2
    return 4


def affixes(tok: str) -> Tuple[str, str]:
    c = char_class(tok[0])
    if c == "digit":
        return "<num>", "<num>"
    if c != "letter":
        return "<sym>", "<sym>"
    low = tok.lower()
    if len(low) < 4:
        return "<short>", "<short>"
    return low[:3], low[-3:]


def features(text: str, seg: List[Tuple[int, int]], vocab: Dict[str, Dict[str, int]]) -> Dict[str, List[int]]:
    w, sh, pre, suf = [], [], [], []
    for s, e in seg:
        tok = text[s:e]
        w.append(vocab["words"].get(word_form(tok), 1))
        space_before = 1 if s == 0 or text[s - 1] in JS_SPACE else 0
        sh.append(base_shape(tok) * 2 + space_before)
        p, x = affixes(tok)
        pre.append(vocab["prefixes"].get(p, 1))
        suf.append(vocab["suffixes"].get(x, 1))
    return {"word_ids": w, "shape_ids": sh, "prefix_ids": pre, "suffix_ids": suf}
