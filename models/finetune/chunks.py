"""Where the generators read knowledge from: any object shaped like a knowledge chunk.

The generators accept anything with `source`, `title`, `heading_path`, `text`, `kind`
and `meta` attributes — `knowledge.types.Passage` from `KnowledgeService.iter_chunks()`
fits as is (app/commands/data.py passes them in). `read_folder_chunks(folder)` is the
stand-alone reader for a knowledge folder laid out like knowledge/demo/ (Markdown docs
split at `##` sections, `faq/*.jsonl` pairs, `tables/*.csv` rows), used when no
knowledge base has been ingested and by the tests.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Protocol

import yaml

from models.errors import ModelError


class ChunkLike(Protocol):
    source: str
    title: str
    heading_path: list[str]
    text: str
    kind: str
    meta: dict


@dataclass
class FolderChunk:
    """A chunk read straight from a knowledge folder (same shape as knowledge Passage)."""

    source: str
    title: str
    heading_path: list[str]
    text: str
    kind: str = "doc"
    meta: dict = field(default_factory=dict)


_HEADING = re.compile(r"^(#{1,6})\s+(\S.*)$")  # closing #s cut in _heading (the one-regex form was cubic)
_FENCE = re.compile(r"^\s*(```|~~~)")
_ANCHOR = re.compile(r"(?<!\s)\s*\{#[^{}]*\}\s*$")


def read_folder_chunks(folder: str | Path) -> list[FolderChunk]:
    """Read every Markdown doc, FAQ JSONL and CSV table under `folder`."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ModelError(f"知识目录不存在：{folder}")
    chunks: list[FolderChunk] = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.suffix == ".md":
            chunks.extend(markdown_sections(path.read_text(encoding="utf-8"), rel))
        elif path.suffix == ".jsonl":
            chunks.extend(_faq_chunks(path, rel))
        elif path.suffix == ".csv":
            chunks.extend(table_rows(path, rel))
    return chunks


def front_matter(text: str) -> tuple[dict, str]:
    """Split YAML front matter (`---` block) from a Markdown document."""
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end != -1:
            try:
                meta = yaml.safe_load(text[4:end]) or {}
            except yaml.YAMLError:
                meta = {}
            return (meta if isinstance(meta, dict) else {}), text[end + 4 :].lstrip("\n")
    return {}, text


def _heading(line: str) -> tuple[int, str] | None:
    match = _HEADING.match(line)
    if match is None:
        return None
    text = match.group(2).rstrip()
    return len(match.group(1)), text.rstrip("#").rstrip() or text


def _strip_comments(text: str) -> str:
    """`<!-- … -->` removed in linear time (a lazy regex rescans to the end from each unclosed `<!--`)."""
    out, at = [], 0
    while (start := text.find("<!--", at)) >= 0 and (end := text.find("-->", start + 4)) >= 0:
        out.append(text[at:start])
        at = end + 3
    out.append(text[at:])
    return "".join(out)


def markdown_sections(text: str, source: str) -> list[FolderChunk]:
    """One chunk per `##` section (subsections included); the intro before it is one too."""
    meta, body = front_matter(text)
    body = _strip_comments(body)
    title = str(meta.get("title") or "")
    sections: list[tuple[list[str], list[str]]] = [([], [])]
    in_fence = False
    for line in body.splitlines():
        if _FENCE.match(line):
            in_fence = not in_fence
        if not in_fence and line.startswith("#"):
            line = _ANCHOR.sub("", line)  # Hugo heading ids: "## 问题 {#questions}"
        match = None if in_fence else _heading(line)
        if match and match[0] == 1:
            title = title or match[1]
            continue
        if match and match[0] == 2:
            sections.append(([match[1]], []))
            continue
        sections[-1][1].append(line)
    title = title or Path(source).stem
    chunks = []
    for headings, lines in sections:
        content = "\n".join(lines).strip()
        if content:
            chunks.append(FolderChunk(source, title, [title, *headings], content, "doc", dict(meta)))
    return chunks


def _faq_chunks(path: Path, rel: str) -> Iterator[FolderChunk]:
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            pair = json.loads(line)
        except json.JSONDecodeError:
            raise ModelError(f"FAQ 文件 {path} 第 {lineno} 行不是合法的 JSON") from None
        question, answer = str(pair.get("question", "")).strip(), str(pair.get("answer", "")).strip()
        if question and answer:
            yield FolderChunk(rel, question, [question], answer, "faq", {"question": question})


def table_rows(path: Path, rel: str) -> list[FolderChunk]:
    """One chunk per CSV row: the text is `column: value` lines, the row dict is in meta."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    chunks = []
    for index, row in enumerate(rows, start=1):
        row = {str(k).strip(): str(v or "").strip() for k, v in row.items() if k}
        text = "\n".join(f"{k}：{v}" for k, v in row.items() if v)
        chunks.append(FolderChunk(rel, path.stem, [path.stem, str(index)], text, "table", {"row": row}))
    return chunks


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
    """Table rows of a chunk: `meta["row"]` (folder reader) or parsed from the knowledge
    layer's table text (a caption naming the headers, then `列: 值；列: 值` lines)."""
    meta = chunk.meta or {}
    if isinstance(meta.get("row"), dict):
        return [meta["row"]]
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


def group_sections(chunks: Iterable[ChunkLike]) -> list[FolderChunk]:
    """Merge consecutive chunks of the same document section (title + first heading).

    The knowledge layer splits long sections into several chunks, and Markdown tables
    inside a section into row chunks; the deterministic generators want a whole
    "排查步骤" or "可能原因" section back. Rows of a table file stay separate.
    """
    groups: list[FolderChunk] = []
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
        groups.append(FolderChunk(chunk.source, chunk.title, key, text, kind, dict(chunk.meta or {})))
    return groups
