"""Tables of the PostgreSQL knowledge store; `PG_MIGRATIONS[i]` takes the schema from version i to i + 1.

Append a script to change the schema (never edit a released one); app.storage.postgres
runs what a database lacks, once, under an advisory lock. Column meanings follow
knowledge/catalog.py; differences: a chunk is split in two — `chunks` holds what keyword search
reads (ids, `len`: tokens in the chunk, `tsv`: its tokens, GIN-indexed), `chunk_texts` what is
shown (heading path, text, indexed text, meta) — so a search scans narrow rows; `kbs.chunk_count`/
`kbs.token_count` (BM25's N and average length) and `term_df` (chunks per token and base) give
IDF without scanning; `chunk_texts.head`/`body` keep the indexed tokens as the SQLite FTS5 columns
do (space-separated), which each replica's in-memory keyword ranker (knowledge.lexical) is built
from. A database from before those columns has no tokenizer record in `kb_meta`, so its bases
are re-tokenized (filling them) on first use.
"""

from knowledge.pg.lexical import bm25_function

PG_MIGRATIONS = [
    """
    CREATE TABLE IF NOT EXISTS kbs (name TEXT PRIMARY KEY, key TEXT UNIQUE NOT NULL, created_at DOUBLE PRECISION NOT NULL,
        embedder TEXT NOT NULL DEFAULT '', generation BIGINT NOT NULL DEFAULT 0,
        chunk_count BIGINT NOT NULL DEFAULT 0, token_count BIGINT NOT NULL DEFAULT 0);
    CREATE TABLE IF NOT EXISTS documents (id BIGSERIAL PRIMARY KEY, kb TEXT NOT NULL, source TEXT NOT NULL,
        title TEXT NOT NULL, content_hash TEXT NOT NULL, version INTEGER NOT NULL, state TEXT NOT NULL,
        chunks INTEGER NOT NULL, meta TEXT NOT NULL DEFAULT '{}', created_at DOUBLE PRECISION NOT NULL,
        updated_at DOUBLE PRECISION NOT NULL, UNIQUE (kb, source));
    CREATE TABLE IF NOT EXISTS chunks (id BIGSERIAL PRIMARY KEY, chunk_id TEXT UNIQUE NOT NULL,
        doc_id BIGINT NOT NULL REFERENCES documents(id) ON DELETE CASCADE, kb TEXT NOT NULL, ord INTEGER NOT NULL,
        kind TEXT NOT NULL, len INTEGER NOT NULL DEFAULT 0, tsv TSVECTOR NOT NULL DEFAULT ''::tsvector);
    CREATE TABLE IF NOT EXISTS chunk_texts (id BIGINT PRIMARY KEY REFERENCES chunks(id) ON DELETE CASCADE,
        heading_path TEXT NOT NULL, text TEXT NOT NULL, indexed_text TEXT NOT NULL, meta TEXT NOT NULL DEFAULT '{}');
    CREATE INDEX IF NOT EXISTS chunks_doc ON chunks (doc_id);
    CREATE INDEX IF NOT EXISTS chunks_kb ON chunks (kb, id);
    CREATE INDEX IF NOT EXISTS chunks_tsv ON chunks USING GIN (tsv);
    CREATE TABLE IF NOT EXISTS terms (kb TEXT NOT NULL, term TEXT NOT NULL, kind TEXT NOT NULL, PRIMARY KEY (kb, term));
    CREATE TABLE IF NOT EXISTS term_df (kb TEXT NOT NULL, term TEXT NOT NULL, df BIGINT NOT NULL, PRIMARY KEY (kb, term));
    CREATE TABLE IF NOT EXISTS kb_trash (name TEXT PRIMARY KEY, deleted_at DOUBLE PRECISION NOT NULL);
    CREATE TABLE IF NOT EXISTS doc_trash (id BIGSERIAL PRIMARY KEY, kb TEXT NOT NULL, source TEXT NOT NULL,
        title TEXT NOT NULL, content_hash TEXT NOT NULL, meta TEXT NOT NULL, chunks TEXT NOT NULL,
        deleted_at DOUBLE PRECISION NOT NULL);
    """,
    bm25_function(),
    # selection bars measured per base (knowledge.calibration), with the generation they describe
    "CREATE TABLE IF NOT EXISTS calibration (kb TEXT PRIMARY KEY, generation BIGINT NOT NULL, data TEXT NOT NULL);",
    # per-base records of knowledge.pg.corpus (tokenizer identity, topics, word counts; stamp: the generation
    # they describe) and the vectors stored per embedded document version (chunks left to keywords have none)
    """
    CREATE TABLE IF NOT EXISTS kb_meta (kb TEXT NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL,
        stamp BIGINT NOT NULL DEFAULT 0, PRIMARY KEY (kb, name));
    CREATE TABLE IF NOT EXISTS doc_vectors (doc_id BIGINT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
        version INTEGER NOT NULL, vectors INTEGER NOT NULL);
    ALTER TABLE chunk_texts ADD COLUMN IF NOT EXISTS head TEXT NOT NULL DEFAULT '',
        ADD COLUMN IF NOT EXISTS body TEXT NOT NULL DEFAULT '';
    """,
    # every committed change of a base's row, records or trash state is announced on channel sc_kb with the base's
    # name: each replica caches those per process until told (knowledge.pg.records)
    """
    CREATE OR REPLACE FUNCTION sc_announce_kb() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM pg_notify('sc_kb', to_jsonb(CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END) ->> TG_ARGV[0]);
        RETURN NULL;
    END $$;
    DROP TRIGGER IF EXISTS kbs_announce ON kbs;
    CREATE TRIGGER kbs_announce AFTER INSERT OR UPDATE OR DELETE ON kbs
        FOR EACH ROW EXECUTE FUNCTION sc_announce_kb('name');
    DROP TRIGGER IF EXISTS kb_meta_announce ON kb_meta;
    CREATE TRIGGER kb_meta_announce AFTER INSERT OR UPDATE OR DELETE ON kb_meta
        FOR EACH ROW EXECUTE FUNCTION sc_announce_kb('kb');
    DROP TRIGGER IF EXISTS kb_trash_announce ON kb_trash;
    CREATE TRIGGER kb_trash_announce AFTER INSERT OR UPDATE OR DELETE ON kb_trash
        FOR EACH ROW EXECUTE FUNCTION sc_announce_kb('name');
    """,
]
