"""Preview: what ingest would make of some files — documents and chunks — without indexing.

The one reader of knowledge files besides ingest itself (same file collection, loaders,
cleaning and chunking: `knowledge.ingest.parse_file`). It serves the upload check before
publishing (app/ui) and fine-tuning data from a folder (`smart-copilot data ... --dir`).
Nothing is written; no model, index or jieba dictionary is touched.
Tests: `pytest tests/knowledge/test_preview.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from knowledge.config import KnowledgeSettings
from knowledge.ingest import check_size, failure_message, parse_file
from knowledge.ingest_sources import collect_files
from knowledge.types import Passage


@dataclass
class PreviewDocument:
    """One file as ingest would see it."""

    source: str
    """Path relative to the folder given (or the file name), as ingest would store it."""
    title: str = ""
    meta: dict = field(default_factory=dict)
    """Front matter (Markdown) or empty."""
    chunks: int = 0
    error: str | None = None
    """Why the file would fail to ingest (Chinese); None when it would be indexed."""


@dataclass
class Preview:
    """Documents in reading order and all their chunks (as `Passage`, score 0, no kb)."""

    documents: list[PreviewDocument] = field(default_factory=list)
    chunks: list[Passage] = field(default_factory=list)

    @property
    def errors(self) -> list[dict]:
        """[{"source","error"}] like `IngestReport.errors`."""
        return [{"source": d.source, "error": d.error} for d in self.documents if d.error]


def preview_files(paths: list[Path], settings: KnowledgeSettings) -> Preview:
    """Load, clean and chunk files/folders (`.kbignore` and `skip_names` respected); never raises per file.

    A chunk's `meta` holds the document's front matter, then the chunk's own fields (FAQ
    question, table caption) and `indexed_text`, like `KnowledgeService.iter_chunks`.
    """
    preview = Preview()
    skipped: list[dict] = []  # symlinks out of the folder, devices, FIFOs: reported like ingest reports them
    for path, source in collect_files([Path(p) for p in paths], settings.skip_names, skipped):
        entry = PreviewDocument(source=source)
        preview.documents.append(entry)
        try:
            check_size(path, settings)
            doc, drafts = parse_file(path, settings)
        except Exception as exc:  # one broken file must not hide the others (same rule as ingest)
            entry.error = failure_message(exc, source)
            continue
        entry.title, entry.meta, entry.chunks = doc.title, dict(doc.meta), len(drafts)
        for n, draft in enumerate(drafts):
            meta = {**doc.meta, **draft.meta, "indexed_text": draft.indexed_text}
            preview.chunks.append(Passage(chunk_id=f"{source}#{n}", source=source, title=doc.title,
                                          heading_path=list(draft.heading_path), text=draft.text, kind=draft.kind,
                                          meta=meta))
    preview.documents.extend(PreviewDocument(source=s["source"], error=s["error"]) for s in skipped)
    return preview
