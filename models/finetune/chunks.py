"""What the generators read: knowledge chunks, however the app obtained them.

The generators accept anything with `source`, `title`, `heading_path`, `text`, `kind`
and `meta` attributes — `knowledge.types.Passage` fits as is. The app passes chunks
from an ingested base (`KnowledgeService.iter_chunks`) or from a folder read by the
knowledge layer without indexing (`knowledge.preview.preview_files`): one reader for
knowledge files, and `models` never imports `knowledge`. This module turns those chunks
back into whole sections and table rows. Tests: `pytest tests/finetune`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, Protocol


class ChunkLike(Protocol):
    source: str
    title: str
    heading_path: list[str]
    text: str
    kind: str
    meta: dict


@dataclass
class SectionChunk:
    """A whole document section (or FAQ pair, or table row chunk) merged from knowledge chunks."""

    source: str
    title: str
    heading_path: list[str]
    text: str
    kind: str = "doc"
    meta: dict = field(default_factory=dict)


TABLE_SOURCES = (".csv", ".xlsx", ".xls", ".tsv")
CAPTION_MARK = "（表头："


def _caption_headers(line: str) -> str | None:
    """The header list of a table caption `…（表头：a | b）`, found with str methods (the lazy regex
    `（表头：(.+?)）\\s*$` rescanned the line from every mark: quadratic)."""
    line = line.rstrip()
    start = line.find(CAPTION_MARK)
    if start < 0 or not line.endswith("）") or len(line) - 1 <= start + len(CAPTION_MARK):
        return None
    return line[start + len(CAPTION_MARK):-1]


def heading_path(chunk: ChunkLike) -> list[str]:
    """[title, section, subsection ...] whether or not the chunk's path starts at the title."""
    path = [h for h in (chunk.heading_path or []) if h]
    if chunk.title and (not path or path[0] != chunk.title):
        path = [chunk.title, *path]
    return path


def chunk_rows(chunk: ChunkLike) -> list[dict[str, str]]:
    """Table rows of a chunk, read back from the knowledge layer's table text (a caption
    naming the headers, then `列: 值；列: 值` lines)."""
    if chunk.kind != "table":
        return []
    lines = chunk.text.splitlines()
    found = _caption_headers(lines[0]) if lines else None
    if not found:
        return []
    headers = [h.strip() for h in found.split("|") if h.strip()]
    return [row for row in (_parse_row(line, headers) for line in lines[1:]) if row]


def _parse_row(line: str, headers: list[str]) -> dict[str, str]:
    row: dict[str, str] = {}
    current = None
    for part in line.split("；"):
        name, sep, value = part.partition(": ")
        if sep and name.strip() in headers and name.strip() not in row:
            current = name.strip()
            row[current] = value.strip()
        elif current:
            row[current] += "；" + part
    return row


def faq_answer(chunk: ChunkLike) -> str:
    """The answer of a FAQ chunk (the knowledge layer stores `问：…\n答：…`)."""
    text = chunk.text.strip()
    if text.startswith("问：") and "\n答：" in text:
        return text.split("\n答：", 1)[1].strip()
    return text


def group_sections(chunks: Iterable[ChunkLike]) -> list[SectionChunk]:
    """Merge consecutive chunks of the same document section (title + first heading).

    The knowledge layer splits long sections into several chunks, and Markdown tables
    inside a section into row chunks; the deterministic generators want a whole
    "排查步骤" or "可能原因" section back. Rows of a table file stay separate.
    """
    groups: list[SectionChunk] = []
    last_sub: list[str] = []
    for chunk in chunks:
        path = heading_path(chunk)
        key, sub = path[:2], path[2:]
        kind = chunk.kind
        text = chunk.text
        in_doc = kind in ("doc", "table") and not chunk.source.lower().endswith(TABLE_SOURCES)
        if kind == "table" and in_doc:
            rows = chunk_rows(chunk)
            if rows:
                text = "\n".join("- " + "；".join(f"{k}：{v}" for k, v in row.items() if v) for row in rows)
            kind = "doc"
        if sub and sub != last_sub and not text.lstrip().startswith("#"):
            text = f"### {sub[-1]}\n\n{text}"
        last_sub = sub
        last = groups[-1] if groups else None
        if in_doc and last and last.kind == "doc" and last.source == chunk.source and last.heading_path == key:
            last.text = f"{last.text}\n\n{text}".strip()
            continue
        groups.append(SectionChunk(chunk.source, chunk.title, key, text, kind, dict(chunk.meta or {})))
    return groups
