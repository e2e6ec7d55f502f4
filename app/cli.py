"""The `smart-copilot` command line (also `python -m app`).

Each module in `app/commands/` defines `register(subparsers)` and is discovered here,
so a new command is a new file. Command handlers take `(args, settings)` and return an
exit code; user mistakes raise one of USER_ERRORS and end as a message with exit code 2.
The contract (commands and `--json` shapes) is in ../shared/ARCHITECTURE.md.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import pkgutil
import sqlite3
import sys
from typing import Callable

from app.output import fail
from app.settings import Settings, SettingsError, apply_offline_defaults, load_settings
from app.storage.errors import StorageError
from graph.errors import GraphError
from knowledge.errors import KnowledgeError
from models.errors import ModelError
from tools.errors import ToolsError

USER_ERRORS = (SettingsError, KnowledgeError, ModelError, ToolsError, GraphError, StorageError)

Handler = Callable[[argparse.Namespace, Settings], int]


def build_parser() -> argparse.ArgumentParser:
    import app.commands as commands_pkg

    parser = argparse.ArgumentParser(prog="smart-copilot", description="云技术支持排障助手 Smart Copilot")
    parser.add_argument("--config", help="YAML settings file (default: env SMART_COPILOT_CONFIG)")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(commands_pkg.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"app.commands.{info.name}")
        module.register(subparsers)
    return parser


# A command imports and builds tens of thousands of long-lived objects (langgraph, pydantic
# models, runbooks): at the default thresholds the cyclic collector scans them again and again
# while they load, and once more at exit: a quarter of a cold `analyze` (docs/benchmarks.md).
GC_THRESHOLD = (50_000, 20, 100)


def main(argv: list[str] | None = None) -> int:
    process = argv is None  # the process's own command line (tests pass argv and keep the defaults)
    default_threshold = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLD)
    try:
        return _run(argv)
    finally:
        if process:
            gc.freeze()  # the process ends next: do not scan its long-lived heap once more
        else:
            gc.set_threshold(*default_threshold)


def _run(argv: list[str] | None) -> int:
    apply_offline_defaults()
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    try:
        settings = load_settings(args.config)
        return handler(args, settings)
    except USER_ERRORS as exc:
        return fail(str(exc))
    except sqlite3.DatabaseError as exc:  # a store of the data directory is damaged: say which and what to do
        return fail(f"数据目录中的数据库已损坏或无法读取（{exc}）。请运行 smart-copilot serve 查看是哪个文件，"
                    "用 smart-copilot restore 备份目录 恢复，或移走损坏的文件")
    except KeyboardInterrupt:
        return fail("已中断")
    except BrokenPipeError:  # the reader went away (`| head`): stop quietly, as other command-line tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # Python's flush at exit would raise again
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
