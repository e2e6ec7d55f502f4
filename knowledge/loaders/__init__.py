"""File loaders by extension; `load_file` turns one file into a ParsedDocument or raises KnowledgeError."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from knowledge.document import ParsedDocument
from knowledge.errors import KnowledgeError

Loader = Callable[[Path], ParsedDocument]


def _registry() -> dict[str, Loader]:
    from knowledge.loaders import faq, html, markdown, office, tables

    return {
        ".md": markdown.load_markdown, ".markdown": markdown.load_markdown, ".mdx": markdown.load_markdown,
        ".txt": markdown.load_text, ".text": markdown.load_text,
        ".html": html.load_html, ".htm": html.load_html,
        ".pdf": office.load_pdf, ".docx": office.load_docx,
        ".csv": tables.load_csv, ".xlsx": tables.load_xlsx,
        ".jsonl": faq.load_jsonl, ".json": faq.load_json, ".yaml": faq.load_yaml, ".yml": faq.load_yaml,
    }


SUPPORTED = (".md", ".markdown", ".mdx", ".txt", ".text", ".html", ".htm", ".pdf", ".docx", ".csv", ".xlsx",
             ".jsonl", ".json", ".yaml", ".yml")


def load_file(path: Path) -> ParsedDocument:
    """Parse a file by its extension; unsupported or broken files raise KnowledgeError (Chinese)."""
    loader = _registry().get(path.suffix.lower())
    if loader is None:
        raise KnowledgeError(f"不支持的文件类型 {path.suffix or '（无扩展名）'}，支持：{', '.join(SUPPORTED)}")
    try:
        return loader(path)
    except UnicodeDecodeError as exc:
        raise KnowledgeError(f"文件不是 UTF-8 编码的文本：{exc.reason}") from exc
    except OSError as exc:
        raise KnowledgeError(f"无法读取文件：{exc.strerror or exc}") from exc
