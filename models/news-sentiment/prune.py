"""Structured pruning of a trained `news-sentiment` version into smaller variants (card.variants).

    nice -n 10 /usr/bin/python3 models/news-sentiment/prune.py [version]     (default: train.VERSION)

train.py calls build_variants after training; run alone, this script re-makes the variants of a
trained version (at the top if it is production, else in models/news-sentiment/<version>/) from the
same kept, weighted training rows, and rewrites that version's card.variants and file checksums.

Each variant is structured, not sparse: whole rows of the hashed embedding table (buckets seen fewer
than `min_count` times in the kept training rows share one UNK row) and whole embedding dimensions
(those with the largest weight norm over the kept rows are kept, with the first MLP layer's matching
columns), then a short fine-tune. The bucket-to-row remap table is a constant inside the graph, so
every variant takes the same input_ids from the same tokenizer as the served model.
"""
from __future__ import annotations

import json
import os
import sys

import numpy as np
import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import train as T  # noqa: E402  (first: it puts models/_toolchain on the path)
import cardkit  # noqa: E402
import tokenizer as tok  # noqa: E402

# (name, file, min_count, embedding dims): vocabulary only, then vocabulary and dimensions, so the
# table shows which of the two costs accuracy
VARIANTS = [("pruned-vocab", "model.pruned-vocab.onnx", 3, T.DIM), ("pruned", "model.pruned.onnx", 3, 24)]
FINE_TUNE_EPOCHS = 2


def prune(model: T.HashedBagClassifier, x_kept: np.ndarray, min_count: int, dim: int) -> T.PrunedBagClassifier:
    counts = np.bincount(x_kept.ravel(), minlength=tok.PARAMS["vocabSize"])
    counts[0] = 0
    kept = np.nonzero(counts >= min_count)[0]
    remap = np.ones(tok.PARAMS["vocabSize"], dtype=np.int64)   # every other bucket -> UNK (1)
    remap[0] = 0
    remap[kept] = np.arange(2, 2 + len(kept))
    full = model.emb.weight.detach().numpy()
    dims = np.sort(np.argsort(-np.linalg.norm(full[kept], axis=0))[:dim])
    emb = np.zeros((2 + len(kept), dim), dtype=np.float32)
    emb[1] = full[remap == 1][:, dims].mean(0)                 # UNK: the mean of the dropped buckets
    emb[2:] = full[kept][:, dims]
    mlp = nn.Sequential(nn.Linear(dim, T.HIDDEN), nn.ReLU(), nn.Linear(T.HIDDEN, len(T.LABELS)))
    with torch.no_grad():
        mlp[0].weight.copy_(model.mlp[0].weight[:, torch.from_numpy(dims)]); mlp[0].bias.copy_(model.mlp[0].bias)
        mlp[2].weight.copy_(model.mlp[2].weight); mlp[2].bias.copy_(model.mlp[2].bias)
    pruned = T.PrunedBagClassifier(remap, emb, mlp)
    pruned.kept_buckets = len(kept)
    return pruned


def build_variants(model, x_train, y_train, w_train, x_gen, y_gen, x_hand, y_hand, out: str, version: str = T.VERSION):
    """Prunes, fine-tunes and exports every VARIANTS entry into `out`; returns the card.variants entries."""
    entries = []
    for name, file, min_count, dim in VARIANTS:
        torch.manual_seed(T.SEED)
        pruned = prune(model, x_train.numpy(), min_count, dim)
        before = cardkit.multiclass_metrics(y_hand, T.predict(pruned, x_hand).argmax(1), 3)
        T.train(pruned, x_train, y_train, w_train, FINE_TUNE_EPOCHS, 1e-3,
                lambda e, l: print(f"{name} fine-tune {e}: loss {l:.4f}", flush=True))
        hand = cardkit.multiclass_metrics(y_hand, T.predict(pruned, x_hand).argmax(1), 3)
        gen = cardkit.multiclass_metrics(y_gen, T.predict(pruned, x_gen).argmax(1), 3)
        cardkit.export_onnx(pruned, [torch.from_numpy(x_hand[:2])], os.path.join(out, file), ["input_ids"],
                            ["probabilities"], {"input_ids": {0: "batch"}, "probabilities": {0: "batch"}})
        params = int(sum(p.numel() for p in pruned.parameters()))
        cut = f", embedding cut from {T.DIM} to the {dim} dimensions with the largest weight norm (first MLP layer's " \
              "matching columns kept)" if dim < T.DIM else f", all {T.DIM} embedding dimensions kept"
        entries.append({
            "name": name, "file": file,
            "method": (f"structured pruning of {version}: hashed buckets seen fewer than {min_count} times in the kept "
                       f"training rows share one UNK row ({pruned.kept_buckets} of {tok.PARAMS['vocabSize'] - 1} buckets "
                       f"kept){cut}, {FINE_TUNE_EPOCHS} epochs of fine-tuning on the same weighted rows. The "
                       "bucket-to-row remap table is inside the graph, so the variant takes the same input_ids from the "
                       "same tokenizer (tokenizer.json) as the served model."),
            "parameters": params,
            "training": {"handwrittenBeforeFineTune": before, "handwritten": hand, "generatorHeldout": gen},
        })
        print(f"{name}: {pruned.kept_buckets} buckets, {dim} dims, {params} parameters, hand-written "
              f"{before['accuracy']:.4f} -> {hand['accuracy']:.4f}, generator {gen['accuracy']:.4f}", flush=True)
    return entries


def main() -> None:
    version = sys.argv[1] if len(sys.argv) > 1 else T.VERSION
    with open(os.path.join(HERE, "card.json")) as f:
        folder = HERE if json.load(f)["version"] == version else os.path.join(HERE, version)
    with open(os.path.join(folder, "card.json")) as f:
        card = json.load(f)
    torch.set_num_threads(1)
    import onnx
    from onnx import numpy_helper
    w = {i.name: torch.from_numpy(numpy_helper.to_array(i).copy())
         for i in onnx.load(os.path.join(folder, "model.onnx")).graph.initializer}
    model = T.HashedBagClassifier(tok.PARAMS["vocabSize"], T.DIM, T.HIDDEN, len(T.LABELS))
    model.load_state_dict({k: w[k] for k in model.state_dict()})
    model.eval()
    d = T.prepare()
    if int(d.keep.sum()) != card["training"]["rows"]:
        raise SystemExit(f"kept {int(d.keep.sum())} rows, the card says {card['training']['rows']}: not the same data")
    entries = build_variants(model, d.x_train, d.y_train, d.w_train, d.x_gen, d.y_gen, d.x_hand, d.y_hand, folder, version)
    old = {v["file"] for v in card.get("variants", [])} - {v["file"] for v in entries}
    for f in old:
        card["files"].pop(f, None)
        if os.path.exists(os.path.join(folder, f)):
            os.remove(os.path.join(folder, f))
    card["variants"] = entries
    cardkit.write_card(folder, card, files=[v["file"] for v in entries])
    print("wrote", os.path.join(folder, "card.json"), flush=True)


if __name__ == "__main__":
    main()
