"""Train `news-sentiment` 1.1.0: hashed uni/bigram embedding bag -> MLP -> P(negative, neutral, positive).

    nice -n 10 /usr/bin/python3 models/news-sentiment/train.py      (from the repository root)

Trains on headlines from headlines.py (seed 1), measures on generator headlines from another seed
and on heldout-handwritten.tsv (177 headlines written by hand, independent of the generator's
templates, the card's headline metric). Production stays at models/news-sentiment/; this version
is written to models/news-sentiment/1.1.0/ as a candidate (card.json, model.onnx, tokenizer.json,
heldout.json with sector and class groups, data-filter.json, model.pruned.onnx) and recorded in
stages.json. The tokenizer (tokenizer.py / tokenizer.json) is unchanged from 1.0.1, so the served
TypeScript tokenizer and tokenizer-fixture.json stay valid.

Pipeline (issue 9):
  1. datakit.filter_training_set on the generated training rows, against the generator held-out
     rows and the hand-written headlines (leakage and near-duplicate leakage); stage 3 judges each
     label by its neighbours in production 1.0.1's sentence representation (see QUALITY).
  2. Production 1.0.1 is measured per sentiment class (recall) and per sector (accuracy) on the
     generator held-out rows; datakit.slice_weights turns the weak slices into weights and each
     example's loss is multiplied by class weight x sector weight (normalised to mean 1).
     The hand-written set is never used to set weights (it is the external number).
  3. structured-pruned variants (prune.py, which can also re-make them for a trained version).
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import os
import sys
from types import SimpleNamespace

import numpy as np
import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "models", "_toolchain"))
sys.path.insert(0, HERE)

import cardkit  # noqa: E402
import datakit  # noqa: E402
from headlines import LABELS, SECTORS, HeadlineGenerator  # noqa: E402
import tokenizer as tok  # noqa: E402

SEED = 20261128
VERSION = "1.1.0"
BEFORE_VERSION = "1.0.1"          # the production model measured for the re-weighting
OUT = os.path.join(HERE, VERSION)
N_TRAIN = 40000
N_GEN_HELDOUT = 3000
DIM = 48
HIDDEN = 32
EPOCHS = 6
# Near-duplicate text threshold (word 3-shingle Jaccard). Generated headlines are 5-15 words; at 0.8
# two headlines must share nearly all their word triples, i.e. differ only in a source prefix
# ("BRIEF-"), casing/punctuation or one edge word of a long headline. A one-word change in the middle
# of a 10-word headline already falls to ~0.45, and such pairs carry different cues, so they stay.
NEAR_DUP_JACCARD = 0.8
MIN_QUALITY = 0.2
# Slice weights: alpha sharpens (overall / slice) because the generator held-out gaps are small
# (a few points); capped at 3 so no slice dominates.
WEIGHT_ALPHA = 4.0
WEIGHT_CAP = 3.0
UNKNOWN_SECTOR = "Unknown"


class HashedBagClassifier(nn.Module):
    """Mean of hashed n-gram embeddings (id 0 = padding) -> 2-layer MLP -> softmax."""

    def __init__(self, vocab: int, dim: int, hidden: int, classes: int):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim, padding_idx=0)
        # small init: buckets never seen in training (unknown words) stay near zero instead of
        # adding random noise to the mean
        nn.init.normal_(self.emb.weight, std=0.01)
        with torch.no_grad():
            self.emb.weight[0].zero_()
        self.mlp = nn.Sequential(nn.Linear(dim, hidden), nn.ReLU(), nn.Linear(hidden, classes))

    def pooled(self, ids: torch.Tensor) -> torch.Tensor:
        mask = (ids != 0).float().unsqueeze(-1)
        summed = (self.emb(ids) * mask).sum(dim=1)
        count = mask.sum(dim=1).clamp(min=1.0)
        return summed / count

    def logits(self, ids: torch.Tensor) -> torch.Tensor:
        return self.mlp(self.pooled(ids))

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        return torch.softmax(self.logits(ids), dim=-1)


class PrunedBagClassifier(nn.Module):
    """The same network on a pruned table: hashed id -> compact row (0 pad, 1 UNK, 2.. kept buckets)
    through a remap table inside the graph, so it takes the served model's input_ids unchanged.
    UNK rows count in the mean like any token (as an unseen bucket does in the full model)."""

    def __init__(self, remap: np.ndarray, emb: np.ndarray, mlp: nn.Sequential):
        super().__init__()
        self.register_buffer("remap", torch.from_numpy(remap.astype(np.int64)))
        self.emb = nn.Embedding(emb.shape[0], emb.shape[1], padding_idx=0)
        with torch.no_grad():
            self.emb.weight.copy_(torch.from_numpy(emb))
        self.mlp = mlp

    def logits(self, ids: torch.Tensor) -> torch.Tensor:
        mask = (ids != 0).float().unsqueeze(-1)
        summed = (self.emb(self.remap[ids]) * mask).sum(dim=1)
        return self.mlp(summed / mask.sum(dim=1).clamp(min=1.0))

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        return torch.softmax(self.logits(ids), dim=-1)


def encode_all(texts):
    return np.array([tok.encode(t) for t in texts], dtype=np.int64)


def read_handwritten():
    with open(os.path.join(HERE, "heldout-handwritten.tsv")) as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    with open(os.path.join(HERE, "handwritten-sectors.tsv")) as f:
        sector_of = {r["company"]: r["sector"] for r in csv.DictReader(f, delimiter="\t")}
    texts = [r["headline"] for r in rows]
    sectors = []
    for t in texts:
        hits = [c for c in sector_of if c in t]
        if len(hits) != 1:
            raise ValueError(f"hand-written headline {t!r} names {len(hits)} tagged companies")
        sectors.append(sector_of[hits[0]])
    return texts, np.array([LABELS.index(r["label"]) for r in rows], dtype=np.int64), sectors


def load_production() -> HashedBagClassifier:
    """BEFORE_VERSION's weights from its ONNX file: at the top while it is production, in its version
    folder once retired (so a re-run after promotion still compares against the same model)."""
    import onnx
    from onnx import numpy_helper
    with open(os.path.join(HERE, "card.json")) as f:
        top = json.load(f)["version"]
    folder = HERE if top == BEFORE_VERSION else os.path.join(HERE, BEFORE_VERSION)
    m = onnx.load(os.path.join(folder, "model.onnx"))
    w = {i.name: torch.from_numpy(numpy_helper.to_array(i).copy()) for i in m.graph.initializer}
    model = HashedBagClassifier(tok.PARAMS["vocabSize"], DIM, HIDDEN, len(LABELS))
    model.load_state_dict({k: w[k] for k in model.state_dict()})
    return model.eval()


def predict(model, x: np.ndarray) -> np.ndarray:
    model.eval()
    with torch.no_grad():
        return model(torch.from_numpy(x)).numpy()


def hidden_representation(model: HashedBagClassifier, x: np.ndarray) -> np.ndarray:
    """The model's sentence representation: the MLP's hidden layer over the mean embedding."""
    with torch.no_grad():
        return model.mlp[1](model.mlp[0](model.pooled(torch.from_numpy(x)))).numpy()


def per_slice(y: np.ndarray, pred: np.ndarray, groups) -> tuple:
    """(accuracy per group, rows per group) over the rows of each group."""
    groups = np.asarray(groups)
    acc, n = {}, {}
    for g in sorted(set(groups.tolist())):
        m = groups == g
        acc[g] = float((pred[m] == y[m]).mean()); n[g] = int(m.sum())
    return acc, n


def class_recall(y, pred):
    return per_slice(y, pred, [LABELS[i] for i in y])


def train(model, x_train: torch.Tensor, y_train: torch.Tensor, w_train: torch.Tensor, epochs: int, lr: float,
          log=None, params=None):
    opt = torch.optim.Adam(params if params is not None else model.parameters(), lr=lr, weight_decay=0.0)
    loss_fn = nn.CrossEntropyLoss(label_smoothing=0.05, reduction="none")
    n = len(x_train)
    for epoch in range(epochs):
        perm = torch.randperm(n)
        model.train(); total = 0.0
        for i in range(0, n, 128):
            idx = perm[i:i + 128]
            # token dropout: forces the model to use several cues, which generalises better to
            # headlines phrased unlike the templates
            ids = x_train[idx].clone()
            drop = (torch.rand(ids.shape) < 0.1) & (ids != 0)
            ids[drop] = 0
            loss = (loss_fn(model.logits(ids), y_train[idx]) * w_train[idx]).mean()
            opt.zero_grad(); loss.backward(); opt.step()
            total += float(loss) * len(idx)
        if log:
            log(epoch, total / n)
    model.eval()
    return model


def filter_data(train_texts, train_labels, held_texts, held_labels, quality_features):
    train_ex = datakit.Examples(ids=[f"train:{i}" for i in range(len(train_texts))], labels=list(train_labels),
                                texts=list(train_texts))
    held_ex = datakit.Examples(ids=[f"held:{i}" for i in range(len(held_texts))], labels=list(held_labels),
                               texts=list(held_texts))
    return datakit.filter_training_set(train_ex, held_ex, allowed_labels=list(range(len(LABELS))),
                                       text_near_duplicate=NEAR_DUP_JACCARD, min_quality=MIN_QUALITY,
                                       quality_features=quality_features)


def prepare(out=None):
    """Generated and hand-written rows, production BEFORE_VERSION's predictions, the filter (its report
    written to `out` when given) and the per-example weights of the kept training rows."""
    gen_train = HeadlineGenerator(SEED).sample_with_sectors(N_TRAIN)
    gen_held = HeadlineGenerator(SEED + 1).sample_with_sectors(N_GEN_HELDOUT)
    train_texts = [t for t, _, _ in gen_train]; train_labels = np.array([l for _, l, _ in gen_train])
    train_sectors = np.array([s for _, _, s in gen_train])
    gen_texts = [t for t, _, _ in gen_held]; y_gen = np.array([l for _, l, _ in gen_held])
    gen_sectors = [s for _, _, s in gen_held]
    hand_texts, y_hand, hand_sectors = read_handwritten()
    x_all_train = encode_all(train_texts)
    x_gen = encode_all(gen_texts); x_hand = encode_all(hand_texts)

    # ---- production, before ---------------------------------------------------------------------
    prod = load_production()
    p_gen_before = predict(prod, x_gen).argmax(1); p_hand_before = predict(prod, x_hand).argmax(1)

    # ---- 1. filter ------------------------------------------------------------------------------
    # QUALITY: neighbours in production's 32-d hidden representation (mean hashed-feature embedding
    # through the first MLP layer). It sees the tokenizer's negation marks and bigrams, which a plain
    # bag of words does not, so "fails to beat estimates" is not judged by "beats estimates".
    quality = hidden_representation(prod, x_all_train)
    result = filter_data(train_texts, train_labels, gen_texts + hand_texts,
                         list(y_gen) + list(y_hand), quality)
    keep = result.keep
    contradictions = {k: v for st in result.report["stages"] for k, v in st["reasons"].items() if "contradiction" in k}
    print("filter:", json.dumps({s["stage"]: s["reasons"] for s in result.report["stages"]}), flush=True)
    if out:
        datakit.write_filter_report(
            out, "news-sentiment", VERSION, result,
            description=(f"{N_TRAIN} generated training headlines (seed {SEED}) against {N_GEN_HELDOUT} generator held-out "
                         f"headlines (seed {SEED + 1}) and the 177 hand-written headlines. Text near-duplicates at word "
                         f"3-shingle Jaccard >= {NEAR_DUP_JACCARD}. Stage 3: 10-nearest-neighbour label agreement in "
                         f"production {BEFORE_VERSION}'s 32-d hidden representation (quality_features); no domain_quality."))

    # ---- 2. weights from production's weak slices on the generator held-out rows ------------------
    rec_before, n_class = class_recall(y_gen, p_gen_before)
    sec_before, n_sector = per_slice(y_gen, p_gen_before, gen_sectors)
    overall_before = float((p_gen_before == y_gen).mean())
    w_class = datakit.slice_weights(rec_before, overall_before, alpha=WEIGHT_ALPHA, max_weight=WEIGHT_CAP,
                                    min_support=n_class)
    w_sector = datakit.slice_weights(sec_before, overall_before, alpha=WEIGHT_ALPHA, max_weight=WEIGHT_CAP,
                                     min_support=n_sector)
    print("before: class recall", rec_before, "sector acc", sec_before, "\nweights", w_class, w_sector, flush=True)
    kept_idx = np.nonzero(keep)[0]
    w = (datakit.example_weights([LABELS[l] for l in train_labels[kept_idx]], w_class)
         * datakit.example_weights(list(train_sectors[kept_idx]), w_sector))
    w = w / w.mean()

    x_train = torch.from_numpy(x_all_train[kept_idx]); y_train = torch.from_numpy(train_labels[kept_idx]).long()
    w_train = torch.from_numpy(w.astype(np.float32))
    return SimpleNamespace(**{k: v for k, v in locals().items() if k not in ("out", "log")})


def main() -> None:
    with open(os.path.join(HERE, "card.json")) as f:
        if json.load(f)["version"] == VERSION:
            raise SystemExit(f"{VERSION} is production already; bump VERSION (and BEFORE_VERSION) for a new version")
    torch.set_num_threads(1)
    torch.manual_seed(SEED)
    np.random.seed(SEED)
    os.makedirs(OUT, exist_ok=True)

    d = prepare(OUT)
    (x_train, y_train, w_train, x_gen, y_gen, x_hand, y_hand) = (d.x_train, d.y_train, d.w_train, d.x_gen, d.y_gen,
                                                                   d.x_hand, d.y_hand)
    (hand_texts, hand_sectors, gen_sectors, p_gen_before, p_hand_before) = (d.hand_texts, d.hand_sectors, d.gen_sectors,
                                                                             d.p_gen_before, d.p_hand_before)
    (keep, contradictions, w_class, w_sector, rec_before, n_class, sec_before, n_sector) = (
        d.keep, d.contradictions, d.w_class, d.w_sector, d.rec_before, d.n_class, d.sec_before, d.n_sector)
    model = HashedBagClassifier(tok.PARAMS["vocabSize"], DIM, HIDDEN, len(LABELS))

    def log(epoch, loss):
        pg = predict(model, x_gen).argmax(1); ph = predict(model, x_hand).argmax(1)
        print(f"epoch {epoch}: loss {loss:.4f} gen-acc {(pg == y_gen).mean():.4f} hand-acc {(ph == y_hand).mean():.4f}",
              flush=True)
    train(model, x_train, y_train, w_train, EPOCHS, 3e-3, log)

    p_gen = predict(model, x_gen); p_hand = predict(model, x_hand)
    p_gen_after = p_gen.argmax(1); p_hand_after = p_hand.argmax(1)
    rec_after, _ = class_recall(y_gen, p_gen_after)
    sec_after, _ = per_slice(y_gen, p_gen_after, gen_sectors)
    m_gen = cardkit.multiclass_metrics(y_gen, p_gen_after, 3)
    m_hand = cardkit.multiclass_metrics(y_hand, p_hand_after, 3)
    m_hand_before = cardkit.multiclass_metrics(y_hand, p_hand_before, 3)
    m_gen_before = cardkit.multiclass_metrics(y_gen, p_gen_before, 3)
    hand_rec_before, hand_n_class = class_recall(y_hand, p_hand_before)
    hand_rec_after, _ = class_recall(y_hand, p_hand_after)
    hand_sec_before, hand_n_sector = per_slice(y_hand, p_hand_before, hand_sectors)
    hand_sec_after, _ = per_slice(y_hand, p_hand_after, hand_sectors)
    conf = np.zeros((3, 3), dtype=int)
    for a, b in zip(y_hand, p_hand_after):
        conf[a, b] += 1
    print("generator held-out", m_gen_before, "->", m_gen, "\nhand-written", m_hand_before, "->", m_hand,
          "\nconfusion (rows=true)\n", conf, flush=True)
    errors = [{"headline": t, "label": LABELS[a], "predicted": LABELS[b]}
              for t, a, b in zip(hand_texts, y_hand, p_hand_after) if a != b]

    onnx_path = os.path.join(OUT, "model.onnx")
    cardkit.export_onnx(model, [torch.from_numpy(x_hand[:2])], onnx_path, ["input_ids"], ["probabilities"],
                        {"input_ids": {0: "batch"}, "probabilities": {0: "batch"}})
    tok.write_params(OUT)
    cardkit.write_heldout(OUT, {"input_ids": x_hand}, y_hand,
                          groups={"sector": hand_sectors, "class": [LABELS[i] for i in y_hand]})

    # ---- 3. structured pruning (prune.py) ----------------------------------------------------------
    import prune
    variants = prune.build_variants(model, x_train, y_train, w_train, x_gen, y_gen, x_hand, y_hand, OUT, VERSION)

    reference_x = x_train[:5000]
    p_train = predict(model, reference_x.numpy())
    full_params = int(sum(p.numel() for p in model.parameters()))
    card = {
        "name": "news-sentiment",
        "version": VERSION,
        "task": "multiclass-classification",
        "description": ("Sentiment of a financial news headline (or headline + first sentence) for quant "
                        "researchers: P(NEGATIVE), P(NEUTRAL), P(POSITIVE); score = P(POSITIVE) - P(NEGATIVE)."),
        "inputs": [{"name": "input_ids", "dtype": "int64", "shape": ["batch", tok.PARAMS["maxLen"]]}],
        "outputs": [{"name": "probabilities", "dtype": "float32", "shape": ["batch", 3]}],
        "labels": LABELS,
        "preprocessing": {"tokenizer": "tokenizer.json", **tok.PARAMS,
                          "score": "probabilities[POSITIVE] - probabilities[NEGATIVE]",
                          "notes": "Reimplemented in libs/trading/src/sentiment/headline-tokenizer.ts; "
                                   "tokenizer-fixture.json holds Python's features and ids for its equality test."},
        "heldout": {"path": "heldout.json", "rows": int(len(y_hand)),
                    "description": ("heldout-handwritten.tsv: 177 headlines written by hand, independently of the "
                                    "generator's templates (other company names, other phrasing), labels by the author; "
                                    "groups: sector (tagged per company in handwritten-sectors.tsv from the name or the "
                                    "headline; 'Unknown' where neither tells) and true class")},
        "evaluation": {"kind": "multiclass", "output": "probabilities", "tolerance": 0.01},
        "metrics": {
            "heldout": {"accuracy": m_hand["accuracy"], "macroF1": m_hand["macroF1"]},
            "generatorHeldout": {**m_gen, "rows": N_GEN_HELDOUT, "seed": SEED + 1},
            "handwrittenConfusion": {"rows": "true label", "columns": "predicted", "order": LABELS,
                                     "matrix": conf.tolist()},
            "handwrittenErrors": errors,
            "groups": {
                "generatorSector": {s: {"n": n_sector[s], "accuracy": sec_after[s]} for s in sec_after},
                "generatorClass": {c: {"n": n_class[c], "recall": rec_after[c]} for c in rec_after},
            },
        },
        "variants": variants,
        "reference": {
            "inputs": {"tokenCount": cardkit.reference_histogram((reference_x.numpy() != 0).sum(1))},
            # per class column ("<tensor>:<column>") so the drift monitor observes them by itself
            "outputs": {f"probabilities:{k}": cardkit.reference_histogram(p_train[:, k]) for k in range(3)},
        },
        "training": {
            "data": ("generated headlines (models/news-sentiment/headlines.py): plain events, numbers with direction "
                     "words, negation that flips an event, mixed news (clause after 'but' decides, 'despite' keeps "
                     "the main clause), analyst actions; 10% upper/lower-cased; each headline's sector is its "
                     "subject company's (headlines.COMPANY_SECTOR)"),
            "command": "nice -n 10 /usr/bin/python3 models/news-sentiment/train.py",
            "seed": SEED, "rows": int(keep.sum()), "generatedRows": N_TRAIN, "epochs": EPOCHS,
            "embeddingDim": DIM, "hidden": HIDDEN, "parameters": full_params,
            "dataFilter": "data-filter.json",
            "contradictions": {"found": contradictions,
                               "note": "generated headlines whose normalised text (or a near-identical one) also "
                                       "appears with another label; every copy is removed"},
            "reweighting": {
                "class": datakit.reweighting_record(
                    "recall", "true sentiment class", w_class, rec_before, rec_after, n_class, BEFORE_VERSION,
                    note=(f"measured on the {N_GEN_HELDOUT} generator held-out headlines (seed {SEED + 1}); weight = "
                          f"(overall accuracy / slice recall) ** {WEIGHT_ALPHA}, cap {WEIGHT_CAP}; multiplied with the "
                          "sector weight into each example's loss, normalised to mean 1")),
                "sector": datakit.reweighting_record(
                    "accuracy", "sector of the subject company", w_sector, sec_before, sec_after, n_sector,
                    BEFORE_VERSION, note=f"same held-out rows and rule as the class weights"),
                "handwritten": {
                    "note": ("external check, not used for the weights: the hand-written set per class (recall) and "
                             "per tagged sector (accuracy), production before vs this version after"),
                    "accuracy": {"before": m_hand_before["accuracy"], "after": m_hand["accuracy"]},
                    "macroF1": {"before": m_hand_before["macroF1"], "after": m_hand["macroF1"]},
                    "classRecall": {c: {"n": hand_n_class[c], "before": hand_rec_before[c], "after": hand_rec_after[c]}
                                    for c in hand_rec_before},
                    "sectorAccuracy": {s: {"n": hand_n_sector[s], "before": hand_sec_before[s], "after": hand_sec_after[s]}
                                       for s in hand_sec_before},
                },
                "generatorBefore": m_gen_before,
            },
            "developmentNote": ("The hand-written set was scored during development of 1.0.x: a first generator scored "
                                "0.52 accuracy on it, the generator's vocabulary was then broadened with general "
                                "financial verbs/nouns (not copied from the set) and embeddings initialised near zero, "
                                "and one mean+max pooling variant (0.64) was tried and dropped. So the set is not a "
                                "pristine test set; expect somewhat lower accuracy on genuinely new headlines. In "
                                f"{VERSION} it set no weight and chose no setting."),
            "limitations": ("English headlines only; a bag of hashed uni/bigrams with 3-token negation scope, so long "
                            "range structure and sarcasm are missed; trained on templates, so phrasing far from them "
                            "scores worse (see handwrittenErrors). Sectors in the generated data are a property of the "
                            "company name only, so per-sector gaps there measure name cues, not sector language."),
        },
    }
    cardkit.write_card(OUT, card, files=("model.onnx", "tokenizer.json", "data-filter.json",
                                        *(v["file"] for v in variants)))
    record_candidate(m_hand, m_hand_before)
    print("wrote", os.path.join(OUT, "card.json"), flush=True)


def record_candidate(m_hand, m_hand_before) -> None:
    path = os.path.join(HERE, "stages.json")
    stages = json.load(open(path)) if os.path.exists(path) else {"versions": {}}
    stages["versions"][VERSION] = {
        "stage": "candidate", "changedAt": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")[:-4] + "Z",
        "by": "training",
        "reason": (f"retrained on filtered data with class/sector re-weighting; hand-written accuracy "
                   f"{m_hand_before['accuracy']:.4f} ({BEFORE_VERSION}) -> {m_hand['accuracy']:.4f}")}
    with open(path, "w") as f:
        json.dump(stages, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        raise SystemExit(__doc__)
    main()
