"""Score predicted record pairs against the true pairs.

Usage:
    python evaluate.py --truth TRUTH.csv --pairs PAIRS.csv [--threshold 0.5] [--dedupe] [--sweep]

TRUTH.csv has columns id_l,id_r; PAIRS.csv has at least id_l,id_r,probability
(extra columns are ignored). A pair is a predicted link when probability >=
threshold. With --dedupe pairs are unordered (normalised so id_l < id_r);
without it (linking two files) id_l must come from the first file and id_r
from the second. A pair listed more than once keeps its highest probability.
With --sweep, F1 is also computed at thresholds 0.10, 0.11, ..., 0.99 and the
best one is reported. Uses only the standard library.

Prints a readable line and, last, one line of JSON:
    {"threshold":..,"precision":..,"recall":..,"f1":..,"tp":..,"fp":..,"fn":..,
     "best": {same keys} (only with --sweep)}
"""
import argparse
import bisect
import csv
import json

SWEEP = [round(0.10 + 0.01 * i, 2) for i in range(90)]  # 0.10 .. 0.99


def _key(a, b, dedupe):
    return (a, b) if not dedupe or a <= b else (b, a)


def read_truth(path, dedupe):
    with open(path, newline="", encoding="utf-8") as f:
        return {_key(r["id_l"], r["id_r"], dedupe) for r in csv.DictReader(f)}


def read_pairs(path, dedupe):
    """{(id_l, id_r): probability}, keeping the highest probability of a pair."""
    best = {}
    with open(path, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            k = _key(r["id_l"], r["id_r"], dedupe)
            p = float(r.get("probability") or r["match_probability"])
            if p > best.get(k, -1.0):
                best[k] = p
    return best


def _score(threshold, tp, fp, n_truth):
    fn = n_truth - tp
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / n_truth if n_truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"threshold": threshold, "precision": round(precision, 6),
            "recall": round(recall, 6), "f1": round(f1, 6),
            "tp": tp, "fp": fp, "fn": fn}


def evaluate(truth, pairs, threshold=0.5, sweep=False):
    """truth: set of (id_l, id_r); pairs: {(id_l, id_r): probability}, both
    already normalised. Returns the score at `threshold`, plus "best" over
    SWEEP when sweep is true."""
    true_p = sorted(p for k, p in pairs.items() if k in truth)
    false_p = sorted(p for k, p in pairs.items() if k not in truth)

    def at(t):  # pairs with probability >= t
        tp = len(true_p) - bisect.bisect_left(true_p, t)
        fp = len(false_p) - bisect.bisect_left(false_p, t)
        return _score(t, tp, fp, len(truth))

    result = at(threshold)
    if sweep:
        result["sweep"] = [at(t) for t in SWEEP]
        result["best"] = max(result["sweep"], key=lambda s: (s["f1"], -s["threshold"]))
    return result


def evaluate_files(truth_path, pairs_path, threshold=0.5, dedupe=False, sweep=False):
    return evaluate(read_truth(truth_path, dedupe), read_pairs(pairs_path, dedupe),
                    threshold, sweep)


def _line(s):
    return (f"threshold={s['threshold']:.2f} precision={s['precision']:.4f} "
            f"recall={s['recall']:.4f} f1={s['f1']:.4f} "
            f"TP={s['tp']} FP={s['fp']} FN={s['fn']}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--truth", required=True)
    ap.add_argument("--pairs", required=True)
    ap.add_argument("--threshold", type=float, default=0.5)
    ap.add_argument("--dedupe", action="store_true")
    ap.add_argument("--sweep", action="store_true")
    a = ap.parse_args()
    r = evaluate_files(a.truth, a.pairs, a.threshold, a.dedupe, a.sweep)
    if a.sweep:
        for s in r.pop("sweep"):
            print("  " + _line(s))
        print("best: " + _line(r["best"]))
    print(_line(r))
    print(json.dumps(r))


if __name__ == "__main__":
    main()
