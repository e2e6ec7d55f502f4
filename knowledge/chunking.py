"""Heading-aware, sentence-aware chunking with size and overlap; code and table rows never cut.

Chunks never cross a section (heading path). Text is split into paragraphs, long
paragraphs into sentences (Chinese 。！？；… and English . ? !), then packed up to
`size` characters; a new chunk repeats up to `overlap` characters of whole sentences
from the previous one. Code blocks and table rows are atomic (an over-long code block
is split between lines). Each table chunk starts with its caption and header; each FAQ
pair is one chunk. `indexed_text` prepends title and heading path (product-name completion).
Every step is linear in the text, whatever its shape (one 50 MB line included).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import groupby

from knowledge.document import Block, ParsedDocument

_SENTENCE = re.compile(r"(?<=[。！？；…!?;])|(?<=[.](?=\s))")


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


def _text_units(text: str, size: int) -> list[tuple[str, bool]]:
    """(unit, is_sentence) pieces: paragraphs, or sentences of paragraphs longer than size."""
    units: list[tuple[str, bool]] = []
    for para in (p.strip() for p in text.split("\n\n")):
        if not para:
            continue
        if len(para) <= size:
            units.append((para, False))
            continue
        for sentence in split_sentences(para):
            if len(sentence) <= size * 2:
                units.append((sentence, True))
                continue
            # a "sentence" with no punctuation at all: cut by offset (re-slicing the rest each
            # time copied it again and again: quadratic, 21 s for an 8 MB line)
            cut = 0
            while len(sentence) - cut > size * 2:
                units.append((sentence[cut:cut + size], True))
                cut += size
            units.append((sentence[cut:], True))
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


def _pack(units: list[tuple[str, bool]], size: int, overlap: int) -> list[str]:
    chunks: list[str] = []
    current: list[tuple[str, bool]] = []
    length = 0
    for unit, is_sentence in units:
        if current and length + len(unit) > size:
            chunks.append(_join(current))
            carry: list[tuple[str, bool]] = []
            carried = 0
            for prev, prev_sentence in reversed(current):
                if not prev_sentence or carried + len(prev) > overlap:
                    break
                carry.insert(0, (prev, prev_sentence))
                carried += len(prev)
            current, length = carry, carried
        current.append((unit, is_sentence))
        length += len(unit)
    if current:
        chunks.append(_join(current))
    return chunks


def _join(units: list[tuple[str, bool]]) -> str:
    out = ""
    for i, (unit, is_sentence) in enumerate(units):
        if i == 0:
            out = unit
        elif is_sentence and units[i - 1][1]:
            out += ("" if unit[:1] > "\u2e80" else " ") + unit
        else:
            out += "\n\n" + unit
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
        units: list[tuple[str, bool]] = []
        path: list[str] = []
        for block in section:
            path = block.heading_path
            if block.kind == "text":
                units.extend(_text_units(block.text, size))
            elif block.kind == "code":
                units.extend((piece, False) for piece in _code_units(block.text, size))
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
