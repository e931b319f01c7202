"""Train clinical-ner: a BiLSTM BIO tagger with a relation head, exported to one ONNX model.

Command (from the repo root, Debian's interpreter; about 20 minutes on one quiet CPU thread):
    nice -n 10 /usr/bin/python3 models/clinical-ner/train.py

Writes the next version (production card's minor + 1) as a candidate to
models/clinical-ner/<version>/{model.onnx, vocab.json, heldout.json, tokenizer-fixtures.json,
data-filter.json, card.json} and records it in models/clinical-ner/stages.json; production
(models/clinical-ner/ itself) is only read. Before training, the segments go through
datakit.filter_training_set (see filter_segments) and are re-weighted by note kind from the
production model's per-kind entity F1 on the held-out rows (scored with tag_with_onnx.cjs, since
production exists only as ONNX). CLINICAL_NER_DEADLINE (epoch seconds) stops training after the
last epoch that fits before it; the card records the epochs actually run.

Model (one graph, two outputs):
  inputs  word_ids, shape_ids, prefix_ids, suffix_ids  int64 [batch, tokens]
          pairs  int64 [batch, pairs, 4] = (head first token, tail first token, head type, tail type)
  outputs tags       float32 [batch, tokens, 19]  BIO logits over the nine entity types
          relations  float32 [batch, pairs, 8]    logits over none + seven relation types
Serving runs it twice per batch of segments: once with a dummy pair to get tags, once with the
candidate pairs built from the decoded entities (libs/clinical-nlp/src/relations.ts).
Assertion (present/absent/possible/...) is not learned: it is the rule-based ConText
implementation in libs/clinical-nlp, measured separately (metrics.pipeline in the card).
"""
from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from datetime import datetime, timezone
from collections import Counter
from typing import Dict, List, Tuple

import numpy as np
import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(REPO, "models", "_toolchain"))
sys.path.insert(0, HERE)
import cardkit  # noqa: E402
import datakit  # noqa: E402
import generator  # noqa: E402
from tokenizer import MAX_TOKENS, affixes, features, segments, tokenize, word_form  # noqa: E402

SEED = 20260611
TRAIN_NOTES = int(os.environ.get("CLINICAL_NER_TRAIN_NOTES", "1000"))
TEST_NOTES = 200
EPOCHS = int(os.environ.get("CLINICAL_NER_EPOCHS", "9"))  # 9 on the filtered ~17k segments = about the steps of 6 on the unfiltered 25k
DEADLINE = float(os.environ.get("CLINICAL_NER_DEADLINE", "inf"))
ENTITY_TYPES = ["PROBLEM", "TEST", "TREATMENT", "DRUG", "STRENGTH", "FREQUENCY", "ROUTE", "DURATION", "VALUE"]
TAGS = ["O"] + [f"{p}-{t}" for t in ENTITY_TYPES for p in ("B", "I")]
RELATIONS = ["none", "has_strength", "has_frequency", "has_route", "has_duration", "has_value", "treats", "reveals"]
SIGNATURES = {  # head type -> tail types a relation can join (used to build candidate pairs)
    "DRUG": ["STRENGTH", "FREQUENCY", "ROUTE", "DURATION", "PROBLEM"],
    "TREATMENT": ["PROBLEM"],
    "TEST": ["VALUE", "PROBLEM"],
}
MAX_PAIRS = 96

torch.set_num_threads(1)
random.seed(SEED)
np.random.seed(SEED)
torch.manual_seed(SEED)


# ------------------------------------------------------------------ data
def build_vocab(docs) -> Dict[str, Dict[str, int]]:
    wc, pc, sc = Counter(), Counter(), Counter()
    for d in docs:
        for s, e in tokenize(d["text"]):
            tok = d["text"][s:e]
            wc[word_form(tok)] += 1
            p, x = affixes(tok)
            pc[p] += 1
            sc[x] += 1

    def index(counter, min_count):
        items = ["<pad>", "<unk>"] + sorted(k for k, v in counter.items() if v >= min_count)
        return {k: i for i, k in enumerate(items)}

    return {"words": index(wc, 2), "prefixes": index(pc, 3), "suffixes": index(sc, 3)}


def encode_doc(doc, vocab):
    """Segments of one note: features, BIO labels, candidate pairs with gold relation labels."""
    text = doc["text"]
    ents = sorted(doc["entities"], key=lambda e: e["start"])
    rel_of = {(r["head"], r["tail"]): RELATIONS.index(r["type"]) for r in doc["relations"]}
    out = []
    for seg in segments(text):
        feats = features(text, seg, vocab)
        labels = [0] * len(seg)
        seg_ents = []
        for e in ents:
            idx = [i for i, (s, t) in enumerate(seg) if s >= e["start"] and t <= e["end"]]
            if not idx:
                continue
            # every entity must start and end on token boundaries (checked, never assumed)
            assert seg[idx[0]][0] == e["start"] and seg[idx[-1]][1] == e["end"], (e, text[seg[idx[0]][0]:seg[idx[-1]][1]])
            ti = ENTITY_TYPES.index(e["type"])
            labels[idx[0]] = 1 + 2 * ti
            for i in idx[1:]:
                labels[i] = 2 + 2 * ti
            seg_ents.append((e, idx[0]))
        pairs, plabels = candidate_pairs([(e["id"], e["type"], first) for e, first in seg_ents], rel_of)
        out.append({"feats": feats, "labels": labels, "pairs": pairs, "pair_labels": plabels, "spans": seg,
                    "text": text[seg[0][0]:seg[-1][1]], "kind": doc.get("kind", "unknown")})
    return out


def candidate_pairs(ents: List[Tuple[str, str, int]], rel_of=None):
    pairs, labels = [], []
    for hid, htype, hfirst in ents:
        for tid, ttype, tfirst in ents:
            if hid == tid or ttype not in SIGNATURES.get(htype, []):
                continue
            pairs.append([hfirst, tfirst, ENTITY_TYPES.index(htype), ENTITY_TYPES.index(ttype)])
            labels.append(rel_of.get((hid, tid), 0) if rel_of is not None else 0)
    return pairs[:MAX_PAIRS], labels[:MAX_PAIRS]


def batchify(segs, with_pairs=True):
    B = len(segs)
    T = max(len(s["labels"]) for s in segs)
    P = max(1, max(len(s["pairs"]) for s in segs)) if with_pairs else 1
    arr = {k: np.zeros((B, T), dtype=np.int64) for k in ("word_ids", "shape_ids", "prefix_ids", "suffix_ids")}
    labels = np.full((B, T), -1, dtype=np.int64)
    pairs = np.zeros((B, P, 4), dtype=np.int64)
    plabels = np.full((B, P), -1, dtype=np.int64)
    for b, s in enumerate(segs):
        n = len(s["labels"])
        for k in arr:
            arr[k][b, :n] = s["feats"][k]
        labels[b, :n] = s["labels"]
        if with_pairs and s["pairs"]:
            pairs[b, :len(s["pairs"])] = s["pairs"]
            plabels[b, :len(s["pairs"])] = s["pair_labels"]
    return arr, labels, pairs, plabels


# ------------------------------------------------------------------ model
class ClinicalTagger(nn.Module):
    def __init__(self, n_words, n_prefix, n_suffix, hidden=96):
        super().__init__()
        self.word = nn.Embedding(n_words, 64, padding_idx=0)
        self.shape = nn.Embedding(14, 8, padding_idx=0)
        self.prefix = nn.Embedding(n_prefix, 16, padding_idx=0)
        self.suffix = nn.Embedding(n_suffix, 24, padding_idx=0)
        self.drop = nn.Dropout(0.25)
        # two unidirectional LSTMs instead of bidirectional=True: the backward one reads each row
        # reversed within its own length, so padding never reaches real tokens and a segment's
        # tags do not depend on what it was batched with (the serving batcher pads at the end)
        self.fwd = nn.LSTM(64 + 8 + 16 + 24, hidden, batch_first=True)
        self.bwd = nn.LSTM(64 + 8 + 16 + 24, hidden, batch_first=True)
        self.tag = nn.Linear(2 * hidden, len(TAGS))
        self.type_emb = nn.Embedding(len(ENTITY_TYPES), 8)
        self.dist_emb = nn.Embedding(81, 16)
        self.rel = nn.Sequential(nn.Linear(4 * hidden + 8 + 8 + 16, 128), nn.ReLU(), nn.Linear(128, len(RELATIONS)))

    def forward(self, word_ids, shape_ids, prefix_ids, suffix_ids, pairs):
        x = torch.cat([self.word(word_ids), self.shape(shape_ids), self.prefix(prefix_ids), self.suffix(suffix_ids)], -1)
        x = self.drop(x)
        T = word_ids.shape[1]
        lengths = (word_ids > 0).long().sum(1, keepdim=True)  # real tokens never have id 0
        pos = torch.arange(T, device=word_ids.device).unsqueeze(0).expand_as(word_ids)
        rev = torch.where(pos < lengths, lengths - 1 - pos, pos)  # reverse the real part only
        rev_x = torch.gather(x, 1, rev.unsqueeze(-1).expand(-1, -1, x.shape[-1]))
        hf, _ = self.fwd(x)
        hb_rev, _ = self.bwd(rev_x)
        hb = torch.gather(hb_rev, 1, rev.unsqueeze(-1).expand(-1, -1, hb_rev.shape[-1]))
        h = torch.cat([hf, hb], -1)
        h = self.drop(h)
        tags = self.tag(h)
        H = h.shape[-1]
        hi = pairs[:, :, 0].unsqueeze(-1).expand(-1, -1, H)
        ti = pairs[:, :, 1].unsqueeze(-1).expand(-1, -1, H)
        hv = torch.gather(h, 1, hi)
        tv = torch.gather(h, 1, ti)
        dist = torch.clamp(pairs[:, :, 1] - pairs[:, :, 0], -40, 40) + 40
        feats = torch.cat([hv, tv, self.type_emb(pairs[:, :, 2]), self.type_emb(pairs[:, :, 3]), self.dist_emb(dist)], -1)
        return tags, self.rel(feats)


def to_t(arr):
    return {k: torch.from_numpy(v) for k, v in arr.items()}


# ------------------------------------------------------------------ decoding + evaluation
def decode_bio(tag_ids: List[int], spans) -> List[Tuple[int, int, str, int]]:
    """BIO -> (start, end, type, first token); an I- without a matching open entity starts one."""
    out, cur = [], None
    for i, t in enumerate(tag_ids):
        lab = TAGS[t]
        if lab == "O":
            if cur:
                out.append(cur); cur = None
            continue
        p, typ = lab.split("-", 1)
        if p == "B" or cur is None or cur[2] != typ:
            if cur:
                out.append(cur)
            cur = [spans[i][0], spans[i][1], typ, i]
        else:
            cur[1] = spans[i][1]
    if cur:
        out.append(cur)
    return [tuple(c) for c in out]


def predict_docs(model, docs, vocab):
    """Full pipeline in Python (mirrors the TS one): entities per note, then relations."""
    model.eval()
    results = []
    with torch.no_grad():
        for d in docs:
            segs = encode_doc({"text": d["text"], "entities": [], "relations": []}, vocab)
            ents, rels = [], []
            if not segs:
                results.append(([], []))
                continue
            arr, _, pairs, _ = batchify(segs, with_pairs=False)
            tags, _ = model(**to_t(arr), pairs=torch.from_numpy(pairs))
            tag_ids = tags.argmax(-1).numpy()
            seg_ents = []
            for b, s in enumerate(segs):
                se = decode_bio(list(tag_ids[b, :len(s["spans"])]), s["spans"])
                ids = []
                for (st, en, typ, first) in se:
                    eid = f"P{len(ents) + 1}"
                    ents.append({"id": eid, "start": st, "end": en, "type": typ})
                    ids.append((eid, typ, first))
                pr, _ = candidate_pairs(ids)
                s["pairs"] = pr
                s["pair_labels"] = [0] * len(pr)
                seg_ents.append(ids)
            if any(s["pairs"] for s in segs):
                arr, _, pairs, _ = batchify(segs)
                _, rl = model(**to_t(arr), pairs=torch.from_numpy(pairs))
                rid = rl.argmax(-1).numpy()
                for b, s in enumerate(segs):
                    lookup = {}
                    for eid, typ, first in seg_ents[b]:
                        lookup[(first, ENTITY_TYPES.index(typ))] = eid
                    for k, (hf, tf, ht, tt) in enumerate(s["pairs"]):
                        if rid[b, k] != 0:
                            rels.append({"type": RELATIONS[rid[b, k]], "head": lookup[(hf, ht)], "tail": lookup[(tf, tt)]})
            results.append((ents, rels))
    return results


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / (p + r) if p + r else 0.0, 4),
            "support": tp + fn}


def evaluate(docs, preds) -> Dict:
    strict = {t: [0, 0, 0] for t in ENTITY_TYPES}
    lenient = {t: [0, 0, 0] for t in ENTITY_TYPES}
    rel = {r: [0, 0, 0] for r in RELATIONS[1:]}
    for d, (pe, pr) in zip(docs, preds):
        gold = d["entities"]
        gset = {(e["start"], e["end"], e["type"]) for e in gold}
        pset = {(e["start"], e["end"], e["type"]) for e in pe}
        for t in ENTITY_TYPES:
            g = {x for x in gset if x[2] == t}; p = {x for x in pset if x[2] == t}
            strict[t][0] += len(g & p); strict[t][1] += len(p - g); strict[t][2] += len(g - p)
            # lenient: overlap with the same type (each gold matched at most once)
            used = set()
            tp = 0
            for x in sorted(p):
                m = next((y for y in sorted(g) if y not in used and y[0] < x[1] and x[0] < y[1]), None)
                if m:
                    used.add(m); tp += 1
            lenient[t][0] += tp; lenient[t][1] += len(p) - tp; lenient[t][2] += len(g) - tp
        gid = {e["id"]: (e["start"], e["end"]) for e in gold}
        pid = {e["id"]: (e["start"], e["end"]) for e in pe}
        grel = {(r["type"], gid[r["head"]], gid[r["tail"]]) for r in d["relations"]}
        prel = {(r["type"], pid[r["head"]], pid[r["tail"]]) for r in pr}
        for r in RELATIONS[1:]:
            g = {x for x in grel if x[0] == r}; p = {x for x in prel if x[0] == r}
            rel[r][0] += len(g & p); rel[r][1] += len(p - g); rel[r][2] += len(g - p)

    def block(d):
        per = {k: prf(*v) for k, v in d.items()}
        tot = [sum(v[i] for v in d.values()) for i in range(3)]
        return {"micro": prf(*tot), "perType": per}

    return {"entitiesStrict": block(strict), "entitiesLenient": block(lenient), "relations": block(rel)}



# ------------------------------------------------------------------ data filter + slice weights
TAG_SET = set(TAGS)


def bio_problem(tags, n_tokens: int):
    """Why a segment's tag sequence breaks the BIO schema, or None."""
    if n_tokens == 0 or len(tags) == 0:
        return "empty sentence"
    if len(tags) != n_tokens:
        return "BIO: token/tag length mismatch"
    prev = "O"
    for t in tags:
        if t not in TAG_SET:
            return "BIO: unknown tag"
        if t.startswith("I-") and prev[2:] != t[2:]:
            return "BIO: I- without a preceding B-/I- of the same type"
        prev = t
    return None


def tag_spans(tags):
    """(first, last + 1, type) of each entity in a tag-name sequence (an I- of another type starts one)."""
    out, cur = [], None
    for i, t in enumerate(tags):
        if t == "O" or t not in TAG_SET:
            if cur:
                out.append(tuple(cur)); cur = None
            continue
        p, typ = t.split("-", 1)
        if p == "B" or cur is None or cur[2] != typ:
            if cur:
                out.append(tuple(cur))
            cur = [i, i + 1, typ]
        else:
            cur[1] = i + 1
    if cur:
        out.append(tuple(cur))
    return out


def type_consistency(rows, min_count: int = 5) -> np.ndarray:
    """Domain quality per segment: for each entity, how often its surface text carries this type
    relative to the surface's most frequent type across the training segments; the segment scores
    its worst entity. A span typed against what the rest of the corpus says (e.g. 'metformin'
    tagged PROBLEM) scores low; surfaces seen fewer than min_count times are not judged."""
    def surfaces(r):
        text, spans = r["text"], r["spans"]
        if not spans:
            return []  # an empty sentence has no entity to judge (stage 1 removes it)
        base = spans[0][0]
        return [(text[spans[a][0] - base:spans[b - 1][1] - base].lower(), typ) for a, b, typ in tag_spans(r["tags"])
                if b <= len(spans)]
    counts: Dict[str, Counter] = {}
    per_row = [surfaces(r) for r in rows]
    for ents in per_row:
        for surf, typ in ents:
            counts.setdefault(surf, Counter())[typ] += 1
    score = np.ones(len(rows))
    for i, ents in enumerate(per_row):
        for surf, typ in ents:
            c = counts[surf]
            top = max(c.values())
            if sum(c.values()) >= min_count:
                score[i] = min(score[i], c[typ] / top)
    return score


def token_key(s) -> str:
    """The sentence as datakit sees it: its tokens joined by spaces, punctuation tokens spelled as
    words (datakit's normalisation drops punctuation, which would make 'HEENT: normal' and
    'HEENT normal', with different token counts, look like one sentence with two tag sequences)."""
    base = s["spans"][0][0]
    toks = [s["text"][a - base:b - base] for a, b in s["spans"]]
    return " ".join(t if t.isalnum() else "_" + "_".join(f"{ord(c):x}" for c in t) + "_" for t in toks)


def filter_rows(segs, id_prefix: str):
    """datakit rows of encoded segments: sentence text, datakit key, tuple of tag names, token spans."""
    return [{"id": f"{id_prefix}{i}", "text": s["text"], "key": token_key(s), "tags": tuple(TAGS[l] for l in s["labels"]),
             "spans": s["spans"]} for i, s in enumerate(segs)]


def raw_contradictions(rows) -> Dict:
    """Sentences that occur in the generated training data with more than one tag sequence, counted
    before any filtering (the filter's own contradiction count is what is left after exact
    duplicates and leakage have been removed, so it undercounts what the generator produces)."""
    seqs: Dict[str, Counter] = {}
    for r in rows:
        seqs.setdefault(r["key"], Counter())[r["tags"]] += 1
    bad = {k: c for k, c in seqs.items() if len(c) > 1}
    examples = [{"sentence": k, "tagSequences": [[" ".join(t), n] for t, n in c.most_common()]}
                for k, c in sorted(bad.items(), key=lambda kv: -sum(kv[1].values()))[:5]]
    return {"sentences": len(bad), "rows": int(sum(sum(c.values()) for c in bad.values())), "examples": examples}


def filter_segments(rows, held_rows) -> "datakit.FilterResult":
    """Three-stage filter (datakit) over training segments: BIO schema rules, leakage against the
    held-out segments (generated test split and hand-written notes), contradictions (same sentence
    text, different tag sequences), near-duplicates, and type consistency as the quality score.
    No quality_features: the neighbour model votes on whole tag sequences, which are nearly unique
    per segment, so its agreement score would say nothing (and its class table would be huge).
    Leakage is checked against held-out sentences that hold an entity: an entity-free held-out line
    is the note format's fixed text ('HPI:', 'Kind regards,'), which every generated note shares;
    removing every training copy of it left the model never seeing those lines (a first run did:
    it tagged 'Kind regards,' as a PROBLEM and scored 0.74 entity F1 on held-out lines seen in
    training). Training copies of such lines are still cut to one by the duplicate rule."""
    held_rows = [r for r in held_rows if any(t != "O" for t in r["tags"])]
    train_ex = datakit.Examples(ids=[r["id"] for r in rows], labels=[r["tags"] for r in rows],
                                texts=[r["key"] for r in rows])
    held_ex = datakit.Examples(ids=[r["id"] for r in held_rows], labels=[r["tags"] for r in held_rows],
                               texts=[r["key"] for r in held_rows])
    return datakit.filter_training_set(train_ex, held_ex,
                                       domain_checks=lambda i: bio_problem(rows[i]["tags"], len(rows[i]["spans"])),
                                       domain_quality=type_consistency(rows), min_quality=0.2)


def entity_f1_by_slice(labels: np.ndarray, pred: np.ndarray, slices) -> Tuple[Dict[str, float], Dict[str, int], float]:
    """Strict entity F1 per slice over held-out segments (BIO decoded on token indices), the
    number of segments per slice, and the F1 over all segments."""
    counts: Dict[str, List[int]] = {}
    for r, sl in enumerate(slices):
        n = int((labels[r] >= 0).sum())
        spans = [(i, i + 1) for i in range(n)]
        g = {e[:3] for e in decode_bio([int(t) for t in labels[r, :n]], spans)}
        p = {e[:3] for e in decode_bio([int(t) for t in pred[r, :n]], spans)}
        c = counts.setdefault(sl, [0, 0, 0, 0])
        c[0] += len(g & p); c[1] += len(p - g); c[2] += len(g - p); c[3] += 1
    f1 = {k: prf(*v[:3])["f1"] for k, v in counts.items()}
    tot = [sum(v[i] for v in counts.values()) for i in range(3)]
    return f1, {k: v[3] for k, v in counts.items()}, prf(*tot)["f1"]


def onnx_tags(model_path: str, heldout_path: str) -> np.ndarray:
    """Argmax tags of an exported model on a held-out file, through onnxruntime-node."""
    out = os.path.join(os.path.dirname(heldout_path), ".onnx-tags.tmp.json")
    subprocess.run(["node", os.path.join(HERE, "tag_with_onnx.cjs"), model_path, heldout_path, out], check=True)
    with open(out) as f:
        tags = np.array(json.load(f)["tags"], dtype=np.int64)
    os.remove(out)
    return tags


def record_candidate(version: str, reason: str) -> None:
    path = os.path.join(HERE, "stages.json")
    doc = json.load(open(path)) if os.path.exists(path) else {"versions": {}}
    doc.setdefault("versions", {})[version] = {"stage": "candidate", "changedAt": datetime.now(timezone.utc).isoformat(),
                                               "by": "training", "reason": reason}
    with open(path, "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")

# ------------------------------------------------------------------ main
def main():
    t0 = time.time()
    prod_card = json.load(open(os.path.join(HERE, "card.json")))
    prod_version = prod_card["version"]
    version = bump(prod_version)
    out_dir = os.path.join(HERE, version)
    os.makedirs(out_dir, exist_ok=True)

    train_docs = generator.generate(TRAIN_NOTES, SEED)
    test_docs = generator.generate(TEST_NOTES, SEED + 1)
    with open(os.path.join(REPO, "data", "emr", "heldout", "notes.json"), encoding="utf-8") as f:
        hand_docs = json.load(f)["notes"]
    vocab = build_vocab(train_docs)  # from all generated notes, as before: the vocabulary stays that of production
    all_train = [s for d in train_docs for s in encode_doc(d, vocab)]
    test = [s for d in test_docs for s in encode_doc(d, vocab)]
    hand_segs = [s for d in hand_docs for s in encode_doc(d, vocab)]  # also checks the hand spans align
    print(f"vocab words={len(vocab['words'])} prefixes={len(vocab['prefixes'])} suffixes={len(vocab['suffixes'])}; "
          f"segments train={len(all_train)} test={len(test)} hand={len(hand_segs)}", flush=True)

    # ---------------- 1. filter the training segments (held-out: every test and hand-written segment)
    rows = filter_rows(all_train, "train/")
    held_rows = filter_rows(test, "test/") + filter_rows(hand_segs, "hand/")
    filt = filter_segments(rows, held_rows)
    train = [s for s, k in zip(all_train, filt.keep) if k]
    filt.report["contradictionsBeforeFiltering"] = raw_contradictions(rows)
    filter_name = datakit.write_filter_report(
        out_dir, "clinical-ner", version, filt,
        "Segments (lines, the unit the model tags) of the generated training notes; label = tuple of BIO tags. "
        "Held-out rows checked for leakage: every segment holding an entity of the generated test notes (seed+1) "
        "and of the hand-written notes in data/emr/heldout (entity-free lines are the note format's fixed text, "
        "shared by every note; see filter_segments). Stage 1 adds BIO schema rules (empty sentence, token/tag length "
        "mismatch, unknown tag, I- without a preceding B-/I- of the same type); stage 3 uses only a domain score "
        "(type consistency: an entity's surface text typed against the type it carries elsewhere in the corpus), "
        "no neighbour model.")
    print(f"filter: kept {len(train)} of {len(all_train)}", json.dumps([(st['stage'], st['reasons']) for st in filt.report['stages']]),
          f"({time.time() - t0:.0f}s)", flush=True)

    # ---------------- 2. held-out rows (fixed) and the production model per note kind on them
    ho = test[:400]
    ho_kinds = [s["kind"] for s in ho]
    arr, labels, _, _ = batchify(ho, with_pairs=False)
    pairs0 = np.zeros((len(ho), 1, 4), dtype=np.int64)
    heldout_name = cardkit.write_heldout(out_dir, {**arr, "pairs": pairs0}, labels, groups={"noteKind": ho_kinds})
    # production's own vocabulary encodes the same rows for production
    prod_vocab_doc = json.load(open(os.path.join(HERE, "vocab.json"), encoding="utf-8"))
    prod_vocab = {k: {w: i for i, w in enumerate(prod_vocab_doc[k])} for k in ("words", "prefixes", "suffixes")}
    prod_ho = [s for d in test_docs for s in encode_doc(d, prod_vocab)][:400]
    p_arr, p_labels, _, _ = batchify(prod_ho, with_pairs=False)
    assert (p_labels == labels).all()
    prod_ho_path = os.path.join(out_dir, ".prod-heldout.tmp.json")
    cardkit.write_heldout(out_dir, {**p_arr, "pairs": pairs0}, p_labels, name=os.path.basename(prod_ho_path))
    before, support, before_all = entity_f1_by_slice(labels, onnx_tags(os.path.join(HERE, "model.onnx"), prod_ho_path), ho_kinds)
    os.remove(prod_ho_path)
    weights = datakit.slice_weights(before, before_all, min_support=support)
    seg_w = datakit.example_weights([s["kind"] for s in train], weights)
    print(f"production {prod_version} entity F1 by note kind", before, "overall", before_all, "weights", weights, flush=True)

    model = ClinicalTagger(len(vocab["words"]), len(vocab["prefixes"]), len(vocab["suffixes"]))
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    tag_loss = nn.CrossEntropyLoss(ignore_index=-1, reduction="none")
    # relation labels are mostly "none": weight the positives up a little
    rel_w = torch.ones(len(RELATIONS)); rel_w[0] = 0.5
    rel_loss = nn.CrossEntropyLoss(ignore_index=-1, weight=rel_w, reduction="none")
    rng = random.Random(SEED)
    BATCH = 96
    epochs_run = 0
    for epoch in range(EPOCHS):
        te = time.time()
        model.train()
        # bucket by length for speed, shuffle buckets
        order = sorted(range(len(train)), key=lambda i: (len(train[i]["labels"]), rng.random()))
        batches = [order[i:i + BATCH] for i in range(0, len(order), BATCH)]
        rng.shuffle(batches)
        total, n = 0.0, 0
        for bi in batches:
            arr_b, labels_b, pairs, plabels = batchify([train[i] for i in bi])
            # word dropout: replace 5% of known words by <unk> so unseen drug names still tag
            w = arr_b["word_ids"]
            mask = (np.random.rand(*w.shape) < 0.05) & (w > 1)
            w[mask] = 1
            bw = torch.from_numpy(seg_w[bi].astype(np.float32))  # note-kind weight of each segment
            tags, rels = model(**to_t(arr_b), pairs=torch.from_numpy(pairs))
            y = torch.from_numpy(labels_b)
            tl = tag_loss(tags.reshape(-1, len(TAGS)), y.reshape(-1)).reshape(y.shape)
            valid = (y >= 0).float()
            # weighted sum over the plain mean's denominator: with all weights 1 this is the old loss
            loss = (tl * valid * bw[:, None]).sum() / valid.sum()
            if (plabels >= 0).any():
                py = torch.from_numpy(plabels)
                rl = rel_loss(rels.reshape(-1, len(RELATIONS)), py.reshape(-1)).reshape(py.shape)
                pvalid = py >= 0
                denom = rel_w[py.clamp(min=0)][pvalid].sum()
                loss = loss + (rl * pvalid.float() * bw[:, None]).sum() / denom
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            opt.step()
            total += float(loss); n += 1
        for g in opt.param_groups:
            g["lr"] *= 0.7
        epochs_run = epoch + 1
        took = time.time() - te
        print(f"epoch {epoch + 1}/{EPOCHS} loss {total / n:.4f} ({time.time() - t0:.0f}s, epoch {took:.0f}s)", flush=True)
        if epoch + 1 < EPOCHS and time.time() + 1.1 * took > DEADLINE:
            print(f"stopping after {epochs_run} epochs: another would end after CLINICAL_NER_DEADLINE", flush=True)
            break

    model.eval()
    gen_preds = predict_docs(model, test_docs, vocab)
    hand_preds = predict_docs(model, hand_docs, vocab)
    gen_metrics = evaluate(test_docs, gen_preds)
    hand_metrics = evaluate(hand_docs, hand_preds)
    print("generated test: strict", gen_metrics["entitiesStrict"]["micro"], "rel", gen_metrics["relations"]["micro"])
    print("hand-written:   strict", hand_metrics["entitiesStrict"]["micro"], "lenient",
          hand_metrics["entitiesLenient"]["micro"], "rel", hand_metrics["relations"]["micro"], flush=True)

    def by_kind(docs, preds):
        out = {}
        for kind in sorted({d["kind"] for d in docs}):
            idx = [i for i, d in enumerate(docs) if d["kind"] == kind]
            m = evaluate([docs[i] for i in idx], [preds[i] for i in idx])
            out[kind] = {"n": len(idx), "entityF1Strict": m["entitiesStrict"]["micro"]["f1"],
                         "entityF1Lenient": m["entitiesLenient"]["micro"]["f1"], "relationF1": m["relations"]["micro"]["f1"],
                         "support": m["entitiesStrict"]["micro"]["support"]}  # gold entities (a count, not a metric)
        return out

    # ---------------- export
    onnx_path = os.path.join(out_dir, "model.onnx")
    ex_arr, _, ex_pairs, _ = batchify(test[:4])
    cardkit.export_onnx(model, [torch.from_numpy(ex_arr[k]) for k in ("word_ids", "shape_ids", "prefix_ids", "suffix_ids")]
                        + [torch.from_numpy(ex_pairs)], onnx_path,
                        input_names=["word_ids", "shape_ids", "prefix_ids", "suffix_ids", "pairs"],
                        output_names=["tags", "relations"],
                        dynamic_axes={"word_ids": {0: "batch", 1: "tokens"}, "shape_ids": {0: "batch", 1: "tokens"},
                                      "prefix_ids": {0: "batch", 1: "tokens"}, "suffix_ids": {0: "batch", 1: "tokens"},
                                      "pairs": {0: "batch", 1: "pairs"}, "tags": {0: "batch", 1: "tokens"},
                                      "relations": {0: "batch", 1: "pairs"}})

    vocab_doc = {
        "tokenizer": "letters | digits | single other char; whitespace = JavaScript \\s; see models/clinical-ner/tokenizer.py",
        "maxSegmentTokens": MAX_TOKENS,
        "maxPairs": MAX_PAIRS,
        "tags": TAGS, "entityTypes": ENTITY_TYPES, "relations": RELATIONS, "signatures": SIGNATURES,
        "words": list(vocab["words"].keys()), "prefixes": list(vocab["prefixes"].keys()),
        "suffixes": list(vocab["suffixes"].keys()),
    }
    with open(os.path.join(out_dir, "vocab.json"), "w", encoding="utf-8") as f:
        json.dump(vocab_doc, f, ensure_ascii=False)

    # tokenizer parity fixtures for the TypeScript tokenizer
    fixtures = []
    samples = [d["text"] for d in hand_docs[:3]] + [test_docs[0]["text"],
               "Metformin 500mg PO BID x7 days; Zoë’s BP 120/80 → ok\u00a0q6h prn\r\nNa 134 (L)\tK+ 5.2 µg °C"]
    for text in samples:
        segs = segments(text)
        fixtures.append({"text": text, "segments": [{"spans": [list(x) for x in s], **features(text, s, vocab)} for s in segs]})
    with open(os.path.join(out_dir, "tokenizer-fixtures.json"), "w", encoding="utf-8") as f:
        json.dump(fixtures, f, ensure_ascii=False)

    # held-out tensors that `npm run models:check` re-scores (generated notes, seed+1), written above
    with torch.no_grad():
        tags, _ = model(**to_t(arr), pairs=torch.from_numpy(pairs0))
    pred = tags.argmax(-1).numpy()
    mask = labels >= 0
    tok_metrics = cardkit.multiclass_metrics(labels[mask], pred[mask], len(TAGS))
    probs = torch.softmax(tags, -1).max(-1).values.numpy()[mask]
    after, _, after_all = entity_f1_by_slice(labels, onnx_tags(onnx_path, os.path.join(out_dir, heldout_name)), ho_kinds)
    print(f"{version} entity F1 by note kind", after, "overall", after_all, flush=True)

    old = prod_card
    card = {
        "name": "clinical-ner",
        "version": version,
        "task": "token-classification",
        "description": "BIO tagger for clinical entities (PROBLEM, TEST, TREATMENT, DRUG, STRENGTH, FREQUENCY, ROUTE, "
                       "DURATION, VALUE) with a relation head (has_strength, has_frequency, has_route, has_duration, "
                       "has_value, treats, reveals) over candidate entity pairs; for structuring notes in apps/emr. "
                       "Assertion is rule-based (ConText) in libs/clinical-nlp, not part of this model.",
        "inputs": [{"name": k, "dtype": "int64", "shape": ["batch", "tokens"]} for k in ("word_ids", "shape_ids", "prefix_ids", "suffix_ids")]
                  + [{"name": "pairs", "dtype": "int64", "shape": ["batch", "pairs", 4]}],
        "outputs": [{"name": "tags", "dtype": "float32", "shape": ["batch", "tokens", len(TAGS)]},
                    {"name": "relations", "dtype": "float32", "shape": ["batch", "pairs", len(RELATIONS)]}],
        "labels": TAGS,
        "preprocessing": {"vocab": "vocab.json", "tokenizer": "models/clinical-ner/tokenizer.py (mirrored in libs/clinical-nlp)",
                          "maxSegmentTokens": MAX_TOKENS, "relationLabels": RELATIONS, "entityTypes": ENTITY_TYPES,
                          "pairs": "(head first token, tail first token, head type index, tail type index)",
                          "spanConventions": "i2b2 2010 / n2c2 2018: minimal spans, no leading articles, no trailing "
                                             "punctuation; DURATION without 'for'/'x'; FREQUENCY includes an attached prn"},
        "heldout": {"path": heldout_name, "rows": int(len(ho)),
                    "description": "400 segments of generated notes (generator seed+1, never trained on), with the note kind "
                                   "of each row in groups.noteKind; the hand-written notes in data/emr/heldout are scored at "
                                   "entity level in metrics.handwritten"},
        "evaluation": {"kind": "token-multiclass", "output": "tags", "ignoreLabel": -1, "tolerance": 0.02},
        "metrics": {
            "heldout": {k: round(v, 4) for k, v in tok_metrics.items()},
            "handwritten": {"notes": len(hand_docs), "source": "data/emr/heldout/notes.json", **hand_metrics,
                            "before": {"version": prod_version,
                                       "entitiesStrict": old["metrics"]["handwritten"]["entitiesStrict"]["micro"],
                                       "entitiesLenient": old["metrics"]["handwritten"]["entitiesLenient"]["micro"],
                                       "relations": old["metrics"]["handwritten"]["relations"]["micro"]},
                            "caveat": "34 notes written by hand, independently of generator.py's templates but by the same "
                                      "author; they use drugs, abbreviations and phrasings the generator never produces. "
                                      "The gap to the generated split is the honest measure of how far synthetic training "
                                      "transfers; real notes are likely to score lower still."},
            "generated": {"notes": len(test_docs), "source": f"generator.py seed {SEED + 1}", **gen_metrics},
            "groups": {
                "noteKind": by_kind(test_docs, gen_preds),
                "handwrittenNoteKind": by_kind(hand_docs, hand_preds),
            },
            "groupsDescription": "entity/relation F1 per note kind from the Python pipeline (train.py predict_docs: "
                                 "segments, BIO decoding, relation pairs) on whole notes: noteKind = the 200 generated "
                                 "test notes, handwrittenNoteKind = the 34 hand-written notes; n = notes, support = gold entities",
        },
        "reference": {
            "inputs": cardkit.reference_block({
                "segment_tokens": np.array([len(s["labels"]) for s in test], dtype=np.float64),
                "unknown_word_fraction": np.array([np.mean(np.array(s["feats"]["word_ids"]) == 1) for s in test]),
            }),
            "outputs": cardkit.reference_block({
                "tags": pred[mask].astype(np.float64),
                "max_tag_probability": probs.astype(np.float64),
            }),
        },
        "training": {"data": f"{TRAIN_NOTES} notes from models/clinical-ner/generator.py (seed {SEED}); drug names from "
                             "libs/clinical-nlp/src/vocabulary/atc-drugs.tsv (written by this project); "
                             f"{len(train)} of {len(all_train)} segments kept by the data filter",
                     "command": "nice -n 10 /usr/bin/python3 models/clinical-ner/train.py", "seed": SEED,
                     "rows": len(train), "epochs": epochs_run, "epochsPlanned": EPOCHS,
                     "seconds": round(time.time() - t0),
                     "dataFilter": filter_name,
                     "reweighting": datakit.reweighting_record(
                         "entityF1Strict", "noteKind", weights, before, after, support, before_version=prod_version,
                         note="strict entity F1 per note kind on the 400 held-out segments (BIO decoded per segment), "
                              f"production {prod_version} overall {before_all}, this version overall {after_all}; "
                              "weights from datakit.slice_weights, multiplied into the tag and relation losses per segment"),
                     },
    }
    cardkit.write_card(out_dir, card, files=("model.onnx", "vocab.json", "tokenizer-fixtures.json", filter_name))
    record_candidate(version, f"trained by models/clinical-ner/train.py ({epochs_run} epochs, filtered, re-weighted by note kind)")
    print("token metrics", tok_metrics, f"total {time.time() - t0:.0f}s")


def bump(v: str) -> str:
    a, b, c = (int(x) for x in v.split("."))
    return f"{a}.{b + 1}.0" if (a, b, c) != (0, 0, 0) else "1.0.0"


if __name__ == "__main__":
    main()
