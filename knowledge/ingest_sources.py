"""Which files an ingest reads: the (file, source) pairs of the paths given.

A folder is walked in name order (hidden and `__` folders and files left out); its `.kbignore`
(glob patterns of relative paths, e.g. its own README) leaves files out; a file's source is its path
relative to the folder given (or its name, for a file given itself), and a name that is not valid
UTF-8 is indexed under its readable form. Only regular files inside the folder are read: symlinks
leading out of it, broken links, devices (/dev/zero), FIFOs and sockets are reported per file and
skipped. Used by knowledge/service_ingest.py and knowledge/preview.py; tests:
tests/knowledge/test_kbignore.py, tests/knowledge/test_ingest.py.
"""

from __future__ import annotations

import fnmatch
import os
import stat
from pathlib import Path

from knowledge.errors import KnowledgeError

IGNORE_FILE = ".kbignore"


def ignore_patterns(root: Path) -> list[str]:
    """Glob patterns (relative paths) from the folder's `.kbignore`, if it has one."""
    file = root / IGNORE_FILE
    if not file.is_file():
        return []
    lines = (line.strip() for line in file.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def readable_source(source: str) -> str:
    """A source name that can be stored and shown: undecodable bytes of a file name become U+FFFD."""
    return source.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def collect_files(paths: list[Path], skip_names: list[str], skipped: list[dict] | None = None,
                  origins: dict[str, str] | None = None) -> list[tuple[Path, str]]:
    """(file, source) pairs; source is relative to the folder given, or the file name for a file.

    A folder may hold a `.kbignore` of glob patterns (e.g. its own README) to leave out.
    What is not a regular file inside the folder (symlinks out of it included) goes to
    `skipped` as a failed entry; `origins` gets each source's folder.
    """
    found: list[tuple[Path, str]] = []
    for root in paths:
        if not os.path.lexists(root):
            raise KnowledgeError(f"路径不存在：{root}")
        if not root.is_dir():
            if not root.is_file():
                raise KnowledgeError(f"不是普通文件或文件夹（设备、管道或套接字不能导入）：{root}")
            found.append((root, readable_source(root.name)))
            if origins is not None:
                origins.setdefault(found[-1][1], str(root.resolve().parent))
            continue
        ignored = ignore_patterns(root)
        inside = root.resolve()
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "__")))
            for name in sorted(filenames):
                if name.startswith(".") or name in skip_names:
                    continue
                file = Path(dirpath) / name
                source = readable_source(file.relative_to(root).as_posix())
                if any(fnmatch.fnmatch(source, pattern) for pattern in ignored):
                    continue
                problem = _not_regular(file, inside)
                if problem:
                    if skipped is not None:
                        skipped.append({"source": source, "status": "failed", "chunks": 0, "error": problem})
                    continue
                found.append((file, source))
                if origins is not None:
                    origins.setdefault(source, str(inside))  # the first of two clashing files is the one kept
    return found


def _not_regular(file: Path, inside: Path) -> str | None:
    """Why a file found in a folder is not read (None: a regular file within the folder)."""
    try:
        target = file.resolve(strict=True)
        mode = os.stat(target).st_mode
    except (OSError, RuntimeError):
        return "无法读取（损坏的符号链接或没有权限），已跳过"
    if file.is_symlink() and not target.is_relative_to(inside):
        return "符号链接指向导入文件夹之外，已跳过"
    if not stat.S_ISREG(mode):
        return "不是普通文件（设备、管道或套接字），已跳过"
    return None
