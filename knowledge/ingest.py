"""Incremental ingest: files -> parse -> clean -> chunk -> tokenize -> one catalog transaction per document.

Unchanged files (same content hash) are skipped; changed ones replaced (version + 1);
with `sync`, documents whose files are gone are removed. Broken or unsupported files
are reported per file and never stop the batch. Dense embedding is a separate phase
(`knowledge.embedding`), so a document is keyword-searchable as soon as it is committed.
"""

from __future__ import annotations

import fnmatch
import hashlib
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from knowledge.catalog import Catalog
from knowledge.chunking import ChunkDraft, chunk_document
from knowledge.config import KnowledgeSettings
from knowledge.document import ParsedDocument
from knowledge.errors import KnowledgeError
from knowledge.lexicon import mine_terms
from knowledge.loaders import load_file
from knowledge.text import add_terms, tokenize

log = logging.getLogger(__name__)
Progress = Callable[[str, int, int], None]


@dataclass
class IngestReport:
    """What one ingest did; `to_json()` is the `ingest --json` contract."""

    kb: str
    files: list[dict] = field(default_factory=list)
    deleted: int = 0

    def count(self, status: str) -> int:
        return sum(1 for f in self.files if f["status"] == status)

    @property
    def chunks(self) -> int:
        return sum(f["chunks"] for f in self.files if f["status"] in ("added", "updated"))

    @property
    def errors(self) -> list[dict]:
        return [{"source": f["source"], "error": f["error"]} for f in self.files if f["status"] == "failed"]

    def to_json(self) -> dict:
        return {"kb": self.kb, "added": self.count("added"), "updated": self.count("updated"),
                "unchanged": self.count("unchanged"), "deleted": self.deleted, "chunks": self.chunks,
                "errors": self.errors}


IGNORE_FILE = ".kbignore"


def ignore_patterns(root: Path) -> list[str]:
    """Glob patterns (relative paths) from the folder's `.kbignore`, if it has one."""
    file = root / IGNORE_FILE
    if not file.is_file():
        return []
    lines = (line.strip() for line in file.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def collect_files(paths: list[Path], skip_names: list[str]) -> list[tuple[Path, str]]:
    """(file, source) pairs; source is relative to the folder given, or the file name for a file.

    A folder may hold a `.kbignore` of glob patterns (e.g. its own README) to leave out.
    """
    found: list[tuple[Path, str]] = []
    for root in paths:
        if not root.exists():
            raise KnowledgeError(f"路径不存在：{root}")
        if root.is_file():
            found.append((root, root.name))
            continue
        ignored = ignore_patterns(root)
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "__")))
            for name in sorted(filenames):
                if name.startswith(".") or name in skip_names:
                    continue
                file = Path(dirpath) / name
                source = file.relative_to(root).as_posix()
                if not any(fnmatch.fnmatch(source, pattern) for pattern in ignored):
                    found.append((file, source))
    return found


def check_size(path: Path, settings: KnowledgeSettings) -> None:
    """KnowledgeError for a file over knowledge.max_file_mb."""
    size = path.stat().st_size
    if size > settings.max_file_mb * 1024 * 1024:
        raise KnowledgeError(f"文件过大（{size / 1048576:.1f} MB，上限 {settings.max_file_mb} MB，见 knowledge.max_file_mb）")


def parse_file(path: Path, settings: KnowledgeSettings) -> tuple[ParsedDocument, list[ChunkDraft]]:
    """Load, clean and chunk one file exactly as ingest stores it; KnowledgeError when nothing is usable."""
    doc = load_file(path)
    drafts = chunk_document(doc, settings.chunk_size, settings.chunk_overlap)
    if not drafts:
        raise KnowledgeError("文件中没有可索引的文字内容")
    return doc, drafts


def failure_message(exc: Exception, source: str) -> str:
    """The per-file error line: a KnowledgeError as is, anything else a parser raised named by type."""
    if isinstance(exc, KnowledgeError):
        return str(exc)
    log.warning("reading %s failed: %r", source, exc)
    return f"无法处理该文件：{type(exc).__name__}: {exc}"


def ingest_files(catalog: Catalog, settings: KnowledgeSettings, kb: str, files: list[tuple[Path, str]],
                 sync: bool = False, progress: Progress | None = None) -> IngestReport:
    """The lexical phase for a list of files (see module docstring)."""
    catalog.ensure_kb(kb)
    existing = catalog.documents(kb)
    report = IngestReport(kb=kb)
    seen: set[str] = set()
    for n, (path, source) in enumerate(files, start=1):
        seen.add(source)
        entry = {"source": source, "status": "failed", "chunks": 0, "error": None}
        try:
            check_size(path, settings)
            data = path.read_bytes()
            digest = hashlib.sha256(data).hexdigest()
            old = existing.get(source)
            if old is not None and old["content_hash"] == digest:
                entry.update(status="unchanged", chunks=old["chunks"])
            else:
                doc, drafts = parse_file(path, settings)
                terms = mine_terms(doc)
                add_terms(t for t, _ in terms)
                tokens = [(tokenize(d.indexed_text.split("\n", 1)[0]), tokenize(_body(d))) for d in drafts]
                catalog.replace_document(kb, source, doc.title, digest, doc.meta, drafts, tokens, terms)
                entry.update(status="updated" if old is not None else "added", chunks=len(drafts))
        except Exception as exc:  # parsers raise many types on broken files; one file must not stop the batch
            entry["error"] = failure_message(exc, source)
        report.files.append(entry)
        if progress:
            progress("索引", n, len(files))
    if sync:
        for source in sorted(set(existing) - seen):
            if catalog.delete_document(kb, source):
                report.deleted += 1
    return report


def _body(draft: ChunkDraft) -> str:
    """Body text for the lexical index; a FAQ question is already in the heading column."""
    if draft.kind == "faq" and draft.text.startswith("问："):
        return draft.text.split("\n答：", 1)[-1]
    return draft.text
