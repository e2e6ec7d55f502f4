"""Where the app keeps its state: `storage.mode` picks the stores behind the same ports.

- `embedded` (default): everything under `data_dir` — SQLite catalog and keyword index,
  Chroma `PersistentClient`, SQLite checkpoints, conversations, audit and feedback.
- `server`: PostgreSQL (catalog and keyword index, checkpoints, conversations, runbook
  state, audit, feedback) and a Chroma server (vectors), so several `serve` replicas
  serve one team.

`app.storage.build.open_stores(settings)` is the one place that chooses; each store's
PostgreSQL twin lives beside its SQLite original in its own layer and owns its schema
(`PG_MIGRATIONS`); `app.storage.postgres` opens the pool and applies the migrations.
Tests: `pytest tests/storage` (starts PostgreSQL and a Chroma server, or skips with the reason).
"""
