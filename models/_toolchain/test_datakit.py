"""Tests of the training-data filter and slice weights (stdlib unittest + numpy; no torch).

Run: python3 -m unittest discover -s models/_toolchain -p 'test_*.py'   (CI runs it too)
"""
import os
import sys
import unittest

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
import datakit  # noqa: E402
from datakit import Examples, filter_training_set, slice_weights, example_weights  # noqa: E402


def numeric_set(n=400, seed=1):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 4))
    y = (x[:, 0] + 0.5 * x[:, 1] > 0).astype(int)
    return x, y


class RulesStage(unittest.TestCase):
    def test_schema_range_duplicate_and_leakage(self):
        x, y = numeric_set()
        x[3, 2] = np.nan                # schema
        x[5, 1] = 50.0                  # range
        x[7] = x[6]; y[7] = y[6]        # exact duplicate
        held = Examples(ids=["h0"], labels=[int(y[9])], x=x[9:10].copy())  # leakage of row 9
        tr = Examples(ids=[f"t{i}" for i in range(len(y))], labels=list(y), x=x,
                      feature_names=["a", "b", "c", "d"])
        r = filter_training_set(tr, held, ranges={"b": (-10, 10)}, min_quality=0.0)
        rules = r.report["stages"][0]
        self.assertEqual(rules["reasons"]["schema: non-finite c"], 1)
        self.assertEqual(rules["reasons"]["range: b outside [-10, 10]"], 1)
        self.assertEqual(rules["reasons"]["duplicate"], 1)
        self.assertEqual(rules["reasons"]["leakage: identical to a held-out input"], 1)
        self.assertFalse(r.keep[3] or r.keep[5] or r.keep[7] or r.keep[9])
        self.assertTrue(r.keep[6])
        self.assertEqual(r.report["input"], r.report["kept"] + r.report["removed"])
        self.assertEqual(r.report["removed"], sum(s["removed"] for s in r.report["stages"]))

    def test_unknown_label_and_domain_check(self):
        tr = Examples(ids=[0, 1, 2], labels=["pos", "neg", "maybe"], texts=["good news today", "bad", "fine"])
        r = filter_training_set(tr, allowed_labels=["pos", "neg"], text_near_duplicate=1.0,
                                domain_checks=lambda i: "too short" if len(tr.texts[i]) < 4 else None)
        reasons = r.report["stages"][0]["reasons"]
        self.assertEqual(reasons["schema: unknown label"], 1)
        self.assertEqual(reasons["schema: too short"], 1)
        self.assertEqual(list(r.keep), [True, False, False])


class SemanticStage(unittest.TestCase):
    def test_text_contradiction_removes_every_copy(self):
        texts = ["Profit rises at Acme", "profit rises at ACME!", "Shares fall after recall", "Other news"]
        labels = ["up", "down", "down", "flat"]
        r = filter_training_set(Examples(ids=list(range(4)), labels=labels, texts=texts), text_near_duplicate=1.0)
        self.assertEqual(list(r.keep), [False, False, True, True])
        self.assertIn("contradiction: same input, labels down / up", r.report["stages"][1]["reasons"])

    def test_near_duplicate_text_kept_once_and_held_out_near_copy_removed(self):
        base = "the board approved a dividend increase of ten percent for the coming year after strong results"
        texts = [base, base + " today", "completely unrelated sentence about weather in the alps this week"]
        held = Examples(ids=["h"], labels=["flat"], texts=["completely unrelated sentence about weather in the alps this week again"])
        r = filter_training_set(Examples(ids=[0, 1, 2], labels=["up", "up", "flat"], texts=texts), held,
                                text_near_duplicate=0.8)
        reasons = r.report["stages"][1]["reasons"]
        self.assertEqual(reasons.get("near-duplicate"), 1)
        self.assertEqual(reasons.get("leakage: near-duplicate of a held-out input"), 1)
        self.assertEqual(list(r.keep), [True, False, False])

    def test_numeric_near_duplicates_within_quantum(self):
        x, y = numeric_set(50)
        x[1] = x[0] + 1e-7
        y[1] = y[0]
        x[2] = x[0] - 1e-7
        y[2] = 1 - y[0]   # same input, other label: all three go
        r = filter_training_set(Examples(ids=list(range(50)), labels=list(y), x=x), min_quality=0.0)
        self.assertFalse(r.keep[0] or r.keep[1] or r.keep[2])
        self.assertEqual(r.report["stages"][1]["removed"], 3)


class QualityStage(unittest.TestCase):
    def test_flipped_labels_are_found_and_clean_minority_kept(self):
        rng = np.random.default_rng(3)
        x = np.concatenate([rng.normal(0, 1, (900, 3)), rng.normal(4, 0.5, (60, 3))])
        y = np.array([0] * 900 + [1] * 60)
        flipped = rng.choice(900, 20, replace=False)
        y[flipped] = 1   # majority-cluster rows labelled as the minority class
        r = filter_training_set(Examples(ids=list(range(len(y))), labels=list(y), x=x), min_quality=0.3)
        removed = set(np.nonzero(~r.keep)[0])
        self.assertGreaterEqual(len(removed & set(flipped)), 16)
        minority = set(range(900, 960))
        self.assertLessEqual(len(removed & minority), 3)

    def test_domain_quality_multiplies(self):
        x, y = numeric_set(60)
        dq = np.ones(60)
        dq[10] = 0.01
        r = filter_training_set(Examples(ids=list(range(60)), labels=list(y), x=x), domain_quality=dq, min_quality=0.05)
        self.assertFalse(r.keep[10])
        self.assertEqual(r.reasons[10], "quality: quality below 0.05")


class Weights(unittest.TestCase):
    def test_weak_slices_are_up_weighted_and_capped(self):
        w = slice_weights({"a": 0.9, "b": 0.45, "c": 0.1, "d": 0.2}, 0.9, max_weight=3.0,
                          min_support={"a": 100, "b": 100, "c": 100, "d": 2})
        self.assertEqual(w["a"], 1.0)
        self.assertAlmostEqual(w["b"], 2.0)
        self.assertEqual(w["c"], 3.0)
        self.assertEqual(w["d"], 1.0)  # too few rows to act on

    def test_error_metric_direction_and_normalised_example_weights(self):
        w = slice_weights({"x": 2.0, "y": 1.0}, 1.0, higher_is_better=False)
        self.assertEqual(w, {"x": 2.0, "y": 1.0})
        ew = example_weights(["x", "y", "y", "y"], w)
        self.assertAlmostEqual(float(ew.mean()), 1.0)
        self.assertAlmostEqual(float(ew[0] / ew[1]), 2.0)


if __name__ == "__main__":
    unittest.main()
