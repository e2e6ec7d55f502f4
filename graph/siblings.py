"""Sibling sub-questions: a comma-joined second ask leans on the pages its sibling found.

    if weak(chosen):
        again = select(standalone, sibling_pool(own, siblings, find))   # own passages, then the siblings'
        chosen = again if not chosen or not weak(again) else chosen

Sub-questions of one message ("充完钱多久恢复，要不要提工单") run as parallel branches
(graph/routing.fan_out), each with its own search. A short ask ("要不要提工单") often finds
nothing, or only partial matches, of its own, although the page the first question uses answers
it ("无需提交工单" in the recovery section the first ask found). When a branch's selection keeps no
strong match, graph/nodes/select.py selects again among its own passages and those its siblings'
searches found (the guard's searches when it made them), and takes that selection when its own
was empty or the new one holds a strong match; "not found" is said only when neither brings
anything relevant. A step follow-up ("第二步具体怎么写") keeps its own logic (graph/prior.py).
Tested in tests/graph/test_siblings.py.
"""

from __future__ import annotations

from typing import Callable, Mapping, Sequence

from graph.schema import PassageData


def weak(chosen: Sequence[Mapping]) -> bool:
    """No strong match among the selected passages (none at all, or partial ones only)."""
    return not any((p.get("meta") or {}).get("match") == "strong" for p in chosen)


def sibling_pool(own: list[PassageData], siblings: Sequence[str],
                 find: Callable[[str], list[PassageData]]) -> list[PassageData]:
    """The branch's own passages, then those `find` gives for each sibling (the guard's search of it
    when it made one), without repeats; [] without siblings."""
    if not siblings:
        return []
    pool = list(own)
    seen = {p.get("chunk_id") for p in pool}
    for sibling in siblings:
        for p in find(sibling):
            if p.get("chunk_id") not in seen:
                seen.add(p.get("chunk_id"))
                pool.append(p)
    return pool
