"""PDF (pypdf) and DOCX (python-docx) loaders; libraries imported on first use."""

from __future__ import annotations

import contextlib
import logging
import re
from pathlib import Path
from typing import Iterator

from knowledge.clean import normalize_inline, normalize_punctuation, normalize_whitespace
from knowledge.document import Block, ParsedDocument, table_rows
from knowledge.errors import KnowledgeError

log = logging.getLogger(__name__)
HEADING_CHARS = 40
BROKEN_PDF = "PDF 文件无法解析（文件已损坏、未下载完整，或不是真正的 PDF）：请用 PDF 阅读器打开确认，重新导出后再导入"
ENCRYPTED_PDF = "PDF 已加密（设有打开密码），无法读取内容：请去掉密码后另存一份再导入"
BROKEN_DOCX = ("DOCX 文件无法解析（文件已损坏，或不是真正的 Word .docx）：请用 Word 打开后另存为 .docx 再导入"
               "（旧版 .doc 也需先另存为 .docx）")
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


@contextlib.contextmanager
def quiet(logger: str) -> Iterator[None]:
    """A parser's own warnings about a broken file stay out of the user's terminal (the library never prints;
    with no logging configured Python would print them to stderr); the Chinese error says what is wrong."""
    target = logging.getLogger(logger)
    level = target.level
    target.setLevel(logging.ERROR)
    try:
        yield
    finally:
        target.setLevel(level)


def _opened(reader) -> bool:
    """An encrypted PDF with an empty user password (only editing restricted) opens without one."""
    from pypdf import PasswordType

    return reader.decrypt("") != PasswordType.NOT_DECRYPTED


def load_pdf(path: Path) -> ParsedDocument:
    """One text block per page, under a "第 N 页" heading; title from `pdf_title`."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    try:
        with quiet("pypdf"):
            reader = PdfReader(str(path))
            if reader.is_encrypted and not _opened(reader):
                raise KnowledgeError(ENCRYPTED_PDF)
            pages = [page.extract_text() or "" for page in reader.pages]
            meta_title = (reader.metadata.title if reader.metadata else None) or ""
    except (FileNotDecryptedError, DependencyError) as exc:
        raise KnowledgeError(ENCRYPTED_PDF) from exc
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        log.info("pdf %s unreadable: %r", path.name, exc)
        raise KnowledgeError(BROKEN_PDF) from exc
    blocks = []
    for n, text in enumerate(pages, start=1):
        text = normalize_whitespace(normalize_punctuation(text))
        if text:
            # PDF lines are layout lines: join lines inside a paragraph
            paras = [normalize_whitespace(p, keep_lines=False) for p in text.split("\n\n")]
            blocks.append(Block("text", [f"第 {n} 页"], text="\n\n".join(p for p in paras if p)))
    if not blocks:
        raise KnowledgeError("PDF 中没有可提取的文字（可能是扫描件或图片）：请先做 OCR 转成文字版 PDF，或导入原始文档")
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
        log.info("docx %s unreadable: %r", path.name, exc)  # its messages carry the full (temp) path
        raise KnowledgeError(BROKEN_DOCX) from exc
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
