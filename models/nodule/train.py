"""Train the `nodule` model: a small 3D CNN that classifies CT patches around nodule candidates.

Command (from the repository root, after writing the patches with the serving pipeline itself):

    nice -n 10 node -r @swc-node/register models/nodule/make-dataset.ts .cache/nodule 30 12
    nice -n 10 node -r @swc-node/register models/nodule/measure-heldout.ts .cache/nodule
    nice -n 10 /usr/bin/python3 models/nodule/train.py .cache/nodule

Input `patch` float32 [N, 1, 24, 24, 24]: HU sampled every 1.25 mm around the candidate (axes z, y, x
in patient space), window [-1000, 400] HU mapped to [-1, 1]. Output `probs` float32 [N, 4]: softmax
over [non-nodule, solid, part-solid, ground-glass]; P(nodule) = 1 - probs[:, 0].

Held-out phantoms (seeds 900000+) are generated separately from the training phantoms (seeds 1000+),
and the FROC / CPM, type accuracy and diameter errors in the card are measured on them.
"""
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "models", "_toolchain"))
import cardkit  # noqa: E402

SEED = 7
S = 24
LABELS = ["non-nodule", "solid", "part-solid", "ground-glass"]
HU_MIN, HU_MAX = -1000.0, 400.0
FP_RATES = [0.125, 0.25, 0.5, 1, 2, 4, 8]

torch.set_num_threads(1)
torch.manual_seed(SEED)
np.random.seed(SEED)


def load(folder, split):
    raw = np.fromfile(os.path.join(folder, f"{split}.bin"), dtype="<i2").reshape(-1, S, S, S)
    with open(os.path.join(folder, f"{split}.jsonl")) as f:
        meta = [json.loads(line) for line in f if line.strip()]
    with open(os.path.join(folder, f"{split}-scans.json")) as f:
        scans = json.load(f)["scans"]
    assert len(meta) == raw.shape[0], (len(meta), raw.shape)
    return raw, meta, scans


def normalize(hu):
    x = 2.0 * (hu.astype(np.float32) - HU_MIN) / (HU_MAX - HU_MIN) - 1.0
    return np.clip(x, -1.0, 1.0)


class NoduleNet(nn.Module):
    def __init__(self):
        super().__init__()

        def block(cin, cout):
            return nn.Sequential(nn.Conv3d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm3d(cout), nn.ReLU(inplace=True))

        self.features = nn.Sequential(
            block(1, 8), nn.MaxPool3d(2),      # 12
            block(8, 16), nn.MaxPool3d(2),     # 6
            block(16, 32), nn.MaxPool3d(2),    # 3
            nn.Conv3d(32, 48, 3), nn.ReLU(inplace=True),  # 1
        )
        self.head = nn.Sequential(nn.Flatten(), nn.Dropout(0.2), nn.Linear(48, 4))

    def forward(self, x):
        return self.head(self.features(x))


class Exported(nn.Module):
    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, patch):
        return torch.softmax(self.net(patch), dim=1)


def augment(batch):
    # flips along each axis and an in-plane transpose: nodules have no preferred orientation
    for ax in (1, 2, 3):
        if np.random.rand() < 0.5:
            batch = np.flip(batch, axis=ax)
    if np.random.rand() < 0.5:
        batch = np.swapaxes(batch, 2, 3)
    return np.ascontiguousarray(batch)


def predict(model, x, bs=256):
    """Softmax probabilities, as the exported model returns them."""
    model.eval()
    out = []
    with torch.no_grad():
        for i in range(0, len(x), bs):
            out.append(torch.softmax(model(torch.from_numpy(normalize(x[i:i + bs])[:, None])), dim=1).numpy())
    return np.concatenate(out) if out else np.zeros((0, 4), np.float32)


def froc(meta, probs, scans):
    """LUNA16-style FROC: a nodule counts once; extra hits on a found nodule are neither TP nor FP."""
    p_nod = 1.0 - probs[:, 0]
    order = np.argsort(-p_nod, kind="mergesort")
    total = sum(len(s["nodules"]) for s in scans)
    found = set()
    fps = 0
    curve = []  # (fp per scan, sensitivity, threshold)
    for i in order:
        m = meta[i]
        if m["label"] > 0:
            key = (m["scan"], m["nodule"])
            if key in found:
                continue
            found.add(key)
        else:
            fps += 1
        curve.append((fps / len(scans), len(found) / total, float(p_nod[i])))
    sens = {}
    for r in FP_RATES:
        ok = [s for f, s, _ in curve if f <= r]
        sens[str(r)] = max(ok) if ok else 0.0
    thr = {}
    for r in FP_RATES:
        ok = [t for f, s, t in curve if f <= r]
        thr[str(r)] = min(ok) if ok else 1.0
    return {
        "sensitivityAtFpPerScan": sens,
        "cpm": float(np.mean(list(sens.values()))),
        "maxSensitivity": len(found) / total if total else 0.0,
        "candidateSensitivity": len({(m["scan"], m["nodule"]) for m in meta if m["label"] > 0}) / total,
        "nodules": total,
        "scans": len(scans),
        "candidatesPerScan": len(meta) / len(scans),
        "thresholdAtFpPerScan": thr,
    }


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".cache", "nodule")
    steps = int(os.environ.get("NODULE_STEPS", "1800"))
    configured_steps = steps
    xtr, mtr, str_ = load(folder, "train")
    xho, mho, sho = load(folder, "heldout")
    ytr = np.array([m["label"] for m in mtr], dtype=np.int64)
    yho = np.array([m["label"] for m in mho], dtype=np.int64)
    print(f"train {len(ytr)} patches {np.bincount(ytr, minlength=4)}; heldout {len(yho)} {np.bincount(yho, minlength=4)}", flush=True)

    model = NoduleNet()
    weights = os.path.join(folder, "model.pt")
    if os.environ.get("NODULE_EVAL_ONLY") == "1":
        # re-score and re-export the weights of the last training run (no retraining)
        model.load_state_dict(torch.load(weights))
        steps = 0
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=max(1, steps))
    pos = np.where(ytr > 0)[0]
    neg = np.where(ytr == 0)[0]
    bs = 32
    t0 = time.time()
    for step in range(steps):
        model.train()
        idx = np.concatenate([np.random.choice(neg, bs // 2), np.random.choice(pos, bs // 2)])
        xb = augment(normalize(xtr[idx])[:, None])
        logits = model(torch.from_numpy(xb))
        loss = nn.functional.cross_entropy(logits, torch.from_numpy(ytr[idx]))
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        if step % 200 == 0 or step == steps - 1:
            print(f"step {step} loss {loss.item():.4f} {time.time() - t0:.0f}s", flush=True)

    if steps:
        torch.save(model.state_dict(), weights)
        train_seconds = round(time.time() - t0)
    else:
        previous = os.path.join(HERE, "card.json")
        train_seconds = json.load(open(previous)).get("training", {}).get("trainSeconds") if os.path.exists(previous) else None
    probs = predict(model, xho)
    f = froc(mho, probs, sho)
    pred = probs.argmax(1)
    mc = cardkit.multiclass_metrics(yho, pred, 4)
    bin_ = cardkit.binary_metrics((yho > 0).astype(np.int64), 1 - probs[:, 0])
    tp = yho > 0
    type_pred = probs[tp][:, 1:].argmax(1) + 1
    type_acc = float((type_pred == yho[tp]).mean()) if tp.any() else 0.0
    per_type = {LABELS[c]: float((type_pred[yho[tp] == c] == c).mean()) if (yho[tp] == c).any() else None for c in (1, 2, 3)}
    print(json.dumps(f, indent=1), mc, bin_, type_acc, per_type, flush=True)

    # held-out set for models:check: a few patches per class from held-out phantoms (kept small)
    rng = np.random.RandomState(SEED)
    pick = []
    for c in range(4):
        ids = np.where(yho == c)[0]
        pick.extend(rng.choice(ids, size=min(12, len(ids)), replace=False).tolist())
    pick = np.array(sorted(pick))
    hx = normalize(xho[pick])[:, None].astype(np.float32)
    hy = yho[pick].astype(np.int64)

    onnx_path = os.path.join(HERE, "model.onnx")
    exported = Exported(model).eval()
    cardkit.export_onnx(exported, [torch.from_numpy(hx[:2])], onnx_path, ["patch"], ["probs"], {"patch": {0: "batch"}, "probs": {0: "batch"}})
    heldout_name = cardkit.write_heldout(HERE, {"patch": hx}, hy)
    with torch.no_grad():
        hp = exported(torch.from_numpy(hx)).numpy()
    check = cardkit.multiclass_metrics(hy, hp.argmax(1), 4)

    measure_path = os.path.join(folder, "measurements.json")
    measurements = json.load(open(measure_path)) if os.path.exists(measure_path) else None

    card = {
        "name": "nodule",
        "version": "1.0.0",
        "task": "3d-patch-classification",
        "description": "Classifies a CT patch around a lung-nodule candidate as non-nodule (vessel, chest wall, airway wall, noise) or a solid, part-solid or ground-glass nodule; used by the imaging service to reject candidate false positives and to type nodules.",
        "inputs": [{"name": "patch", "dtype": "float32", "shape": ["batch", 1, S, S, S]}],
        "outputs": [{"name": "probs", "dtype": "float32", "shape": ["batch", 4]}],
        "labels": LABELS,
        "preprocessing": {
            "patchSize": S,
            "stepMm": 1.25,
            "axes": "z,y,x in patient LPS space, centred on the candidate",
            "huWindow": [HU_MIN, HU_MAX],
            "scale": "x = clip(2 * (hu - huMin) / (huMax - huMin) - 1, -1, 1)",
            "outside": -1000,
            "pNodule": "1 - probs[:, 0]",
        },
        "heldout": {"path": heldout_name, "rows": int(len(hy)),
                    "description": "candidate patches from held-out phantoms (seeds 900000+), up to 12 per class"},
        "evaluation": {"kind": "multiclass", "output": "probs", "tolerance": 0.02},
        "metrics": {
            "heldout": check,
            "heldoutCandidates": {**mc, "rows": int(len(yho)),
                                  "noduleVsNot": {k: bin_[k] for k in ("precision", "recall", "prAuc", "rocAuc")}},
            "froc": f,
            "typeAccuracy": {"overall": type_acc, "perType": per_type, "on": "held-out candidates that hit a nodule"},
            **({"measurement": measurements} if measurements else {}),
        },
        "reference": {
            "inputs": cardkit.reference_block({"patch": hx.reshape(-1)[::7]}),
            "outputs": cardkit.reference_block({"probs:0": probs[:, 0]}),
        },
        "training": {
            "data": "seeded CT phantoms (libs/imaging/src/phantom.ts): body, ribs, spine, heart, lungs, airway tree, branching vessels, noise 12-40 HU, slice thickness 1-2.5 mm, 192-320 matrix; nodules 4-26 mm, solid / part-solid / ground-glass, isolated / juxtapleural / juxtavascular. Patches from the serving candidate detector plus 6 jittered views per nodule.",
            "command": "see the docstring of models/nodule/train.py",
            "seed": SEED,
            "rows": int(len(ytr)),
            "trainScans": len(str_),
            "heldoutScans": len(sho),
            "steps": configured_steps,
            "batch": bs,
            "trainSeconds": train_seconds,
        },
    }
    cardkit.write_card(HERE, card)
    print("wrote card", json.dumps(card["metrics"]["froc"]))


if __name__ == "__main__":
    main()
