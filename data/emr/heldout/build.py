"""Build notes.json from the hand-written markup in notes.src.txt and verify every annotation.

Run: /usr/bin/python3 data/emr/heldout/build.py
Offsets are JavaScript string indices (UTF-16 code units), end exclusive, so that
text.slice(start, end) === entity.text in TypeScript; the notes use BMP characters only
(°, é, ö, –, →, β, •), for which UTF-16 and code-point indices agree (checked below).
"""
import json
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))
TYPES = {"PROBLEM", "TEST", "TREATMENT", "DRUG", "STRENGTH", "FREQUENCY", "ROUTE", "DURATION", "VALUE"}
ASSERTIONS = {"present", "absent", "possible", "hypothetical", "conditional", "family"}
SIGNATURES = {
    "has_strength": ({"DRUG"}, {"STRENGTH"}), "has_frequency": ({"DRUG"}, {"FREQUENCY"}),
    "has_route": ({"DRUG"}, {"ROUTE"}), "has_duration": ({"DRUG"}, {"DURATION"}),
    "has_value": ({"TEST"}, {"VALUE"}), "treats": ({"DRUG", "TREATMENT"}, {"PROBLEM"}),
    "reveals": ({"TEST"}, {"PROBLEM"}),
}
MARK = re.compile(r"\[([^\[\]]+)\]\{([A-Z]+)(?::([a-z]+))?(?:#([A-Za-z0-9]+))?\}")


def parse_note(kind, body_lines, rel_lines):
    src = "\n".join(body_lines).rstrip("\n") + "\n"
    text, ents, ids, pos = "", [], {}, 0
    for m in MARK.finditer(src):
        text += src[pos:m.start()]
        span, typ, assertion, eid = m.group(1), m.group(2), m.group(3), m.group(4)
        if typ not in TYPES:
            raise ValueError(f"unknown type {typ} in {m.group(0)}")
        if span != span.strip() or span.endswith((".", ",", ";", ":")) or span.lower().startswith(("the ", "a ", "an ")):
            raise ValueError(f"span breaks the minimal-span convention: {span!r}")
        start = len(text)
        text += span
        e = {"id": f"T{len(ents) + 1}", "type": typ, "start": start, "end": start + len(span), "text": span}
        if typ == "PROBLEM":
            e["assertion"] = assertion or "present"
            if e["assertion"] not in ASSERTIONS:
                raise ValueError(f"bad assertion {assertion}")
        elif assertion:
            raise ValueError(f"assertion on non-PROBLEM {m.group(0)}")
        if eid:
            if eid in ids:
                raise ValueError(f"duplicate id {eid}")
            ids[eid] = e["id"]
        ents.append(e)
        pos = m.end()
    text += src[pos:]
    if "[" in text and "]{" in text:
        raise ValueError("unparsed markup left in text: " + text[text.index("]{") - 30:text.index("]{") + 10])
    by_id = {e["id"]: e for e in ents}
    rels = []
    for line in rel_lines:
        _, typ, h, t = line.split()
        if typ not in SIGNATURES:
            raise ValueError(f"unknown relation {typ}")
        head, tail = by_id[ids[h]], by_id[ids[t]]
        if head["type"] not in SIGNATURES[typ][0] or tail["type"] not in SIGNATURES[typ][1]:
            raise ValueError(f"{typ} {head['text']}({head['type']}) -> {tail['text']}({tail['type']}) breaks the signature")
        rels.append({"type": typ, "head": head["id"], "tail": tail["id"]})
    for e in ents:
        assert text[e["start"]:e["end"]] == e["text"]
        # JS (UTF-16) offsets equal Python offsets only while no astral character precedes
        assert len(text[:e["end"]].encode("utf-16-le")) // 2 == e["end"]
    return {"kind": kind, "text": text, "entities": ents, "relations": rels}


def main():
    notes, kind, body, rels = [], None, [], []
    with open(os.path.join(HERE, "notes.src.txt"), encoding="utf-8") as f:
        for line in f.read().split("\n"):
            if line.startswith("#") and kind is None:
                continue
            if line.startswith("=== "):
                if kind:
                    notes.append(parse_note(kind, body, rels))
                kind, body, rels = line[4:].strip(), [], []
            elif line.startswith("@ "):
                rels.append(line)
            elif kind is not None:
                body.append(line)
    if kind:
        notes.append(parse_note(kind, body, rels))
    for i, n in enumerate(notes, 1):
        n["id"] = f"heldout-{i:02d}"
    with open(os.path.join(HERE, "notes.json"), "w", encoding="utf-8") as f:
        json.dump({"description": "Hand-written clinical notes with gold annotations (i2b2 2010 / n2c2 2018 span "
                                  "conventions); written independently of models/clinical-ner/generator.py.",
                   "offsets": "UTF-16 code units (JavaScript string indices), end exclusive",
                   "notes": notes}, f, ensure_ascii=False, indent=1)
    from collections import Counter
    c = Counter(e["type"] for n in notes for e in n["entities"])
    a = Counter(e.get("assertion") for n in notes for e in n["entities"] if e["type"] == "PROBLEM")
    r = Counter(x["type"] for n in notes for x in n["relations"])
    print(len(notes), "notes;", dict(c), dict(a), dict(r))


if __name__ == "__main__":
    main()
