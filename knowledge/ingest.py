"""Incremental ingest: files -> parse -> clean -> chunk -> tokenize -> one catalog transaction per document.

Unchanged files (same content hash) are skipped; changed ones replaced (version + 1);
with `sync`, documents whose files are gone are removed. Broken or unsupported files
are reported per file and never stop the batch. Dense embedding is a separate phase
(`knowledge.embedding`), so a document is keyword-searchable as soon as it is committed.

Which files are read is knowledge/ingest_sources.py's (a folder's walk, `.kbignore`, what is not a
regular file). Here a file is read only as a regular file and never beyond the size limit (a device
or FIFO cannot make it read forever); empty files are refused alike whatever their type; two files
with the same source in one run, or a document replaced by a file from another folder, are reported
instead of silently overwritten.
"""

from __future__ import annotations

import hashlib
import logging
import os
import stat
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
    notices: list[str] = field(default_factory=list)
    """Chinese notes about the whole run (the vector server was unreachable: vectors come later)."""

    def count(self, status: str) -> int:
        return sum(1 for f in self.files if f["status"] == status)

    @property
    def chunks(self) -> int:
        return sum(f["chunks"] for f in self.files if f["status"] in ("added", "updated"))

    @property
    def errors(self) -> list[dict]:
        return [{"source": f["source"], "error": f["error"]} for f in self.files if f["status"] == "failed"]

    @property
    def warnings(self) -> list[dict]:
        return [{"source": f["source"], "warning": f["warning"]} for f in self.files if f.get("warning")]

    def to_json(self) -> dict:
        data = {"kb": self.kb, "added": self.count("added"), "updated": self.count("updated"),
                "unchanged": self.count("unchanged"), "deleted": self.deleted, "chunks": self.chunks,
                "errors": self.errors}
        if self.warnings:  # an added field of the contract: documents replaced by a file from another folder
            data["warnings"] = self.warnings
        if self.notices:  # an added field: the documents are in, but something about the run needs saying
            data["notices"] = list(self.notices)
        return data


def read_limited(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, refusing anything that is not a regular file or is larger than max_bytes.

    Opened non-blocking and checked on the open descriptor, so a FIFO cannot hang the ingest
    and a device or a growing file cannot be read without end.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise KnowledgeError("不是普通文件（设备、管道或套接字），已跳过")
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise KnowledgeError(f"文件过大（超过 {max_bytes / 1048576:g} MB）：请拆分成几个小文件再导入，"
                             "或调大 knowledge.max_file_mb")
    return data


def check_size(path: Path, settings: KnowledgeSettings) -> None:
    """KnowledgeError for a file over knowledge.max_file_mb."""
    size = path.stat().st_size
    if size > settings.max_file_mb * 1024 * 1024:
        raise KnowledgeError(f"文件过大（{size / 1048576:.1f} MB，上限 {settings.max_file_mb} MB）：请拆分成几个小文件"
                             "再导入，或调大 knowledge.max_file_mb")


def parse_file(path: Path, settings: KnowledgeSettings) -> tuple[ParsedDocument, list[ChunkDraft]]:
    """Load, clean and chunk one file exactly as ingest stores it; KnowledgeError when nothing is usable."""
    doc = load_file(path)
    drafts = chunk_document(doc, settings.chunk_size, settings.chunk_overlap)
    if not drafts:
        raise KnowledgeError("文件中没有可索引的文字内容（只有空白、图片或格式）：请确认文件里有文字后重新导入")
    if len(drafts) > settings.max_chunks_per_file:  # before the costly tokenizing (a small zip can expand hugely)
        raise KnowledgeError(f"文件切分后有 {len(drafts)} 段，超过每个文件 {settings.max_chunks_per_file} 段的上限"
                             "（knowledge.max_chunks_per_file），请拆分文件或调大上限")
    return doc, drafts


def failure_message(exc: Exception, source: str) -> str:
    """The per-file error line: a KnowledgeError as is, anything else a parser raised named by type."""
    if isinstance(exc, KnowledgeError):
        return str(exc)
    log.warning("reading %s failed: %r", source, exc)
    return f"无法处理该文件（{type(exc).__name__}）：请确认文件完整后重新导入；仍失败时请把日志发给管理员"


BATCH_FILES = 200
BATCH_BYTES = 32 * 1024 * 1024


def ingest_files(catalog: Catalog, corpus: Corpus, settings: KnowledgeSettings, kb: str,
                 files: list[tuple[Path, str]], sync: bool = False, progress: Progress | None = None,
                 origins: dict[str, str] | None = None) -> IngestReport:
    """The lexical phase for a list of files (see module docstring).

    Files go in batches: parse and chunk a batch, record the terms it mined (re-tokenizing
    older chunks that contain new Chinese terms), then tokenize and commit each document
    with the resulting tokenizer, so every committed chunk matches the tokenizer queries use.
    `origins` (source -> the folder it came from) lets a file that replaces one from another
    folder say so; two files with one relative path in the same run are refused.
    """
    catalog.ensure_kb(kb)
    existing = catalog.documents(kb)
    report = IngestReport(kb=kb)
    seen: dict[str, Path] = {}
    done = 0
    for batch in _batches(files):
        prepared = []
        for path, source in batch:
            entry = {"source": source, "status": "failed", "chunks": 0, "error": None}
            report.files.append(entry)
            parsed = _guarded(entry, lambda: _prepare(settings, path, source, seen, existing.get(source), entry))
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
                origin = (origins or {}).get(source)
                meta = {**doc.meta, "_origin": origin} if origin else doc.meta
                catalog.replace_document(kb, source, doc.title, digest, meta, drafts, tokens, terms)
                entry.update(status="updated" if source in existing else "added", chunks=len(drafts))
                replaced = _origin_of(existing[source]) if source in existing else None
                if origin and replaced and replaced != origin:
                    entry["warning"] = f"替换了来自另一个文件夹 {replaced} 的同名文档"
            _guarded(entry, commit)
            done += 1
            if progress:
                progress("索引", done, len(files))
    if sync:
        for source in sorted(set(existing) - set(seen)):
            if catalog.delete_document(kb, source):
                report.deleted += 1
    return report


def _origin_of(row) -> str | None:
    import json

    try:
        return json.loads(row["meta"] or "{}").get("_origin")
    except (ValueError, AttributeError):
        return None


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


def _prepare(settings: KnowledgeSettings, path: Path, source: str, seen: dict[str, Path], old: Any,
             entry: dict) -> tuple | None:
    """(hash, parsed doc, chunk drafts, mined terms) of a new or changed file; None when unchanged."""
    if source in seen:
        raise KnowledgeError(f"与 {seen[source]} 的相对路径相同（{source}），同一知识库中只能有一个；"
                             "请改名或导入到不同的知识库")
    seen[source] = path
    check_size(path, settings)
    data = read_limited(path, int(settings.max_file_mb * 1024 * 1024))  # a device or FIFO cannot make it read forever
    if not data.strip():
        raise KnowledgeError("文件是空的，没有可索引的内容：请确认选的是正确的文件，或重新导出后再导入")
    digest = hashlib.sha256(data).hexdigest()
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
