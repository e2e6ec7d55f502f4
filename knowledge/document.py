"""The parsed form of one source file, between the loaders and the chunker."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

BlockKind = Literal["text", "code", "table", "faq"]


@dataclass
class Block:
    """A unit the chunker may merge with neighbours (text) or must keep whole (code, rows, FAQ)."""

    kind: BlockKind
    heading_path: list[str]
    """Section headings below the document title."""
    text: str = ""
    """Paragraph or code text; for FAQ the answer."""
    rows: list[str] = field(default_factory=list)
    """Table rows as self-describing lines ("列名: 值；列名: 值")."""
    caption: str = ""
    """Table caption (and header) repeated before every group of rows."""
    question: str = ""
    """FAQ question."""


@dataclass
class ParsedDocument:
    """Title, front matter and ordered blocks of a loaded file."""

    title: str
    blocks: list[Block]
    meta: dict = field(default_factory=dict)
    terms: list[str] = field(default_factory=list)
    """Domain words declared by the document (front-matter product and tags)."""


def table_rows(header: list[str], rows: list[list[str]]) -> list[str]:
    """Rows as "列名: 值；列名: 值"; empty cells are skipped, a header-less cell keeps its value."""
    out = []
    for row in rows:
        cells = []
        for i, value in enumerate(row):
            value = value.strip()
            if not value:
                continue
            name = header[i].strip() if i < len(header) else ""
            cells.append(f"{name}: {value}" if name else value)
        if cells:
            out.append("；".join(cells))
    return out
