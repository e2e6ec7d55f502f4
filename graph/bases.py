"""Which knowledge bases a turn answers from: one name, several, or the default.

A turn's `kb` is what the caller sent — a name, a list of names, or None. `scope` turns it
into what the nodes pass around: a single name stays a `str` (so one base behaves exactly
as before), several become a tuple, in the order chosen. `search` asks the knowledge port
for one base (`search`) or fuses several (`search_bases`); `primary` is the base that
names the domain for adapter routing. The guard's vocabulary of a tuple is the union of
its bases' (graph.vocabulary).
"""

from __future__ import annotations

import functools
from typing import Any, Callable, Mapping, Union

from knowledge.errors import KnowledgeError
from knowledge.types import Passage

KBScope = Union[str, tuple[str, ...], None]
"""One knowledge base, several (in the order chosen), or None (the port's default)."""


def scope(kb: Any, default: str | None) -> KBScope:
    """The bases of a turn from what the caller sent (str, list, comma-separated str, None)."""
    from knowledge.bases import parse_kbs

    names = parse_kbs(kb) if kb else []
    if not names:
        return default
    return names[0] if len(names) == 1 else tuple(names)


def several(kb: KBScope) -> bool:
    return isinstance(kb, tuple)


def primary(kb: KBScope) -> str | None:
    return kb[0] if isinstance(kb, tuple) else kb


def search(knowledge: Any, query: str, kb: KBScope, k: int) -> list[Passage]:
    if isinstance(kb, tuple):
        return knowledge.search_bases(query, list(kb), k=k)
    return knowledge.search(query, kb=kb, k=k)


def page_chunks(knowledge: Any, kb: KBScope, source: str, base: str = "") -> list[dict]:
    """A page's chunks in order, from `base` (a passage's own base) or the turn's primary one; none when
    the base no longer holds the page (deleted since it was found)."""
    try:
        return knowledge.document_chunks(base or primary(kb) or "", source)
    except KnowledgeError:
        return []


def page_reader(knowledge: Any, kb: KBScope) -> Callable[[Mapping[str, Any]], list[dict]]:
    """A passage's page as its chunks in order (`page_chunks` by its source and base), each page read once for
    as long as the reader lives: one node's turn, where several steps read the same cited pages."""
    read = functools.cache(lambda source, base: page_chunks(knowledge, kb, source, base))
    return lambda p: read(str(p.get("source") or ""), str(p.get("kb") or ""))