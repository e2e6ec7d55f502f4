"""Catalog rows as Passages, and one page at a time: the last steps of a ranking.

`passage_from_row` turns a catalog chunk row into a Passage (meta carries the indexed text);
`spread_pages` lets the n-th chunk of one page keep decay**(n-1) of its strength. Used by
knowledge.retrieve.HybridRetriever (and the statistics / calibration readers); tests:
tests/knowledge/test_ranking.py.
"""

from __future__ import annotations

import json
import sqlite3

from knowledge.types import Passage


def passage_from_row(row: sqlite3.Row, score: float, lexical: float | None, dense: float | None) -> Passage:
    """A catalog chunk row as a Passage; meta carries the indexed text (for selection and rerank)."""
    meta = json.loads(row["meta"])
    meta["indexed_text"] = row["indexed_text"]
    return Passage(chunk_id=row["chunk_id"], source=row["source"], title=row["title"],
                   heading_path=json.loads(row["heading_path"]), text=row["text"], kind=row["kind"],
                   score=score, lexical_score=lexical, dense_score=dense, kb=row["kb"], meta=meta)


def spread_pages(passages: list[Passage], decay: float, by_keywords: bool = False) -> list[Passage]:
    """Re-order so the n-th chunk of a page counts decay**(n-1) of its strength (stable otherwise).

    Strength is the keyword score when the ranking is keyword-only (no passage has a dense
    score, or `by_keywords`: the keyword ranking of a hybrid search, every passage having a
    keyword score), else the fused score. Reciprocal-rank fusion squeezes every candidate into
    1/(rrf_k+1) .. 1/(rrf_k+50): halving that pushed a page's second chunk under the first
    chunk of all 50 candidates, so the answer step never saw the section of the best page
    that held the answer (issue 12: demo answer pass 0.477 -> 0.423 on the kscale merge).
    Keyword scores are relative to the best hit, where 0.5 means what it says. The order of
    first chunks is the same on either scale (keyword-only fusion is monotone in the keyword
    score), so which pages come first does not change. An FAQ file is a list of pages: its entries
    do not decay one another (the second entry, the one asked, sank under weak sections of other pages).
    """
    if decay >= 1.0 or len(passages) < 2:
        return passages
    keyword_only = by_keywords or all(p.dense_score is None and p.lexical_score is not None for p in passages)
    seen: dict[str, int] = {}
    keyed = []
    for i, p in enumerate(passages):
        page = p.chunk_id if p.kind == "faq" else p.source  # each FAQ entry is a page of its own
        n = seen.get(page, 0)
        seen[page] = n + 1
        strength = p.lexical_score if keyword_only and p.lexical_score is not None else p.score
        keyed.append((-strength * decay ** n if decay > 0 else (n, -strength), i))
    keyed.sort(key=lambda x: (x[0], x[1]))
    return [passages[i] for _, i in keyed]
