"""Consistent snapshots of the data directory, taken while the server runs, and their restore.

`backup(data_dir, target)` writes a folder: every SQLite store through SQLite's online
backup API (a consistent copy even while other connections write), the vector store
copied under the store's exclusive lock with every base's writer lock held (no ingest,
deletion or embedding in between, so catalog and vectors agree), adapters and golden
sets as files, and `manifest.json` with each file's size and SHA-256. Caches (BM25),
staged uploads and lock files are left out: they are rebuilt or transient.

`restore(data_dir, source)` checks the manifest and every checksum, refuses while a
server uses the directory, moves what it replaces to `data_dir/replaced-<time>/` (nothing
is deleted) and copies the snapshot in; the catalog migrates on its next open if the
snapshot is older. Tests: tests/hardening/test_backup.py.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import shutil
import sqlite3
import time
import uuid
from pathlib import Path
from typing import Any, Iterator

from knowledge.catalog import kb_key
from knowledge.errors import KnowledgeError
from knowledge.locks import StoreLocks

FORMAT = 1
SQLITE_FILES = ("kb/catalog.sqlite", "conversations.sqlite", "audit.sqlite", "feedback.sqlite")
FOLDERS = ("adapters", "eval")
MANIFEST = "manifest.json"


class BackupError(KnowledgeError):
    """The snapshot cannot be taken or restored as asked (Chinese message)."""


def _sqlite_copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    dst = sqlite3.connect(str(target))
    try:
        src.backup(dst)  # one step: a single read transaction, so the copy is one consistent state
    finally:
        dst.close()
        src.close()


def _kb_names(catalog: Path) -> list[str]:
    if not catalog.is_file():
        return []
    conn = sqlite3.connect(f"file:{catalog}?mode=ro", uri=True, timeout=30)
    try:
        return sorted(r[0] for r in conn.execute("SELECT name FROM kbs"))
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"知识库目录 {catalog} 无法读取（{exc}），不能备份") from None
    finally:
        conn.close()


@contextlib.contextmanager
def _quiet(locks: StoreLocks, kbs: list[str], wait_s: float) -> Iterator[None]:
    """Every base's writer lock (sorted: no deadlock with another backup) and the store's write lock."""
    with contextlib.ExitStack() as stack:
        for name in kbs:
            stack.enter_context(locks.writer(kb_key(name), name, wait_s))
        stack.enter_context(locks.store(shared=False))
        yield


def backup(data_dir: Path, target: Path, wait_s: float = 60.0) -> dict:
    """Write a snapshot folder at `target` (new or empty); returns the manifest."""
    data_dir, target = Path(data_dir), Path(target)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BackupError(f"备份目标 {target} 已存在且不是空文件夹，请换一个路径")
    if target.resolve().is_relative_to(data_dir.resolve()):
        raise BackupError("备份目标不能在数据目录里面，请放到别处")
    root = data_dir / "kb"
    kbs = _kb_names(root / "catalog.sqlite")
    target.mkdir(parents=True, exist_ok=True)
    with _quiet(StoreLocks(root), kbs, wait_s):
        for relative in SQLITE_FILES:
            if (data_dir / relative).is_file():
                _sqlite_copy(data_dir / relative, target / relative)
        chroma = root / "chroma"
        if chroma.is_dir():
            for path in sorted(chroma.rglob("*")):
                if path.is_file() and not path.name.endswith(("-wal", "-shm")):
                    out = target / path.relative_to(data_dir)
                    if path.name == "chroma.sqlite3":
                        _sqlite_copy(path, out)
                    else:
                        out.parent.mkdir(parents=True, exist_ok=True)
                        shutil.copy2(path, out)
    for folder in FOLDERS:
        if (data_dir / folder).is_dir():
            shutil.copytree(data_dir / folder, target / folder)
    files: list[dict[str, Any]] = [{"path": p.relative_to(target).as_posix(), "bytes": p.stat().st_size,
                                    "sha256": _sha256(p)} for p in sorted(target.rglob("*")) if p.is_file()]
    manifest = {"format": FORMAT, "created_at": time.time(), "kbs": kbs, "files": files,
                "bytes": sum(int(f["bytes"]) for f in files)}
    (target / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return manifest


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify(source: Path) -> dict:
    """The snapshot's manifest, after checking that every file is there with its checksum."""
    source = Path(source)
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise BackupError(f"{source} 不是 smart-copilot 备份（缺少或无法读取 {MANIFEST}）") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{source} 的备份格式 {manifest.get('format')} 不受支持（本程序：{FORMAT}）")
    for entry in manifest.get("files", []):
        path = source / entry["path"]
        if not path.is_file() or path.stat().st_size != entry["bytes"] or _sha256(path) != entry["sha256"]:
            raise BackupError(f"备份已损坏：{entry['path']} 缺失或内容与清单不符，未做任何改动")
    return manifest


def restore(data_dir: Path, source: Path) -> dict:
    """Replace the data directory's stores with the snapshot; what was there moves aside."""
    data_dir, source = Path(data_dir), Path(source)
    manifest = verify(source)
    root = data_dir / "kb"
    data_dir.mkdir(parents=True, exist_ok=True)
    locks = StoreLocks(root)
    with locks.unused(), _quiet(locks, _safe_names(root / "catalog.sqlite"), 0):
        aside = data_dir / f"replaced-{time.strftime('%Y%m%d-%H%M%S')}"
        moved = []
        for relative in (*SQLITE_FILES, "kb/chroma", *FOLDERS):
            for path in [data_dir / relative, *(data_dir / f"{relative}{s}" for s in ("-wal", "-shm"))]:
                if path.exists():
                    out = aside / path.relative_to(data_dir)
                    out.parent.mkdir(parents=True, exist_ok=True)
                    shutil.move(str(path), str(out))
                    moved.append(path.relative_to(data_dir).as_posix())
        for cache in root.glob("bm25-*"):  # caches of the replaced catalog
            cache.unlink()
        for entry in manifest["files"]:
            out = data_dir / entry["path"]
            out.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source / entry["path"], out)
        (root / "dense.stamp").write_text(uuid.uuid4().hex, encoding="ascii")  # any reader reloads its vectors
    return {"restored": str(source), "kbs": manifest["kbs"], "files": len(manifest["files"]),
            "replaced": str(aside) if moved else None}


def _safe_names(catalog: Path) -> list[str]:
    """Bases of the catalog being replaced (none when it is damaged: there is nothing to wait for)."""
    try:
        return _kb_names(catalog)
    except BackupError:
        return []
