"""Knowledge layer: ingest -> clean -> chunk -> index -> retrieve -> select.

Owns knowledge bases (SQLite catalog + FTS5 lexical index + Chroma dense index) under
the data directory. Tests: `pytest tests/knowledge`.
"""
