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
from typing import Any, Callable, Iterator

from knowledge.catalog import Catalog
from knowledge.chunking import ChunkDraft, chunk_document
from knowledge.config import KnowledgeSettings
from knowledge.corpus import Corpus
from knowledge.document import ParsedDocument
from knowledge.errors import KnowledgeError
from knowledge.lexicon import mine_terms
from knowledge.loaders import load_file
from knowledge.text import index_tokens

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


BATCH_FILES = 200
BATCH_BYTES = 32 * 1024 * 1024


def ingest_files(catalog: Catalog, corpus: Corpus, settings: KnowledgeSettings, kb: str,
                 files: list[tuple[Path, str]], sync: bool = False, progress: Progress | None = None) -> IngestReport:
    """The lexical phase for a list of files (see module docstring).

    Files go in batches: parse and chunk a batch, record the terms it mined (re-tokenizing
    older chunks that contain new Chinese terms), then tokenize and commit each document
    with the resulting tokenizer, so every committed chunk matches the tokenizer queries use.
    """
    catalog.ensure_kb(kb)
    existing = catalog.documents(kb)
    report = IngestReport(kb=kb)
    seen: set[str] = set()
    done = 0
    for batch in _batches(files):
        prepared = []
        for path, source in batch:
            seen.add(source)
            entry = {"source": source, "status": "failed", "chunks": 0, "error": None}
            report.files.append(entry)
            parsed = _guarded(entry, lambda: _prepare(settings, path, existing.get(source), entry))
            if parsed is not None:
                prepared.append((entry, source, parsed))
                continue
            done += 1
            if progress:
                progress("索引", done, len(files))
        tokenizer = corpus.add_terms(kb, [t for _, _, p in prepared for t in p[3]])
        for entry, source, (digest, doc, drafts, terms) in prepared:
            def commit() -> None:
                tokens = [index_tokens(d.kind, d.text, d.indexed_text, tokenizer.tokenize) for d in drafts]
                catalog.replace_document(kb, source, doc.title, digest, doc.meta, drafts, tokens, terms)
                entry.update(status="updated" if source in existing else "added", chunks=len(drafts))
            _guarded(entry, commit)
            done += 1
            if progress:
                progress("索引", done, len(files))
    if sync:
        for source in sorted(set(existing) - seen):
            if catalog.delete_document(kb, source):
                report.deleted += 1
    return report


def _batches(files: list[tuple[Path, str]]) -> Iterator[list[tuple[Path, str]]]:
    batch: list[tuple[Path, str]] = []
    size = 0
    for item in files:
        batch.append(item)
        size += _size(item[0])
        if len(batch) >= BATCH_FILES or size >= BATCH_BYTES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _prepare(settings: KnowledgeSettings, path: Path, old: Any, entry: dict) -> tuple | None:
    """(hash, parsed doc, chunk drafts, mined terms) of a new or changed file; None when unchanged."""
    check_size(path, settings)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if old is not None and old["content_hash"] == digest:
        entry.update(status="unchanged", chunks=old["chunks"])
        return None
    doc, drafts = parse_file(path, settings)
    return digest, doc, drafts, mine_terms(doc)


def _guarded(entry: dict, step: Callable[[], Any]) -> Any:
    """Run one file's step; its failure is recorded in `entry` and never stops the batch."""
    try:
        return step()
    except Exception as exc:  # parsers raise many types on broken files; one file must not stop the batch
        entry["error"] = failure_message(exc, entry["source"])
    return None
