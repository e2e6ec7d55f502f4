"""PDF (pypdf) and DOCX (python-docx) loaders; libraries imported on first use."""

from __future__ import annotations

import re
from pathlib import Path

from knowledge.clean import normalize_inline, normalize_punctuation, normalize_whitespace
from knowledge.document import Block, ParsedDocument, table_rows
from knowledge.errors import KnowledgeError

HEADING_CHARS = 40
_SENTENCE_END = tuple("。！？；，,;:：.!?")
_META_PREFIX = re.compile(r"^microsoft (word|powerpoint|excel) - ", re.I)
_META_EMPTY = {"untitled", "无标题", "document", "文档"}


def pdf_title(meta_title: str, first_page: str, stem: str) -> str:
    """The PDF's metadata title, else its first heading-like line (short, not a sentence), else the file name.

    Text extraction gives layout lines; a paragraph's first line is not a title.
    """
    meta = re.sub(r"\.(docx?|pptx?|xlsx?)$", "", _META_PREFIX.sub("", normalize_inline(meta_title or "")), flags=re.I)
    if meta and meta.lower() not in _META_EMPTY:
        return meta
    for line in [normalize_inline(l) for l in first_page.splitlines()][:5]:
        if not line or line.isdigit():
            continue  # page numbers, blank header lines
        if len(line) <= HEADING_CHARS and not line.endswith(_SENTENCE_END) and any(ch.isalpha() for ch in line):
            return line
        break  # the text starts with a sentence: no title line
    return stem


def load_pdf(path: Path) -> ParsedDocument:
    """One text block per page, under a "第 N 页" heading; title from `pdf_title`."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
        meta_title = (reader.metadata.title if reader.metadata else None) or ""
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise KnowledgeError(f"PDF 文件无法解析：{exc}") from exc
    blocks = []
    for n, text in enumerate(pages, start=1):
        text = normalize_whitespace(normalize_punctuation(text))
        if text:
            # PDF lines are layout lines: join lines inside a paragraph
            paras = [normalize_whitespace(p, keep_lines=False) for p in text.split("\n\n")]
            blocks.append(Block("text", [f"第 {n} 页"], text="\n\n".join(p for p in paras if p)))
    if not blocks:
        raise KnowledgeError("PDF 中没有可提取的文字（可能是扫描件，需要先做 OCR）")
    first_page = next((normalize_punctuation(p) for p in pages if p.strip()), "")
    return ParsedDocument(title=pdf_title(meta_title, first_page, path.stem), blocks=blocks)


def load_docx(path: Path) -> ParsedDocument:
    """Paragraphs with Heading styles build the path; tables become self-describing rows."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several unrelated types for a broken package
        raise KnowledgeError(f"DOCX 文件无法解析：{exc}") from exc
    title = normalize_inline(document.core_properties.title or "")
    blocks: list[Block] = []
    path_: list[str] = []
    last_text = ""
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            text = normalize_inline(item.text)
            if not text:
                continue
            style = (item.style.name if item.style is not None else "") or ""
            if style == "Title" or (style.startswith("Heading 1") and not title):
                title = title or text
            elif style.startswith("Heading"):
                level = int(style.split()[-1]) if style.split()[-1].isdigit() else 2
                path_ = path_[: max(level - 2, 0)] + [text]
            else:
                if blocks and blocks[-1].kind == "text" and blocks[-1].heading_path == path_:
                    blocks[-1].text += "\n\n" + text
                else:
                    blocks.append(Block("text", list(path_), text=text))
                last_text = text
        elif isinstance(item, Table):
            grid = [[normalize_inline(cell.text) for cell in row.cells] for row in item.rows]
            grid = [r for r in grid if any(r)]
            if len(grid) < 2:
                continue
            caption = last_text if 0 < len(last_text) <= 120 else (path_[-1] if path_ else title)
            blocks.append(Block("table", list(path_), rows=table_rows(grid[0], grid[1:]),
                                caption=f"{caption}（表头：{' | '.join(h for h in grid[0] if h)}）"))
    return ParsedDocument(title=title or path.stem, blocks=blocks)
