"""Markdown (and plain text) loader: front matter, headings, fenced code, pipe tables.

Headings build the heading path; the first H1 (or front-matter `title`) is the title.
Fenced code becomes a `code` block; a pipe table becomes a `table` block of
self-describing rows under its caption (the paragraph just before it); a table headed
"（续表）" continues the previous table's caption.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from knowledge.clean import normalize_inline, normalize_punctuation, normalize_whitespace, strip_markup
from knowledge.document import Block, ParsedDocument, table_rows
from knowledge.loaders.encoding import read_text

_FRONT = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.DOTALL)
_HEADING = re.compile(r"^(#{1,6})\s+(\S.*)$")  # the closing #s are cut by heading_parts, not by the pattern
_FENCE = re.compile(r"^\s*(```|~~~)")
# No two `\s*` side by side and no `[`/`{` inside the scanned runs: linear on any line, even a
# 50 MB one (the earlier forms were quadratic on long runs of spaces or brackets).
_TABLE_SEP = re.compile(r"^\s*(?:\|\s*)?:?-{2,}:?(?:\s*\|\s*:?-{2,}:?)*\s*(?:\|\s*)?$")
_ANCHOR = re.compile(r"(?<!\s)\s*\{#[^{}]*\}\s*$")
_LINK = re.compile(r"\[([^\[\]]*)\]\([^()]*\)")
_CONTINUED = ("续表", "(续)", "（续）")
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: ~10x faster on 1,000s of front matters


def front_matter(raw: str) -> tuple[dict, str]:
    """Split YAML front matter from the body; broken front matter is kept as body text."""
    match = _FRONT.match(raw)
    if not match:
        return {}, raw
    try:
        meta = yaml.load(match.group(1), Loader=_YAML_LOADER) or {}
    except yaml.YAMLError:
        return {}, raw[match.end():]
    return (meta if isinstance(meta, dict) else {}), raw[match.end():]


def heading_parts(line: str) -> tuple[int, str] | None:
    """(level, text) of an ATX heading line, closing `#`s cut.

    Done in two steps because the one-pattern form `(.+?)\\s*#*\\s*$` backtracked in cubic
    time: a heading line with 2,000 spaces took 15 s.
    """
    match = _HEADING.match(line)
    if match is None:
        return None
    text = match.group(2).rstrip()
    return len(match.group(1)), text.rstrip("#").rstrip() or text


def _cells(line: str) -> list[str]:
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|") and not line.endswith("\\|"):
        line = line[:-1]
    parts = re.split(r"(?<!\\)\|", line)
    return [normalize_inline(_LINK.sub(r"\1", p.replace("\\|", "|"))) for p in parts]


def declared_terms(meta: dict) -> list[str]:
    """Domain words from front matter: product and tags."""
    terms: list[str] = []
    for key in ("product", "products"):
        value = meta.get(key)
        terms.extend([value] if isinstance(value, str) else [v for v in (value or []) if isinstance(v, str)])
    tags = meta.get("tags") or meta.get("keywords") or []
    if isinstance(tags, str):
        tags = re.split(r"[,，]", tags)
    terms.extend(str(t) for t in tags if isinstance(t, (str, int)))
    return [normalize_inline(t) for t in terms if str(t).strip()]


def parse_markdown(raw: str, fallback_title: str) -> ParsedDocument:
    meta, body = front_matter(raw.replace("\r\n", "\n"))
    body = strip_markup(body)
    title = normalize_inline(str(meta.get("title") or ""))
    blocks: list[Block] = []
    path: list[str] = []
    para: list[str] = []
    last_caption = ""
    lines = body.split("\n")
    i = 0

    def flush() -> None:
        text = normalize_whitespace(normalize_punctuation("\n".join(para)))
        para.clear()
        if text:
            blocks.append(Block("text", list(path), text=text))

    while i < len(lines):
        line = lines[i]
        heading = heading_parts(line)
        fence_match = _FENCE.match(line)
        if fence_match:
            flush()
            fence = fence_match.group(1)
            code = [line.strip()]
            i += 1
            while i < len(lines) and not lines[i].strip().startswith(fence):
                code.append(lines[i].rstrip())
                i += 1
            code.append(fence)
            text = "\n".join(code).strip()
            if len(code) > 2:
                blocks.append(Block("code", list(path), text=text))
        elif heading:
            flush()
            level, name = heading
            name = normalize_inline(_LINK.sub(r"\1", _ANCHOR.sub("", name))).strip("*` ")
            if level == 1 and not title:
                title = name
            elif not (level == 1 and name == title):
                depth = max(level - 2, 0)
                path = path[:depth] + [name]
        elif line.lstrip().startswith("|") and i + 1 < len(lines) and _TABLE_SEP.match(lines[i + 1]):
            prev = normalize_inline("\n".join(para)) if para else ""
            para.clear()
            header = _cells(line)
            rows = []
            i += 2
            while i < len(lines) and lines[i].lstrip().startswith("|"):
                rows.append(_cells(lines[i]))
                i += 1
            i -= 1
            if any(mark in prev for mark in _CONTINUED) and last_caption:
                caption = last_caption
            else:
                if prev and len(prev) > 200:
                    blocks.append(Block("text", list(path), text=prev))
                    prev = ""
                caption = prev or (path[-1] if path else title)
            last_caption = caption
            blocks.append(Block("table", list(path), rows=table_rows(header, rows),
                                caption=f"{caption}（表头：{' | '.join(h for h in header if h)}）"))
        else:
            para.append(line)
        i += 1
    flush()
    title = title or fallback_title
    summary = normalize_inline(str(meta.get("description") or meta.get("summary") or ""))
    if summary and not any(summary in b.text for b in blocks[:2]):
        blocks.insert(0, Block("text", [], text=summary))
    if not blocks:  # a section index page: its title is all there is, still worth finding
        blocks.append(Block("text", [], text=title))
    return ParsedDocument(title=title, blocks=blocks, meta=meta, terms=declared_terms(meta))


def load_markdown(path: Path) -> ParsedDocument:
    return parse_markdown(read_text(path), path.stem)


def load_text(path: Path) -> ParsedDocument:
    """Plain text: paragraphs only; the first short line is the title."""
    raw = normalize_whitespace(normalize_punctuation(read_text(path)))
    first = raw.split("\n", 1)[0].strip() if raw else ""
    title = first if 0 < len(first) <= 60 else path.stem
    paras = [p.strip() for p in raw.split("\n\n") if p.strip()]
    return ParsedDocument(title=title, blocks=[Block("text", [], text=p) for p in paras])
