"""How CLI commands print: JSON with `--json`, human text otherwise."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def add_json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print machine-readable JSON")


def emit(args: argparse.Namespace, payload: Any, text: str | None = None) -> None:
    """Print JSON when `--json` was given (or no text is offered), else the human text."""
    if getattr(args, "json", False) or text is None:
        print(json.dumps(payload, ensure_ascii=False, indent=2, default=str))
    else:
        print(text)


def fail(message: str) -> int:
    """A user-facing error: message on stderr, exit code 2."""
    print(f"错误：{message}", file=sys.stderr)
    return 2
