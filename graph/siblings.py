"""Sibling sub-questions: a comma-joined second ask leans on the pages its sibling found.

    if not chosen: chosen = select(standalone, sibling_pool(own, siblings, find))   # own, then the siblings'

Sub-questions of one message ("充完钱多久恢复，要不要提工单") run as parallel branches
(graph/routing.fan_out), each with its own search. A short ask ("要不要提工单") often finds
nothing of its own, although the page the first question uses answers it. When a branch's
selection keeps nothing, graph/nodes/select.py selects again among its own passages and those
its siblings' searches found (the guard's searches when it made them), so "not found" is said
only when neither brings anything relevant. (A weak selection of its own stays: re-selecting
then only traded one partial match for another.) Tested in tests/graph/test_siblings.py.
"""

from __future__ import annotations

from typing import Callable, Sequence

from graph.schema import PassageData


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
