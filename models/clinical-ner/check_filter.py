"""Does train.py's data filter catch what it claims to? Corrupts a copy of a small generated training
set in known ways and reports, per corruption, whether the corrupted row was removed and why.
Exit 1 if any corruption slips through. About a minute:
    nice -n 10 /usr/bin/python3 models/clinical-ner/check_filter.py
"""
from __future__ import annotations

import json
import os
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import train  # noqa: E402  (importing does not train: main() runs only as a script)


def main() -> int:
    docs = train.generator.generate(120, train.SEED)
    test_docs = train.generator.generate(40, train.SEED + 1)
    vocab = train.build_vocab(docs)
    rows = train.filter_rows([s for d in docs for s in train.encode_doc(d, vocab)], "train/")
    held = train.filter_rows([s for d in test_docs for s in train.encode_doc(d, vocab)], "test/")
    held_keys = {r["key"] for r in held}
    key_count = Counter(r["key"] for r in rows)
    # only rows whose sentence is unique and not held out, so no other stage can claim them first
    clean = [i for i, r in enumerate(rows) if key_count[r["key"]] == 1 and r["key"] not in held_keys]
    with_entity = [i for i in clean if any(t.startswith("B-") for t in rows[i]["tags"])]

    # the most frequent DRUG surface, so the type-consistency score has enough evidence to judge
    surf = Counter()
    for r in rows:
        base = r["spans"][0][0]
        for a, b, typ in train.tag_spans(r["tags"]):
            if typ == "DRUG":
                surf[r["text"][r["spans"][a][0] - base:r["spans"][b - 1][1] - base].lower()] += 1
    drug = surf.most_common(1)[0][0]

    def drug_row():
        for i in with_entity:
            r = rows[i]
            base = r["spans"][0][0]
            for a, b, typ in train.tag_spans(r["tags"]):
                if typ == "DRUG" and r["text"][r["spans"][a][0] - base:r["spans"][b - 1][1] - base].lower() == drug:
                    return i, a, b
        raise RuntimeError("no row with the frequent drug")

    expected = {}
    used = set()

    def pick(pool):
        i = next(i for i in pool if i not in used)
        used.add(i)
        return i

    i = pick(with_entity)  # I- without a preceding B-
    tags = list(rows[i]["tags"]); k = next(j for j, t in enumerate(tags) if t.startswith("B-")); tags[k] = "I-" + tags[k][2:]
    rows[i]["tags"] = tuple(tags); expected[rows[i]["id"]] = "rules: schema: BIO: I- without"
    i = pick(with_entity)  # unknown tag
    tags = list(rows[i]["tags"]); k = next(j for j, t in enumerate(tags) if t.startswith("B-")); tags[k] = "B-DISEASE"
    rows[i]["tags"] = tuple(tags); expected[rows[i]["id"]] = "rules: schema: BIO: unknown tag"
    i = pick(clean)  # one tag short
    rows[i]["tags"] = rows[i]["tags"][:-1]; expected[rows[i]["id"]] = "rules: schema: BIO: token/tag length mismatch"
    rows.append({"id": "train/empty", "text": "", "key": "", "tags": (), "spans": []})
    expected["train/empty"] = "rules: schema: empty"
    # leakage: a held-out sentence with an entity copied into training (entity-free lines are the
    # note format's fixed text and are not held-out material; see train.filter_segments)
    h = next(r for r in held if any(t != "O" for t in r["tags"]))
    rows.append({**h, "id": "train/leaked"}); expected["train/leaked"] = "rules: leakage"
    i = pick(clean)  # contradiction: the same sentence again, every tag O
    rows.append({**rows[i], "id": "train/contradiction", "tags": tuple("O" for _ in rows[i]["tags"])})
    expected["train/contradiction"] = "semantic: contradiction"
    i, a, b = drug_row()  # the frequent drug typed as a PROBLEM
    used.add(i)
    tags = list(rows[i]["tags"]); tags[a] = "B-PROBLEM"
    for j in range(a + 1, b):
        tags[j] = "I-PROBLEM"
    rows[i]["tags"] = tuple(tags); expected[rows[i]["id"]] = "quality"

    result = train.filter_segments(rows, held)
    reason = {rows[i]["id"]: result.reasons.get(i) for i in range(len(rows))}
    checks = [{"row": rid, "expected": want, "removedAs": reason[rid], "caught": bool(reason[rid] and reason[rid].startswith(want))}
              for rid, want in expected.items()]
    print(json.dumps({"rows": len(rows), "frequentDrug": drug, "checks": checks,
                      "stages": [(s["stage"], s["reasons"]) for s in result.report["stages"]]}, indent=2))
    return 0 if all(c["caught"] for c in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
