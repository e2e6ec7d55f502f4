"""The page a symptom answer builds on: a page written to diagnose problems before a reference page.

A symptom or cause question ("tikv 进程隔三差五被内核杀掉", "实例通过 ClusterIP 访问自己就不通") is
answered by the page that diagnoses it ("TiDB 集群故障诊断", "调试 Service"); a reference page (a CLI
option, a proxy mode) may hold as many of the question's words and rank first, yet it describes how
things work, not what to check. `diagnosing_anchor`: among the first on-topic sections of the
evidence, a diagnosing page's section covering nearly as much of the question as the anchor takes
the anchor's place (graph/evidence.build_evidence). A page is diagnosing when its title or file
name says so (排查, 故障排除/诊断, 调试, troubleshoot, debug); "故障注入" (fault injection) is not.
`reference_yields`: a reference unit (a spec or quota table, an overview's "如何选择规格") anchoring a
symptom answer gives way to a problem page's section covering the question nearly as well (the unit
and page kinds are graph/unit_kind.py's, read from structure).
Tested in tests/graph/test_anchor_page.py.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping, Sequence

from graph.named_page import keeps_declared
from graph.relevance import QuestionTerms, coverage, with_context
from graph.unit_kind import DIAGNOSING, is_diagnosing, is_problem_page, is_reference_unit

__all__ = ["DIAGNOSING", "is_diagnosing", "diagnosing_anchor", "reference_yields"]

NEAR_COVER = 0.8
"""Share of the anchor's coverage of the question a diagnosing page's section must reach to take its
place: one word less of a long question, not a section about a neighbouring topic."""


def _cover(terms: QuestionTerms, passage: Mapping[str, Any]) -> float:
    return coverage(terms, with_context(passage))


def diagnosing_anchor(anchor: dict, candidates: Sequence[dict], terms: QuestionTerms) -> dict:
    """The first diagnosing section among `candidates` (on-topic document sections, best first) that
    covers at least NEAR_COVER of what `anchor` covers, when the anchor's page is not diagnosing itself;
    else the anchor."""
    if is_diagnosing(anchor):
        return anchor
    bar = NEAR_COVER * _cover(terms, anchor)
    return next((p for p in candidates if p is not anchor and is_diagnosing(p) and _cover(terms, p) >= bar), anchor)


def reference_yields(anchor: dict, candidates: Sequence[dict], terms: QuestionTerms,
                     chunks: Callable[[dict], list[dict]]) -> dict:
    """A reference unit (a spec table, an overview's "如何选择" section: graph/unit_kind.py) does not anchor a
    problem's answer: the first candidate on a problem page covering at least NEAR_COVER of what the anchor
    covers, declaring the question's rarest entity whenever the anchor's page does, takes its place; else the anchor."""
    if not is_reference_unit(anchor) or is_problem_page(anchor, chunks(anchor)):
        return anchor
    bar = NEAR_COVER * _cover(terms, anchor)
    return next((p for p in candidates if p is not anchor and not is_reference_unit(p) and keeps_declared(anchor, p, terms)
                 and is_problem_page(p, chunks(p)) and _cover(terms, p) >= bar), anchor)
