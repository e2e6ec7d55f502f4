"""`backup PATH` and `restore PATH`: a consistent snapshot of the data directory, and putting one back.

`backup` works while `serve` runs (SQLite online backup; the vector store copied with every
base's writer lock held); `restore` refuses while a server uses the directory and moves what
it replaces aside instead of deleting it. Both print a summary, or JSON with `--json`.
Library: app/backup.py.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from app.output import add_json_flag, emit
from app.settings import Settings


def register(subparsers: argparse._SubParsersAction) -> None:
    backup = subparsers.add_parser("backup", help="备份数据目录（服务运行时也可以）")
    backup.add_argument("path", type=Path, metavar="PATH", help="备份写到这个新的（或空的）文件夹")
    add_json_flag(backup)
    backup.set_defaults(handler=run_backup)
    restore = subparsers.add_parser("restore", help="从备份恢复数据目录（需先停止服务）")
    restore.add_argument("path", type=Path, metavar="PATH", help="smart-copilot backup 写出的文件夹")
    add_json_flag(restore)
    restore.set_defaults(handler=run_restore)


def run_backup(args: argparse.Namespace, settings: Settings) -> int:
    from app.backup import backup

    manifest = backup(Path(settings.data_dir), args.path, wait_s=settings.knowledge.writer_wait_s)
    data = {"path": str(args.path), "kbs": manifest["kbs"], "files": len(manifest["files"]),
            "bytes": manifest["bytes"]}
    emit(args, data, f"已备份到 {args.path}：知识库 {'、'.join(manifest['kbs']) or '无'}，"
                     f"{len(manifest['files'])} 个文件，{manifest['bytes'] / 1048576:.1f} MB")
    return 0


def run_restore(args: argparse.Namespace, settings: Settings) -> int:
    from app.backup import restore
    from app.datadir import startup_problems

    data = restore(Path(settings.data_dir), args.path)
    data["problems"] = startup_problems(Path(settings.data_dir))
    text = f"已从 {args.path} 恢复：知识库 {'、'.join(data['kbs']) or '无'}，{data['files']} 个文件"
    if data["replaced"]:
        text += f"；原有数据已移到 {data['replaced']}"
    if data["problems"]:
        text += "\n恢复后的数据仍有问题：\n- " + "\n- ".join(data["problems"])
    emit(args, data, text)
    return 1 if data["problems"] else 0
