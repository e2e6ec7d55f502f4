"""Resolving an advise step's citations to knowledge-base passages (as Passage JSON).

The passages are data for the agent to read; nothing in them is ever executed.
"""

from __future__ import annotations

import logging
from typing import Any

from tools.runbooks.schema import Citation
from tools.runbooks.templating import render

log = logging.getLogger(__name__)


def _same_source(a: str, b: str) -> bool:
    return a.strip("./") == b.strip("./")


def resolve_citations(knowledge: Any, cites: list[Citation], fallback_query: str,
                      context: dict[str, Any], kb: str | None = None) -> list[dict[str, Any]]:
    """One passage per citation from base `kb` (None: the default base); skipped when it has none; empty without a KB."""
    if knowledge is None or not cites:
        return []
    found: list[dict[str, Any]] = []
    for cite in cites:
        query = render(cite.query, context) if cite.query else fallback_query
        try:
            passage = _best(knowledge, query, cite.source, kb)
        except Exception as exc:  # a KB hiccup must not stop the troubleshooting flow
            log.warning("citation %r / %r not resolved: %s", cite.query, cite.source, exc)
            continue
        if passage is not None and all(p["chunk_id"] != passage.chunk_id for p in found):
            found.append(passage.to_json())
    return found


def _best(knowledge: Any, query: str, source: str | None, kb: str | None) -> Any:
    passages = knowledge.search(query, kb=kb, k=20 if source else 3)
    if source is None:
        return passages[0] if passages else None
    for passage in passages:
        if _same_source(passage.source, source):
            return passage
    for passage in knowledge.iter_chunks(kb):
        if _same_source(passage.source, source):
            return passage
    return None
