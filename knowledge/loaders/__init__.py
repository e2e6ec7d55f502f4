"""File loaders by extension: one `LoaderSpec` per format in `LOADERS` is the only list.

The supported-suffix list (`supported_suffixes()`), the error message for an unknown
type and the web app's default upload types (app/settings.py) all derive from it, so a
new format is one module with a `load_x(path) -> ParsedDocument` and one line here
(see CONTRIBUTING.md). `load_file` turns one file into a ParsedDocument or raises
KnowledgeError. Tests: `pytest tests/knowledge/test_loaders.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from knowledge.document import ParsedDocument
from knowledge.errors import KnowledgeError
from knowledge.loaders import faq, html, markdown, office, tables

Loader = Callable[[Path], ParsedDocument]


@dataclass(frozen=True)
class LoaderSpec:
    """One file format: the function that parses it and the extensions it owns."""

    load: Loader
    """Parses one file; raises KnowledgeError (Chinese) for a file it cannot use."""
    suffixes: tuple[str, ...]
    """Lower-case extensions with the dot, e.g. (".md", ".markdown")."""
    description: str
    """What the format is, for people (Chinese)."""


LOADERS: list[LoaderSpec] = [
    LoaderSpec(markdown.load_markdown, (".md", ".markdown", ".mdx"), "Markdown（front matter、标题、代码、表格）"),
    LoaderSpec(markdown.load_text, (".txt", ".text"), "纯文本"),
    LoaderSpec(html.load_html, (".html", ".htm"), "HTML 网页（Wiki 导出）"),
    LoaderSpec(office.load_pdf, (".pdf",), "PDF"),
    LoaderSpec(office.load_docx, (".docx",), "Word 文档"),
    LoaderSpec(tables.load_csv, (".csv",), "CSV 表格（含问答表）"),
    LoaderSpec(tables.load_xlsx, (".xlsx",), "Excel 表格"),
    LoaderSpec(faq.load_jsonl, (".jsonl",), "问答对 JSONL"),
    LoaderSpec(faq.load_json, (".json",), "问答对 JSON"),
    LoaderSpec(faq.load_yaml, (".yaml", ".yml"), "问答对 YAML"),
]
"""The registry: one entry per format, in the order formats are listed to users."""


def loaders_by_suffix() -> dict[str, LoaderSpec]:
    """Suffix -> spec; a suffix claimed twice is a developer error (raised, naming both)."""
    found: dict[str, LoaderSpec] = {}
    for spec in LOADERS:
        for suffix in spec.suffixes:
            if suffix != suffix.lower() or not suffix.startswith("."):
                raise ValueError(f"loader suffix {suffix!r} must be lower-case and start with a dot")
            if suffix in found:
                raise ValueError(f"suffix {suffix} claimed by {found[suffix].load.__name__} and {spec.load.__name__}")
            found[suffix] = spec
    return found


def supported_suffixes() -> tuple[str, ...]:
    """Every extension a loader reads, in registry order."""
    return tuple(loaders_by_suffix())


def load_file(path: Path) -> ParsedDocument:
    """Parse a file by its extension; unsupported or broken files raise KnowledgeError (Chinese)."""
    spec = loaders_by_suffix().get(path.suffix.lower())
    if spec is None:
        raise KnowledgeError(f"不支持的文件类型 {path.suffix or '（无扩展名）'}，支持：{', '.join(supported_suffixes())}")
    try:
        return spec.load(path)
    except UnicodeDecodeError as exc:
        raise KnowledgeError(f"文件不是 UTF-8 编码的文本：{exc.reason}") from exc
    except OSError as exc:
        raise KnowledgeError(f"无法读取文件：{exc.strerror or exc}") from exc
