"""Damaged and old data directories: detected with a clear message, never re-created over, migrated.

Before: a 0-byte catalog showed "还没有知识库" and the next `ask` ingested the demo over it;
other damage gave raw sqlite3 tracebacks, `serve` started with /healthz "ok" while every
request failed, and an older schema failed with `no such column`.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.knowledge.conftest import write

REPO = Path(__file__).resolve().parents[2]


def cli(data_dir: Path, *args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    env = {**os.environ, "SMART_COPILOT__DATA_DIR": str(data_dir), "PYTHONPATH": str(REPO),
           "SMART_COPILOT__MODELS__EMBEDDER__BACKEND": "hash", "SMART_COPILOT__KNOWLEDGE__DENSE": "off"}
    return subprocess.run([sys.executable, "-m", "app", *args], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=timeout)


@pytest.fixture
def data_dir(make_service, tmp_path) -> Path:
    """A data directory with one small base ("k"), vectors and a conversation store."""
    write(tmp_path / "docs", "ssh.md", "# SSH 登录\n\n连接超时请检查安全组是否放通 22 端口。")
    ks = make_service(tmp_path / "data")
    ks.ingest([tmp_path / "docs"], kb="k")
    ks.close()
    sqlite3.connect(str(tmp_path / "data" / "conversations.sqlite")).execute("CREATE TABLE t (x)").connection.commit()
    return tmp_path / "data"


def test_an_emptied_catalog_is_reported_and_never_recreated(data_dir):
    catalog = data_dir / "kb" / "catalog.sqlite"
    catalog.write_bytes(b"")
    for args in (["kb", "list"], ["ask", "SSH 连接超时怎么办"]):
        done = cli(data_dir, *args)
        assert done.returncode == 2 and "已损坏" in done.stderr and "restore" in done.stderr, done.stderr
        assert "Traceback" not in done.stderr
    assert catalog.stat().st_size == 0  # nothing was written over it (no demo re-created)
    serve = cli(data_dir, "serve", "--port", "1")
    assert serve.returncode == 2 and "未启动服务" in serve.stderr and "catalog.sqlite" in serve.stderr


def test_a_garbage_catalog_and_a_garbage_conversation_store_get_clear_messages(data_dir):
    (data_dir / "kb" / "catalog.sqlite").write_bytes(os.urandom(8192))
    done = cli(data_dir, "search", "SSH", "--kb", "k")
    assert done.returncode == 2 and "不是可用的数据库" in done.stderr and "Traceback" not in done.stderr


def test_startup_check_names_every_damaged_store(data_dir):
    from app.datadir import startup_problems

    assert startup_problems(data_dir) == []
    (data_dir / "conversations.sqlite").write_bytes(b"SQLite format 3\x00" + os.urandom(4096))
    (data_dir / "feedback.sqlite").write_bytes(b"")
    problems = startup_problems(data_dir)
    assert len(problems) == 2 and any("对话记录" in p for p in problems) and any("反馈记录" in p and "空文件" in p
                                                                              for p in problems)


def _legacy_catalog(path: Path, with_core: bool = True) -> None:
    """A catalog as written before schema versions: no user_version, no meta/generation columns."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path))
    conn.executescript(f"""
        CREATE TABLE kbs (name TEXT PRIMARY KEY, key TEXT UNIQUE NOT NULL, created_at REAL NOT NULL);
        CREATE TABLE documents (id INTEGER PRIMARY KEY, kb TEXT NOT NULL, source TEXT NOT NULL, title TEXT NOT NULL,
            {'content_hash TEXT NOT NULL,' if with_core else ''} version INTEGER NOT NULL, state TEXT NOT NULL,
            chunks INTEGER NOT NULL, created_at REAL NOT NULL, updated_at REAL NOT NULL, UNIQUE (kb, source));
        CREATE TABLE chunks (id INTEGER PRIMARY KEY, chunk_id TEXT UNIQUE NOT NULL, doc_id INTEGER NOT NULL,
            kb TEXT NOT NULL, ord INTEGER NOT NULL, heading_path TEXT NOT NULL, text TEXT NOT NULL,
            indexed_text TEXT NOT NULL, kind TEXT NOT NULL);
        CREATE TABLE terms (kb TEXT NOT NULL, term TEXT NOT NULL, kind TEXT NOT NULL, PRIMARY KEY (kb, term));
        INSERT INTO kbs VALUES ('old', 'x', 0);
    """)
    conn.close()


def test_an_unversioned_catalog_is_migrated_in_place(tmp_path):
    from knowledge.catalog import Catalog
    from knowledge.migrations import SCHEMA_VERSION

    path = tmp_path / "kb" / "catalog.sqlite"
    _legacy_catalog(path)
    catalog = Catalog(path)
    assert catalog.schema_version_found == 0 and catalog.kb_names() == ["old"]
    assert catalog.generation("old") == 0 and catalog.documents("old") == {}  # columns it lacked now exist
    catalog.close()
    assert sqlite3.connect(str(path)).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_a_catalog_too_old_or_too_new_gets_the_command_that_fixes_it(tmp_path):
    from knowledge.catalog import Catalog
    from knowledge.errors import KnowledgeError

    old = tmp_path / "old" / "kb" / "catalog.sqlite"
    _legacy_catalog(old, with_core=False)
    with pytest.raises(KnowledgeError, match=r"格式太旧.*content_hash.*smart-copilot ingest PATH --kb NAME"):
        Catalog(old)
    new = tmp_path / "new" / "kb" / "catalog.sqlite"
    Catalog(new).close()
    sqlite3.connect(str(new)).execute("PRAGMA user_version = 99")
    with pytest.raises(KnowledgeError, match="更新版本"):
        Catalog(new)


def test_a_new_migration_step_runs_once_on_existing_catalogs(tmp_path, monkeypatch):
    """How a later schema change is added: append one function to MIGRATIONS."""
    from knowledge import catalog as catalog_module
    from knowledge import migrations

    path = tmp_path / "kb" / "catalog.sqlite"
    catalog_module.Catalog(path).close()
    calls = []

    def _v_next(conn):
        calls.append(1)
        conn.execute("CREATE TABLE kb_stats (kb TEXT PRIMARY KEY, queries INTEGER NOT NULL DEFAULT 0)")

    new_version = len(migrations.MIGRATIONS) + 1
    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, _v_next])
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", new_version)
    for _ in range(2):
        catalog_module.Catalog(path).close()
    conn = sqlite3.connect(str(path))
    assert calls == [1] and conn.execute("PRAGMA user_version").fetchone()[0] == new_version
    assert conn.execute("SELECT COUNT(*) FROM kb_stats").fetchone()[0] == 0


class _Plant:
    """Unpickling this writes a marker file: what a planted cache would run."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.write_text, (self.marker, "ran"))


def test_a_planted_pickle_damaged_or_old_bm25_cache_is_rebuilt_and_never_unpickled(data_dir, tmp_path):
    import numpy as np

    assert "ssh.md" in cli(data_dir, "search", "安全组 22 端口", "--kb", "k", "--json").stdout  # the cache is saved
    [bm25] = (data_dir / "kb").glob("bm25-*.npz")
    with np.load(bm25, allow_pickle=False) as npz:
        saved = {k: npz[k] for k in ("generation", "rowids", "lengths", "indptr", "docs", "htf", "btf")}
    marker = tmp_path / "ran.txt"
    with np.load(bm25, allow_pickle=False) as npz:
        planted = {**{k: npz[k] for k in npz.files}, "terms": np.asarray([_Plant(marker)], dtype=object)}
    for content in (planted, None, b"PK\x03\x04" + os.urandom(200)):
        if content is None:
            bm25.write_bytes(b"")
        elif isinstance(content, bytes):
            bm25.write_bytes(content)
        else:
            with bm25.open("wb") as fh:
                np.savez(fh, **content)
        done = cli(data_dir, "search", "安全组 22 端口", "--kb", "k", "--json")
        assert done.returncode == 0 and "ssh.md" in done.stdout and "Traceback" not in done.stderr, done.stderr
        assert not marker.exists()
        with np.load(bm25, allow_pickle=False) as npz:  # rebuilt as plain arrays
            assert int(npz["generation"][0]) == int(saved["generation"][0]) and npz["terms"].dtype == np.uint8
