"""Every benchmark names its conversations with a per-run id.

The copilot's conversations persist in the data dir (conversations.sqlite). A benchmark that
names a session by a fixed string or by the item's index ("misses-tidb-3") continues, on its
next run over the same data dir, the conversation the previous run left there: the first turn
becomes a repeat of the question already answered, and the figures then depend on which runs
came before (benchmarks/selection_misses.py did this). The convention of answer_eval,
guard_eval and gate_eval is `run = uuid.uuid4().hex[:8]` in every session id.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
_ASK = re.compile(r"\.ask\(")
_NAME = re.compile(r"[A-Za-z_]\w*")


def session_arguments(source: str) -> list[str]:
    """The second argument (the session id) of every `.ask(` call, as written."""
    found = []
    for m in _ASK.finditer(source):
        depth, args, start = 0, [], m.end()
        for i in range(m.end(), len(source)):
            ch = source[i]
            if ch in "([{":
                depth += 1
            elif ch in ")]}":
                if depth == 0:
                    args.append(source[start:i])
                    break
                depth -= 1
            elif ch == "," and depth == 0:
                args.append(source[start:i])
                start = i + 1
        if len(args) >= 2:
            found.append(args[1].strip())
    return found


def carries_run_id(argument: str, source: str) -> bool:
    """An f-string with `{run}`, or a name every assignment of which in the file is one."""
    if "{run}" in argument:
        return True
    if not _NAME.fullmatch(argument):
        return False
    assigned = re.findall(rf"^[ \t]*{argument} = (\S.*)$", source, re.MULTILINE)
    return bool(assigned) and all("{run}" in value for value in assigned)


@pytest.mark.parametrize("path", sorted(BENCHMARKS.glob("*.py")), ids=lambda p: p.name)
def test_benchmark_sessions_carry_the_run_id(path):
    source = path.read_text(encoding="utf-8")
    fixed = [a for a in session_arguments(source) if not carries_run_id(a, source)]
    assert not fixed, f"{path.name}: session ids without the run id: {fixed}"


def test_the_check_can_fail():
    source = 'session = f"misses-{path.stem}-{index}"\ncopilot.ask(turn["message"], session, kb=kb)\n' \
             'copilot.ask("q", "first")\ncopilot.ask(q, f"s-{run}-{i}")\n'
    assert [carries_run_id(a, source) for a in session_arguments(source)] == [False, False, True]
