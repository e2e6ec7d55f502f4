"""The catalog's schema version and its migrations (SQLite `PRAGMA user_version`).

`MIGRATIONS[i]` upgrades a catalog from version i to i + 1, inside one transaction; a new
catalog runs them all, an existing one only those it lacks. To change the schema, append
one function `_vN(conn)` — never edit a released one — and the next open of every catalog
runs it once (concurrent openers wait on the transaction; the version is re-read inside).

`prepare(conn, path, fresh)` also refuses what it must not touch: a file that is not a
catalog (damaged, emptied, or another database), a catalog written by a newer program,
and a layout too old to migrate — each with a Chinese message naming the file and the
command that fixes it (`smart-copilot restore`, or re-ingest). A damaged catalog is never
re-created in place. Tests: tests/hardening/test_data_dir.py.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Callable

from knowledge.errors import KnowledgeError


class CatalogDamaged(KnowledgeError):
    """The catalog file cannot be used as it is; nothing was written to it."""


V1_TABLES = """
CREATE TABLE IF NOT EXISTS kbs (name TEXT PRIMARY KEY, key TEXT UNIQUE NOT NULL, created_at REAL NOT NULL,
    embedder TEXT NOT NULL DEFAULT '', generation INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS documents (id INTEGER PRIMARY KEY, kb TEXT NOT NULL, source TEXT NOT NULL,
    title TEXT NOT NULL, content_hash TEXT NOT NULL, version INTEGER NOT NULL, state TEXT NOT NULL,
    chunks INTEGER NOT NULL, meta TEXT NOT NULL DEFAULT '{}', created_at REAL NOT NULL, updated_at REAL NOT NULL,
    UNIQUE (kb, source));
CREATE TABLE IF NOT EXISTS chunks (id INTEGER PRIMARY KEY, chunk_id TEXT UNIQUE NOT NULL,
    doc_id INTEGER NOT NULL REFERENCES documents(id), kb TEXT NOT NULL, ord INTEGER NOT NULL,
    heading_path TEXT NOT NULL, text TEXT NOT NULL, indexed_text TEXT NOT NULL, kind TEXT NOT NULL,
    meta TEXT NOT NULL DEFAULT '{}');
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks (doc_id);
CREATE INDEX IF NOT EXISTS chunks_kb ON chunks (kb, id);
CREATE TABLE IF NOT EXISTS terms (kb TEXT NOT NULL, term TEXT NOT NULL, kind TEXT NOT NULL,
    PRIMARY KEY (kb, term));
"""
V1_ADDED_COLUMNS = {  # columns unversioned catalogs may lack, with the definition that adds them
    ("kbs", "embedder"): "TEXT NOT NULL DEFAULT ''",
    ("kbs", "generation"): "INTEGER NOT NULL DEFAULT 0",
    ("documents", "meta"): "TEXT NOT NULL DEFAULT '{}'",
    ("chunks", "meta"): "TEXT NOT NULL DEFAULT '{}'",
}
REINGEST = "请备份后删除 {folder}，再重新导入：smart-copilot ingest PATH --kb NAME"


def _v1(conn: sqlite3.Connection) -> None:
    """Version 1: the catalog as it was before versions (created, or completed with later columns)."""
    for statement in filter(str.strip, V1_TABLES.split(";")):  # not executescript: it would COMMIT early
        conn.execute(statement)  # IF NOT EXISTS: a no-op on the tables an unversioned catalog has
    for (table, column), definition in V1_ADDED_COLUMNS.items():
        if column not in _columns(conn, table):
            conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {definition}")
    expected = {"kbs": {"name", "key", "created_at"},
                "documents": {"id", "kb", "source", "title", "content_hash", "version", "state", "chunks"},
                "chunks": {"id", "chunk_id", "doc_id", "kb", "ord", "heading_path", "text", "indexed_text", "kind"}}
    for table, columns in expected.items():
        missing = sorted(columns - _columns(conn, table))
        if missing:
            raise _TooOld(f"{table}.{missing[0]}")


def _v2(conn: sqlite3.Connection) -> None:
    """Version 2: the knowledge-base trash (knowledge/trash.py; Catalog hides trashed bases)."""
    conn.execute("CREATE TABLE IF NOT EXISTS kb_trash (name TEXT PRIMARY KEY, deleted_at REAL NOT NULL)")


def _v3(conn: sqlite3.Connection) -> None:
    """Version 3: per-base selection calibration (knowledge/calibration.py)."""
    conn.execute("CREATE TABLE IF NOT EXISTS calibration (kb TEXT PRIMARY KEY, generation INTEGER NOT NULL, "
                 "data TEXT NOT NULL)")


def _v4(conn: sqlite3.Connection) -> None:
    """Version 4: per-base records (knowledge.corpus: tokenizer, topics, word counts) and the number
    of vectors each embedded document must have (knowledge.embedding, knowledge.vectors)."""
    conn.execute("CREATE TABLE IF NOT EXISTS kb_meta (kb TEXT NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL, "
                 "stamp INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (kb, name))")
    conn.execute("CREATE TABLE IF NOT EXISTS doc_vectors (doc_id INTEGER PRIMARY KEY, version INTEGER NOT NULL, "
                 "vectors INTEGER NOT NULL)")


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_v1, _v2, _v3, _v4]
"""Index i upgrades version i to i + 1; append a function to add a version. A step runs inside the
caller's transaction: use conn.execute (executescript would commit half-way)."""
SCHEMA_VERSION = len(MIGRATIONS)


class _TooOld(Exception):
    """An unversioned layout this program cannot upgrade (the missing column is the message)."""


def _columns(conn: sqlite3.Connection, table: str) -> set[str]:
    return {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}


def _has_tables(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0] > 0


def looks_fresh(path: Path) -> bool:
    """No catalog yet, or an empty file with nothing else in its folder (a first start cut short)."""
    if not path.exists():
        return True
    if path.stat().st_size > 0:
        return False
    others = [p for p in path.parent.iterdir() if not p.name.startswith(path.name)]
    return not others


def prepare(conn: sqlite3.Connection, path: Path, fresh: bool) -> int:
    """Check the opened catalog and bring it to SCHEMA_VERSION; returns the version it had."""
    folder = path.parent
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        has_tables = _has_tables(conn)
    except sqlite3.DatabaseError as exc:
        raise CatalogDamaged(f"知识库目录已损坏：{path} 不是可用的数据库（{exc}）。请用 smart-copilot restore 备份目录 "
                             f"恢复，或{REINGEST.format(folder=folder)}") from None
    if not fresh and version == 0 and not has_tables:
        raise CatalogDamaged(f"知识库目录已损坏：{path} 是空的，但目录中还有其他数据（向量、缓存），不会在它上面新建。"
                             f"请用 smart-copilot restore 备份目录 恢复，或{REINGEST.format(folder=folder)}")
    if version > SCHEMA_VERSION:
        raise KnowledgeError(f"{path} 由更新版本的 smart-copilot 创建（目录格式版本 {version}，本程序支持到 "
                             f"{SCHEMA_VERSION}）。请升级 smart-copilot，或用与本版本匹配的备份恢复。")
    if version == SCHEMA_VERSION:
        return version
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]  # another process may have migrated
        start = version
        while version < SCHEMA_VERSION:
            MIGRATIONS[version](conn)
            version += 1
            conn.execute(f"PRAGMA user_version = {version}")
        conn.execute("COMMIT")
        return start
    except _TooOld as exc:
        conn.execute("ROLLBACK")
        raise KnowledgeError(f"{path} 的格式太旧（缺少 {exc}），无法自动升级。{REINGEST.format(folder=folder)}") from None
    except BaseException:
        conn.execute("ROLLBACK")
        raise
