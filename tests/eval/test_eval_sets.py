"""benchmarks/eval_sets.py: the frozen sets read as the benchmarks read them, and their even/odd halves."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from benchmarks.eval_sets import half, id_number, read_jsonl, read_sets  # noqa: E402

SETS = [REPO / "tests/data/corpora_eval" / f"{name}.jsonl" for name in ("istio", "kubernetes", "tidb")]
"""The frozen corpora sets (a helper's dev set beside them, dev_*.jsonl, is not one)."""


def test_halves_split_every_frozen_set_by_id_number(tmp_path: Path) -> None:
    items = read_sets(SETS)
    assert len(items) == sum(len(read_jsonl(p)) for p in SETS) == 150
    even, odd = half(items, "even"), half(items, "odd")
    assert len(even) + len(odd) == len(items) and even and odd
    assert all(id_number(i) % 2 == 0 for i in even) and all(id_number(i) % 2 == 1 for i in odd)
    blank = tmp_path / "s.jsonl"
    blank.write_text('{"id": "x-03"}\n\n  \n{"id": "x-10"}\n', encoding="utf-8")
    assert [id_number(i) for i in read_jsonl(blank)] == [3, 10]
    with pytest.raises(ValueError, match="even"):
        half(items, "first")
