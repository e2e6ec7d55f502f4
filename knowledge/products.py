"""Product folders in selection: a question naming a product is not answered from pages that never mention it.

A base filed by product (`tidb-docs-cn/…`, `istio-zh/…`, `docs/mysql/…`) holds pages of several
products that share everyday words: "连不进 tidb" matches Kubernetes access-control pages. When
the question gives the name of a matched page's product folder (knowledge.pages.product_folder),
knowledge.select.off_subject leaves out the matched pages that never mention it. Whether a page
mentions a word comes from the embedded keyword index's page index (one score lookup per name);
with another keyword index (server mode) nothing is left out. Used by
knowledge.retrieve.HybridRetriever.select; tests in tests/knowledge/test_page_choice.py.
"""

from __future__ import annotations

import logging
from typing import Any, Callable, Collection

from knowledge.subjects import is_name, off_subject
from knowledge.types import Passage

log = logging.getLogger(__name__)


def leave_off_subject(keywords: Any, chunks_by_chunk_id: Callable[[list[str]], dict], tokens: list[str],
                      group: list[Passage], tokenize: Callable[[str], list[str]], quoted: Collection[str]) -> None:
    """Unmatch the passages of `group` whose page never mentions a product folder name the question's
    `tokens` give (names inside the `quoted` identifiers are not products). `keywords`: the base's
    keyword index (its `pages`, when it has one); `chunks_by_chunk_id`: catalog rows (their rowid `id`)."""
    from knowledge.pages import path_tokens, product_folder  # numpy: only once a search ran

    pages = getattr(keywords, "pages", None)
    matched = [p for p in group if p.meta.get("match")]
    if pages is None or not matched:
        return
    filed = {t for p in matched for t in path_tokens(product_folder(p.source), tokenize)}
    names = [t for t in dict.fromkeys(tokens) if t in filed and is_name(t) and not any(t in q for q in quoted)]
    if not names:
        return
    import numpy as np

    ids = chunks_by_chunk_id([p.chunk_id for p in group])
    rowids = np.asarray([ids[p.chunk_id]["id"] if p.chunk_id in ids else -1 for p in group], dtype=np.int64)
    page = {p.chunk_id: int(pages.chunk_page[i]) if i >= 0 else -1 for p, i in zip(group, pages.locate(rowids))}
    scores = {t: pages.scores({t: 1.0}) for t in names}

    def mentions(p: Passage, name: str) -> bool:
        return page[p.chunk_id] < 0 or bool(scores[name][page[p.chunk_id]] > 0)

    for p in off_subject(group, names, mentions):
        log.info("selection: %s never mentions %r", p.source, p.meta["off_subject"])
