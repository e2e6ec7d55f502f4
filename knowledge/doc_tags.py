"""The names a passage's document declares for itself: front-matter `product` and `tags`.

A page may name its product only in its front matter ("tags: [RDS MySQL, …]" while the text says
"云数据库 MySQL"); the answer step reads `meta["doc_tags"]` so such a page still counts as naming
what the question calls the product (graph/evidence.is_on_topic). Set on the passages selection
keeps (a few per turn: one indexed document lookup each). Tested in tests/knowledge/test_doc_tags.py.
"""

from __future__ import annotations

import json
from typing import Any, Callable, Sequence

from knowledge.types import Passage

MAX_TAGS = 20
"""Tags kept per document (a generated page may carry a long keyword list)."""


def declared_names(meta: dict[str, Any]) -> list[str]:
    """Front-matter product and tags as strings (a YAML tag list may hold numbers)."""
    tags = meta.get("tags")
    names = [meta.get("product")] + (list(tags) if isinstance(tags, (list, tuple)) else [tags])
    return [str(n).strip() for n in names if n is not None and str(n).strip()][:MAX_TAGS + 1]


def document_meta(document: Callable[[str, str], Any], kb: str, source: str) -> dict[str, Any]:
    """The document row's front matter (`document(kb, source)`), {} when there is none or it is damaged."""
    row = document(kb, source)
    raw = row["meta"] if row is not None else None
    try:  # SQLite keeps JSON text, PostgreSQL a decoded object
        meta = raw if isinstance(raw, dict) else json.loads(raw) if raw else {}
    except ValueError:  # a damaged row must not lose the answer
        meta = {}
    return meta if isinstance(meta, dict) else {}


def attach_doc_tags(passages: Sequence[Passage], document: Callable[[str, str], Any]) -> None:
    """meta["doc_tags"] of each passage from its document row (`document(kb, source)`)."""
    seen: dict[tuple[str, str], list[str]] = {}
    for p in passages:
        key = (p.kb, p.source)
        if key not in seen:
            seen[key] = declared_names(document_meta(document, *key))
        if seen[key]:
            p.meta["doc_tags"] = seen[key]
