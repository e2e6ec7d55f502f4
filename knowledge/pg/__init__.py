"""The knowledge store in PostgreSQL (storage.mode = server), behind the same ports as the SQLite one.

- `schema.py`: the tables and their migrations (applied by app.storage at start-up).
- `catalog.py`: `PgCatalog`, the catalog API of knowledge.catalog.Catalog over a psycopg pool.
- `lexical.py`: the keyword index — jieba tokens as a `tsvector` (head tokens weight A, body
  tokens weight D) with a GIN index; BM25 scored in SQL on a bounded candidate set.
- `trash.py`, `locks.py`: the trash and the per-base writer lock (advisory locks).
Vectors go to a Chroma server (knowledge.dense with an HttpClient). Tests: tests/storage/.
"""
