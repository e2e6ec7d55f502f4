"""Several knowledge bases in one question: names as users give them, and one ranking across bases.

`parse_kbs` reads what a CLI flag, an API parameter or the chat picker gives: one name,
"a,b" (comma-separated, also 、，), or a list of either; order kept, duplicates dropped.
`fuse_bases` merges the bases' own hybrid rankings by reciprocal rank fusion (each base
ranks its chunks with its own statistics; a passage's fused score is 1 / (rrf_k + its
rank in its base)), so the best passages of every chosen base meet at the top and the
relevance threshold of `select` keeps only those worth answering from. Passages keep
their base in `Passage.kb`. Tests: tests/knowledge/test_bases.py.
"""

from __future__ import annotations

import re
from typing import Hashable, Sequence

from knowledge.fusion import rrf
from knowledge.types import Passage

_SEPARATORS = re.compile(r"[,，、]")


def parse_kbs(value: str | Sequence[str] | None) -> list[str]:
    """['a', 'b'] from 'a,b', ['a', 'b'], ['a,b'] or 'a , b'; [] for nothing."""
    if value is None:
        return []
    items = [value] if isinstance(value, str) else list(value)
    names: list[str] = []
    for item in items:
        for name in _SEPARATORS.split(str(item)):
            name = name.strip()
            if name and name not in names:
                names.append(name)
    return names


def fuse_bases(rankings: dict[str, list[Passage]], k: int, rrf_k: int) -> list[Passage]:
    """One ranking from each base's best-first passages (RRF over base ranks); ties keep the bases' order."""
    by_id: dict[Hashable, Passage] = {p.chunk_id: p for ranked in rankings.values() for p in ranked}
    fused = rrf([[p.chunk_id for p in ranked] for ranked in rankings.values()], k=rrf_k)
    order = sorted(fused, key=lambda c: -fused[c])  # stable: equal ranks stay in the order the bases were chosen
    out = []
    for chunk_id in order[:k]:
        passage = by_id[chunk_id]
        passage.meta = {**passage.meta, "base_score": passage.score}
        passage.score = fused[chunk_id]
        out.append(passage)
    return out
