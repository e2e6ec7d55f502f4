"""File loaders by extension: one `LoaderSpec` per format in `LOADERS` is the only list.

The supported-suffix list (`supported_suffixes()`), the error message for an unknown
type and the web app's default upload types (app/settings.py) all derive from it, so a
new format is one module with a `load_x(path) -> ParsedDocument` and one line here
(see CONTRIBUTING.md). `load_file` turns one file into a ParsedDocument or raises
KnowledgeError whose Chinese message says what is wrong and what to do.
Tests: `pytest tests/knowledge/test_loaders.py tests/knowledge/test_loader_errors.py`.
"""

from __future__ import annotations

import errno
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from knowledge.document import ParsedDocument
from knowledge.errors import KnowledgeError
from knowledge.loaders import faq, html, markdown, office, tables
from knowledge.loaders.encoding import UNKNOWN_ENCODING

log = logging.getLogger(__name__)
EMPTY = "文件是空的（0 字节）：请确认选的是正确的文件，或重新导出后再导入"

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
    """Parse a file by its extension; unsupported or broken files raise KnowledgeError (Chinese).

    Every message says what is wrong and what to do, and never quotes a parser's English text or
    the file's path (an upload sits in a temp folder; the caller names the file by its source).
    """
    spec = loaders_by_suffix().get(path.suffix.lower())
    if spec is None:
        raise KnowledgeError(f"不支持的文件类型 {path.suffix or '（无扩展名）'}：请转换成以下格式之一再导入："
                             f"{', '.join(supported_suffixes())}")
    try:
        if path.stat().st_size == 0:
            raise KnowledgeError(EMPTY)
        return spec.load(path)
    except KnowledgeError:
        raise
    except UnicodeDecodeError as exc:
        raise KnowledgeError(UNKNOWN_ENCODING) from exc
    except OSError as exc:
        raise KnowledgeError(unreadable(exc)) from exc
    except Exception as exc:  # a parser's own error on a damaged file: one Chinese line, the detail in the log
        log.warning("parsing %s (%s) failed: %r", path.name, spec.description, exc)
        raise KnowledgeError(f"文件无法解析（内容已损坏，或不是真正的{spec.description}文件）："
                             "请用原软件打开确认后重新导出，再导入") from exc


def unreadable(exc: OSError) -> str:
    """The Chinese line for a file the system would not let us read (no English strerror, no path)."""
    reason = {errno.EACCES: "没有读取权限", errno.EPERM: "没有读取权限", errno.ENOENT: "文件已被移走或删除",
              errno.EISDIR: "这是一个文件夹", errno.EIO: "磁盘读写出错"}.get(exc.errno or 0, "系统读取出错")
    return f"无法读取文件（{reason}）：请检查文件是否存在、权限是否允许读取，然后重新导入"
