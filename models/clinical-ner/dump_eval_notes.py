"""Write the first 100 generated test notes (train.py's test seed, never trained on) for the
TypeScript pipeline evaluation: /usr/bin/python3 models/clinical-ner/dump_eval_notes.py"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import generator  # noqa: E402

SEED = 20260611 + 1  # train.py SEED + 1: the generated test split
docs = generator.generate(200, SEED)[:100]
out = os.path.join(HERE, "..", "..", "data", "emr", "generated-eval-notes.json")
with open(out, "w", encoding="utf-8") as f:
    json.dump({"description": f"100 generated notes (generator.py seed {SEED}, the test split of train.py)", "notes": docs}, f, ensure_ascii=False)
print(out, len(docs))
