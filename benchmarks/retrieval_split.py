"""Generalisation checks for benchmarks/retrieval_eval.py: leave-one-corpus-out, selection calibration.

`leave_one_out`: for each corpus, pick the keyword settings (a small grid over the
ranking knobs of knowledge.config) that do best (recall@5 + MRR) on the OTHER corpora,
then report that choice on the held-out corpus next to the shipped defaults and next to
everything switched off. If the held-out figures of the chosen settings stay close to
the defaults', the defaults are not fitted to one corpus.
"""

from __future__ import annotations

import itertools
from typing import Callable

GRID = {
    "term_weighting": (True, False),
    "page_weight": (0.0, 0.3, 0.6, 1.0),
    "question_boost": (0.0, 0.3, 0.6),
    "page_decay": (1.0, 0.5),
    "head_weight": (1.5, 3.0, 5.0),
}
OFF = {"term_weighting": False, "page_weight": 0.0, "question_boost": 0.0, "page_decay": 1.0, "head_weight": 3.0}


def _apply(ks, values: dict) -> None:
    for key, value in values.items():
        setattr(ks.settings, key, value)


def leave_one_out(ks, kb: str, sets: list[tuple[str, list[dict]]], ranker: Callable, evaluate: Callable) -> str:
    """Markdown table: per held-out corpus, the settings chosen on the others and the three figures."""
    defaults = {k: getattr(ks.settings, k) for k in GRID}
    rank = ranker(ks, kb, "lexical")
    scores: dict[tuple, dict[str, dict]] = {}
    for combo in itertools.product(*GRID.values()):
        _apply(ks, dict(zip(GRID, combo)))
        scores[combo] = {name: evaluate(rank, items) for name, items in sets}
    _apply(ks, defaults)
    key = tuple(defaults[k] for k in GRID)
    off = tuple(OFF[k] for k in GRID)
    lines = ["| held out | chosen on the others (" + ", ".join(GRID) + ") | chosen: r@1 / r@5 / MRR | "
             "defaults: r@1 / r@5 / MRR | all off: r@1 / r@5 / MRR |", "|---|---|---|---|---|"]
    fmt = lambda m: f"{m['r1']:.3f} / {m['r5']:.3f} / {m['mrr']:.3f}"  # noqa: E731
    for held, _ in sets:
        others = [name for name, _ in sets if name != held]
        best = max(scores, key=lambda c: (sum(scores[c][o]["r5"] + scores[c][o]["mrr"] for o in others), c == key))
        lines.append(f"| {held} | {', '.join(str(v) for v in best)} | {fmt(scores[best][held])} | "
                     f"{fmt(scores[key][held]) if key in scores else '-'} | {fmt(scores[off][held])} |")
    return "\n".join(lines)


def calibrate(ks, kb: str, positives: list[dict], negatives: list[str], mode: str = "hybrid") -> str:
    """Relevance of the best gold passage (positives) vs best passage (off-domain): a threshold line."""
    pos, neg = [], []
    for q in positives:
        found = ks.retrieve(q["question"], kb=kb, k=8, mode=mode)
        ks.select(q["question"], found, max_passages=8)  # fills meta["relevance"]
        hits = [p.meta["relevance"] for p in found if p.source in q["gold"]]
        pos.append(max(hits) if hits else 0.0)
    for text in negatives:
        found = ks.retrieve(text, kb=kb, k=8, mode=mode)
        ks.select(text, found, max_passages=8)
        neg.append(max((p.meta.get("relevance", 0.0) for p in found), default=0.0))
    best = max((sum(p >= t for p in pos) / len(pos) + sum(n < t for n in neg) / len(neg), t)
               for t in [i / 100 for i in range(5, 95)])
    return (f"calibration on {kb} ({mode}): gold-passage relevance p10={sorted(pos)[len(pos) // 10]:.2f}; "
            f"off-domain max relevance p90={sorted(neg)[9 * len(neg) // 10]:.2f}; best threshold={best[1]:.2f} "
            f"(balanced accuracy {best[0] / 2:.3f})")
