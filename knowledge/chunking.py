"""Heading-aware, sentence-aware chunking with size and overlap; code and table rows never cut.

Chunks never cross a section (heading path). Text is split into paragraphs, long
paragraphs into their lines (a list keeps one item per line), long lines into sentences
(Chinese 。！？；… and English . ? ! ; before a space), then packed up to `size`
characters, each piece joined back with the separator it had (blank line, line break,
space); a new chunk repeats up to `overlap` characters of whole sentences from the
previous one. Code blocks and table rows are atomic (an over-long code block
is split between lines). Each table chunk starts with its caption and header; each FAQ
pair is one chunk. `indexed_text` prepends title and heading path (product-name completion).
Every step is linear in the text, whatever its shape (one 50 MB line included).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import groupby

from knowledge.document import Block, ParsedDocument

_SENTENCE = re.compile(r"(?<=[。！？；…])|(?<=[.!?;](?=\s))")


@dataclass
class ChunkDraft:
    """A chunk before it is stored: what users see and what the index sees."""

    heading_path: list[str]
    text: str
    indexed_text: str
    kind: str = "doc"
    meta: dict = field(default_factory=dict)


def split_sentences(text: str) -> list[str]:
    """Sentences with their end punctuation kept; empty pieces dropped."""
    return [s for s in (p.strip() for p in _SENTENCE.split(text)) if s]


Piece = tuple[str, bool, str]
"""(text, is_sentence, separator before it when it follows another piece in a chunk)."""


def _text_units(text: str, size: int) -> list[Piece]:
    """Paragraphs; the lines of a paragraph longer than size; sentences of a line longer than size."""
    units: list[Piece] = []
    for para in (p.strip() for p in text.split("\n\n")):
        if not para:
            continue
        if len(para) <= size:
            units.append((para, False, "\n\n"))
            continue
        for n, line in enumerate(x.rstrip() for x in para.split("\n")):
            if not line.strip():
                continue
            first = "\n\n" if n == 0 else "\n"
            if len(line) <= size:
                units.append((line, False, first))
                continue
            indent = line[: len(line) - len(line.lstrip())]
            for k, sentence in enumerate(split_sentences(line)):
                sentence = indent + sentence if k == 0 else sentence
                sep = first if k == 0 else ""
                # a "sentence" with no punctuation at all: cut by offset (re-slicing the rest each
                # time copied it again and again: quadratic, 21 s for an 8 MB line)
                cut = 0
                while len(sentence) - cut > size * 2:
                    units.append((sentence[cut:cut + size], True, sep if cut == 0 else ""))
                    cut += size
                units.append((sentence[cut:], True, sep if cut == 0 else ""))
    return units


def _code_units(code: str, size: int) -> list[str]:
    if len(code) <= size * 2:
        return [code]
    lines = code.split("\n")
    fence_open, body = (lines[0], lines[1:-1]) if lines[0].startswith(("```", "~~~")) else ("```", lines)
    fence_close = fence_open[:3]
    pieces: list[str] = []
    current: list[str] = []
    for line in body:
        if current and sum(len(x) + 1 for x in current) + len(line) > size:
            pieces.append("\n".join([fence_open, *current, fence_close]))
            current = []
        current.append(line)
    if current:
        pieces.append("\n".join([fence_open, *current, fence_close]))
    return pieces


def _pack(units: list[Piece], size: int, overlap: int) -> list[str]:
    chunks: list[str] = []
    current: list[Piece] = []
    length = 0
    for piece in units:
        if current and length + len(piece[0]) > size:
            chunks.append(_join(current))
            carry: list[Piece] = []
            carried = 0
            for prev in reversed(current):
                if not prev[1] or carried + len(prev[0]) > overlap:
                    break
                carry.insert(0, prev)
                carried += len(prev[0])
            current, length = carry, carried
        current.append(piece)
        length += len(piece[0])
    if current:
        chunks.append(_join(current))
    return chunks


def _join(units: list[Piece]) -> str:
    out = ""
    for i, (unit, _, sep) in enumerate(units):
        if i == 0:
            out = unit.lstrip() if sep != "\n" else unit
        elif sep:
            out += sep + unit
        else:  # sentences of one line
            out += ("" if unit[:1] > "\u2e80" else " ") + unit
    return out


def _table_chunks(block: Block, size: int) -> list[str]:
    chunks, current = [], [block.caption]
    for row in block.rows:
        if len(current) > 1 and sum(len(x) + 1 for x in current) + len(row) > size:
            chunks.append("\n".join(current))
            current = [block.caption]
        current.append(row)
    if len(current) > 1:
        chunks.append("\n".join(current))
    return chunks


def chunk_document(doc: ParsedDocument, size: int, overlap: int) -> list[ChunkDraft]:
    """All chunks of a document, in reading order."""
    drafts: list[ChunkDraft] = []
    for _, section in groupby(doc.blocks, key=lambda b: tuple(b.heading_path)):
        units: list[Piece] = []
        path: list[str] = []
        for block in section:
            path = block.heading_path
            if block.kind == "text":
                units.extend(_text_units(block.text, size))
            elif block.kind == "code":
                units.extend((piece, False, "\n\n") for piece in _code_units(block.text, size))
            elif block.kind == "table":
                drafts.extend(_draft(doc, path, _pack(units, size, overlap)))
                units = []
                drafts.extend(_draft(doc, path, _table_chunks(block, size), kind="table", meta={"caption": block.caption}))
            elif block.kind == "faq":
                text = f"问：{block.question}\n答：{block.text}"
                drafts.extend(_draft(doc, path, [text], kind="faq", meta={"question": block.question}))
        drafts.extend(_draft(doc, path, _pack(units, size, overlap)))
    return drafts


def _draft(doc: ParsedDocument, path: list[str], texts: list[str], kind: str = "doc", meta: dict | None = None) -> list[ChunkDraft]:
    product = doc.meta.get("product")
    lead = [product] if isinstance(product, str) and product and product not in doc.title else []
    prefix = " > ".join([*lead, doc.title, *path])
    return [ChunkDraft(list(path), t, f"{prefix}\n{t}", kind, dict(meta or {})) for t in texts if t.strip()]
