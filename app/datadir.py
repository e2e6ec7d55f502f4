"""Integrity of the data directory: checked before `serve` starts and on every /healthz call.

`startup_problems(data_dir)` opens every SQLite store that exists read-only and runs
`PRAGMA quick_check` (the knowledge catalog's version and emptiness are checked when it is
opened, knowledge.migrations); an empty store file counts as damage, never as a new one,
because opening it would silently create an empty store over lost data. `runtime_problems`
is the cheap variant for /healthz: every store present at start still opens and answers.
Problems are Chinese sentences that name the file and the fix (restore or move the file
away). Tests: tests/hardening/test_data_dir.py.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

STORES = {
    "kb/catalog.sqlite": "知识库目录",
    "kb/chroma/chroma.sqlite3": "向量库",
    "conversations.sqlite": "对话记录",
    "audit.sqlite": "审计记录",
    "feedback.sqlite": "反馈记录",
}
FOLDERS = ("kb", "kb/chroma", "adapters", "uploads", "eval")
FIX = "请用 smart-copilot restore 备份目录 恢复，或把该文件移走后重新开始（其中的数据将不可用）"


def _check(path: Path, label: str, full: bool) -> str | None:
    if path.stat().st_size == 0:
        return f"{label} {path} 是空文件（已损坏或被清空）。{FIX}"
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error as exc:
        return f"{label} {path} 无法打开：{exc}。{FIX}"
    try:
        if full:
            rows = [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()]
            if rows != ["ok"]:
                return f"{label} {path} 已损坏（{'; '.join(rows[:3])}）。{FIX}"
        else:
            conn.execute("PRAGMA schema_version").fetchone()
            conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        return f"{label} {path} 已损坏：{exc}。{FIX}"
    finally:
        conn.close()
    return None


def startup_problems(data_dir: Path) -> list[str]:
    """Everything wrong with the data directory before anything opens it for writing."""
    data_dir = Path(data_dir)
    problems = []
    if data_dir.exists() and not data_dir.is_dir():
        return [f"数据目录 {data_dir} 是一个文件，不是文件夹。请改用别的 data_dir 或移走该文件。"]
    for folder in FOLDERS:
        path = data_dir / folder
        if path.exists() and not path.is_dir():
            problems.append(f"{path} 应是文件夹，却是一个文件。请移走它（或用 smart-copilot restore 恢复）。")
    for relative, label in STORES.items():
        path = data_dir / relative
        if path.is_file():
            problem = _check(path, label, full=True)
            if problem:
                problems.append(problem)
    return problems


def present_stores(data_dir: Path) -> list[str]:
    """The stores that exist now (what /healthz keeps checking)."""
    return [relative for relative in STORES if (Path(data_dir) / relative).is_file()]


def runtime_problems(data_dir: Path, expected: list[str]) -> list[str]:
    """Cheap: each store that existed at start still exists, opens and reads its schema."""
    problems = []
    for relative in expected:
        path = Path(data_dir) / relative
        if not path.is_file():
            problems.append(f"{STORES[relative]} {path} 已不存在（被删除或移走）。{FIX}")
            continue
        problem = _check(path, STORES[relative], full=False)
        if problem:
            problems.append(problem)
    return problems
