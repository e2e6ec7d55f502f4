"""Where a KnowledgeService keeps its data: the embedded files or the servers (storage.mode).

`KnowledgeBackend` bundles the catalog (with its keyword index), the corpus statistics and
per-base tokenizer, the trash, the writer locks and how the Chroma client is made. `None` to
KnowledgeService means the embedded default under data_dir/kb (SQLite catalog + FTS5,
in-memory BM25 and page index, Chroma PersistentClient);
`server_backend(pool, chroma)` is PostgreSQL (knowledge.pg) and a Chroma server, built
by app.storage. The catalog ports are the methods of knowledge.catalog.Catalog that
KnowledgeService, ingest, embedding and the retriever call; knowledge.pg.PgCatalog has
them all (plus `lexical_search`, BM25 in SQL); knowledge.pg.corpus.PgCorpus is
knowledge.corpus.Corpus over it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable


@dataclass
class KnowledgeBackend:
    catalog: Any
    """knowledge.catalog.Catalog or knowledge.pg.catalog.PgCatalog."""
    corpus: Any
    """knowledge.corpus.Corpus or knowledge.pg.corpus.PgCorpus (tokenizer and statistics of each base)."""
    trash: Any
    """knowledge.trash.Trash or knowledge.pg.trash.PgTrash."""
    locks: Any
    """Writer and store locks across processes (knowledge.locks.StoreLocks) or replicas (knowledge.pg.locks.PgLocks)."""
    chroma_client: Callable[[], Any] | None
    """Makes the Chroma client on first use (None: PersistentClient under data_dir/kb/chroma)."""
    describe: str = "embedded"
    close: Callable[[], None] | None = None
    """Called by KnowledgeService.close() when the backend owns its connections (a CLI command)."""


def server_backend(pool: Any, chroma_client: Callable[[], Any], max_candidates: int = 20000) -> KnowledgeBackend:
    """PostgreSQL catalog, keyword index, trash and locks on `pool`; vectors in a Chroma server."""
    from knowledge.pg.catalog import PgCatalog
    from knowledge.pg.corpus import PgCorpus
    from knowledge.pg.locks import PgLocks
    from knowledge.pg.trash import PgTrash

    catalog = PgCatalog(pool, max_candidates=max_candidates)
    corpus = PgCorpus(catalog)
    return KnowledgeBackend(catalog=catalog, corpus=corpus, trash=PgTrash(catalog, corpus), locks=PgLocks(pool),
                            chroma_client=chroma_client, describe="server")
