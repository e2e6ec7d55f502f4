"""The dense phase: embed every dense-pending document of a base, then mark it complete.

Per document: remove any vectors it had (an older version, or a run killed mid-way),
upsert the new ones, then flip the catalog state. A crash at any point leaves the
document "lexical" (keyword-searchable, dense pending) and the next run redoes it.
Each run starts with `reconcile`: vectors the catalog does not know are deleted, documents
marked complete whose vectors are missing go back to pending, and a collection Chroma
cannot read is dropped and rebuilt — so the index is repaired on the next run whatever
left it inconsistent. Callers hold the base's writer lock (knowledge.locks).
"""

from __future__ import annotations

import logging
import threading
from typing import Callable

from knowledge.catalog import Catalog, kb_key
from knowledge.dense import DenseBroken, DenseIndex

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]


def sync_embedder(catalog: Catalog, dense: DenseIndex, kb: str) -> None:
    """If the base's vectors came from another embedder, drop them and mark all documents pending."""
    current = f"{dense.embedder.name}:{getattr(dense.embedder, 'dim', 0)}"
    recorded = catalog.kb_embedder(kb)
    if recorded != current:
        if recorded:
            dense.drop(kb_key(kb))
        catalog.set_kb_embedder(kb, current)


def remove_orphans(catalog: Catalog, dense: DenseIndex, kb: str) -> int:
    """Delete vectors whose chunk is no longer in the catalog (deleted documents, killed runs)."""
    return reconcile(catalog, dense, kb)["orphans"]


def reconcile(catalog: Catalog, dense: DenseIndex, kb: str) -> dict[str, int]:
    """Make the base's vectors agree with its catalog; returns what it changed.

    {"orphans": vectors deleted, "missing": documents sent back to pending, "rebuilt": documents
    sent back to pending because the collection could not be read and was dropped}.
    """
    key = kb_key(kb)
    changed = {"orphans": 0, "missing": 0, "rebuilt": 0}
    try:
        count = dense.count(key)
        if count == catalog.kb_stats(kb)["embedded"] and not catalog.pending_documents(kb):
            if count:
                dense.probe(key)
            return changed
        ids = set(dense.all_ids(key))
        states = catalog.chunk_states(kb)
        orphans = [i for i in ids if i not in states]
        dense.delete_ids(key, orphans)
        changed["orphans"] = len(orphans)
        missing = {doc for chunk, (doc, complete) in states.items() if complete and chunk not in ids}
        changed["missing"] = catalog.mark_pending(kb, missing) if missing else 0
    except DenseBroken as exc:
        log.warning("dense index of knowledge base %s cannot be read (%s): rebuilding it", kb, exc)
        dense.drop(key)
        changed["rebuilt"] = catalog.mark_pending(kb)
    if any(changed.values()):
        log.warning("dense index of knowledge base %s repaired: %s", kb, changed)
    return changed


def embed_pending(catalog: Catalog, dense: DenseIndex, kb: str, progress: Progress | None = None,
                  stop: threading.Event | None = None, batch: int = 64, check: bool = True) -> int:
    """Embed all dense-pending documents of `kb`; returns the number of chunks embedded.

    Chunks of several small documents share one embedder call (up to `batch` chunks), so
    the pipeline runs the model as efficiently as a raw batch; each document is still
    stored and marked complete on its own.
    """
    sync_embedder(catalog, dense, kb)
    if check:
        reconcile(catalog, dense, kb)
    key = kb_key(kb)
    pending = catalog.pending_documents(kb)
    total = sum(d["chunks"] for d in pending)
    done = 0
    group: list[tuple[object, list]] = []
    for doc in pending:
        if stop is not None and stop.is_set():
            return done
        rows = catalog.doc_chunks(doc["id"])
        if rows:
            group.append((doc, rows))
        if sum(len(r) for _, r in group) >= batch:
            done += _store(catalog, dense, key, group)
            group = []
            if progress:
                progress("向量", done, total)
    if group and not (stop is not None and stop.is_set()):
        done += _store(catalog, dense, key, group)
        if progress:
            progress("向量", done, total)
    return done


def _store(catalog: Catalog, dense: DenseIndex, key: str, group: list[tuple[object, list]]) -> int:
    """Embed the chunks of a group of documents in one go, store them, then complete each document.

    Old vectors of these documents (an older version, or a killed run's partial ones) are
    removed first; a crash before `mark_complete` leaves them pending, to be redone.
    """
    rows = [r for _, doc_rows in group for r in doc_rows]
    vectors = dense.embedder.embed_passages([r["indexed_text"] for r in rows])
    chunk_docs = [r["chunk_id"].rsplit("-", 2)[0] for r in rows]
    dense.replace_docs(key, list(dict.fromkeys(chunk_docs)), [r["chunk_id"] for r in rows], vectors, chunk_docs)
    catalog.mark_complete_many([(doc["id"], doc["version"]) for doc, _ in group])  # type: ignore[index]
    return len(rows)
