"""The `--kb` option of ask, analyze and search: one base, or several (comma-separated or repeated).

`--kb demo` behaves as it always did; `--kb tidb,istio` or `--kb tidb --kb istio` answers
from both bases (retrieval fused across them, the guard's domain their union).
`chosen(args)` is None (the default base), one name (str) or a list of names.
"""

from __future__ import annotations

import argparse

from knowledge.bases import parse_kbs

HELP = "知识库名称（默认 knowledge.default_kb）；多个知识库用逗号分隔或重复 --kb"


def add_kb_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--kb", action="append", metavar="NAME", help=HELP)


def chosen(args: argparse.Namespace) -> str | list[str] | None:
    names = parse_kbs(args.kb)
    if not names:
        return None
    return names[0] if len(names) == 1 else names


def names_of(kb: str | list[str] | None) -> list[str]:
    return [] if kb is None else ([kb] if isinstance(kb, str) else list(kb))
