"""The knowledge store in PostgreSQL (storage.mode = server), behind the same ports as the SQLite one.

- `schema.py`: the tables and their migrations (applied by app.storage at start-up).
- `catalog.py`: `PgCatalog`, the catalog API of knowledge.catalog.Catalog over a psycopg pool;
  `statistics.py`: the per-base keyword statistics its writes move along.
- `lexical.py`, `bm25.sql`: the keyword index — jieba tokens as a `tsvector` (head tokens at
  positions below 256, body tokens above) with a GIN index; BM25 scored in the database
  (function `sc_bm25`) on a bounded candidate set, exact when the bound allows.
- `trash.py`, `locks.py`: the trash and the per-base writer lock (advisory locks).
Vectors go to a Chroma server (knowledge.dense with an HttpClient). Tests: tests/storage/.
"""
