"""A picked sentence opening with a pronoun ("它通过虚拟化平台直接连接…", "该参数默认…") brings the sentence
it points back to, when that is the sentence just before it in the same paragraph of the same passage and
was not picked: "它" alone does not say what the answer is about ("VNC 登录是…" was left out of
"ssh 和远程桌面都连不上了 还有别的办法进系统吗"). Hooked at the end of graph/extractive.py; tested in
tests/graph/test_antecedent.py.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Mapping, Sequence

from graph.doc_units import Unit

LEADS_BACK = re.compile(r"^(?:它们?|其(?![他它余中实次])|该(?=[\u4e00-\u9fff])|此(?=[时处类项])|这(?:些|种|类|样|时|个)(?=[\u4e00-\u9fff，,]))")
"""A sentence whose subject is a pronoun (它 / 其 / 该参数 / 此时 / 这些), not 其他 / 其中 / 此外."""

MAX_ANTECEDENT = 120
"""Longest sentence brought back for a pronoun (characters): a short naming sentence, not a paragraph."""


def with_antecedents(picked: list[tuple[int, Unit]], groups: list[int], passages: Sequence[Mapping[str, Any]],
                     units_of: Callable[[Mapping[str, Any]], list[Unit]]) -> tuple[list[tuple[int, Unit]], list[int]]:
    """`picked` (and its parallel `groups`) with the antecedent sentence put before each pronoun-led sentence
    that lacks it (see the module docstring)."""
    out: list[tuple[int, Unit]] = []
    out_groups: list[int] = []
    shown = {(n, u.key()) for n, u in picked}
    for (n, unit), group in zip(picked, groups):
        before = _antecedent(unit, units_of(passages[n - 1])) if unit.kind in ("sentence", "leadin") and LEADS_BACK.match(unit.text) else None
        if before is not None and (n, before.key()) not in shown:
            out.append((n, before))
            out_groups.append(group)
            shown.add((n, before.key()))
        out.append((n, unit))
        out_groups.append(group)
    return out, out_groups


def _antecedent(unit: Unit, units: list[Unit]) -> Unit | None:
    """The sentence just before `unit` in its paragraph, when it is a short sentence that does not itself lead back."""
    at = next((i for i, u in enumerate(units) if u.key() == unit.key()), None)
    if not at:
        return None
    prev = units[at - 1]
    if prev.kind != "sentence" or unit.para < 0 or prev.para != unit.para or len(prev.text) > MAX_ANTECEDENT:
        return None
    return prev
