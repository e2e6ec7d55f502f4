"""A chunk of a page as an evidence passage, for the rules that bring a part of a page retrieval did not rank.

- `found_chunk`: a chunk of a retrieved page found for what it holds (the contrasting table, the console path,
  the defining sentence): a strong match of its own, with no retrieval scores.
- `page_section`: a section of an evidence page brought beside it (the line stating the asked value, the line
  judging the asked action): the page passage's own marks, less those of the part it was built from.
"""

from __future__ import annotations

from typing import Any, Mapping, cast

from graph.schema import PassageData

_PART_MARKS = ("procedure", "added", "via", "chunks")
"""meta keys naming the part of the page a passage was built from (not carried to another part)."""


def found_chunk(page: Mapping[str, Any], chunk: Mapping[str, Any], added: str, **meta: Any) -> PassageData:
    """The chunk as a passage of `page` (a retrieved passage of it), a strong match marked `meta.added`."""
    return cast(PassageData, {
        **page, "chunk_id": chunk["chunk_id"], "heading_path": list(chunk.get("heading_path") or []),
        "text": chunk["text"], "kind": chunk["kind"], "lexical_score": None, "dense_score": None,
        "meta": {"indexed_text": chunk.get("indexed_text") or chunk["text"], "match": "strong", "added": added,
                 **meta}})


def page_section(page: Mapping[str, Any], chunk: Mapping[str, Any], added: str, **meta: Any) -> dict:
    """The chunk as a passage of `page` (an evidence passage of it) keeping its marks, `meta.added` and its
    one chunk set."""
    kept = {k: v for k, v in (page.get("meta") or {}).items() if k not in _PART_MARKS}
    kept.update(chunks=[chunk.get("chunk_id")], added=added, **meta)
    return {**page, "chunk_id": chunk.get("chunk_id"), "heading_path": list(chunk.get("heading_path") or []),
            "kind": chunk.get("kind") or "doc", "text": chunk.get("text") or "", "meta": kept}
