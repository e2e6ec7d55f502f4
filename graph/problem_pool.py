"""A problem page the selection left out, brought back when only reference units would answer a problem.

Selection keeps the 3-4 passages sharing most of the question's words; for "数据库 cpu 一直 100%" those are
spec rows and an overview's "如何选择规格" (they name CPU, 数据库 and numbers) while the page treating the
problem (慢查询: "CPU 使用率持续偏高") was retrieved but ranked fifth. `problem_page_first`: for a symptom
or cause question, or a how-to asking what to do about a fault (`answers_problem`), whose best document unit is a reference unit (graph/unit_kind.py), the first retrieved
unit of a problem page whose page covers at least NEAR_COVER of what that unit covers — and names the
question's rarest entity whenever it does, in its text and its declared names (graph/named_page) — joins the selection as its
best passage (most relevant last). The evidence then anchors on it (graph/symptom_page.reference_yields).
When none is at hand and a reference table still opens the answer, `table_led` has it hedged.
Hooked in graph/nodes/select.py; tested in tests/graph/test_unit_kind.py.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping, Sequence

from graph.named_page import keeps_declared, keeps_named
from graph.question_type import asks_fix
from graph.relevance import QuestionTerms, coverage, title_context, with_context
from graph.symptom_page import NEAR_COVER
from graph.unit_kind import is_problem_page, is_reference_unit

PROBLEM_TYPES = ("symptom", "cause")
"""Question types a problem page answers before a reference unit (value / compare keep reference first)."""


def answers_problem(qtype: str, question: str) -> bool:
    """A symptom or cause question, or a how-to asking what to do about a fault ("…100% 怎么办")."""
    return qtype in PROBLEM_TYPES or (qtype == "howto" and asks_fix(question))


def _page_text(passage: Mapping[str, Any], doc: Sequence[Mapping[str, Any]]) -> str:
    return " ".join([title_context(passage), *(" ".join(c.get("heading_path") or []) + " " + str(c.get("text") or "")
                                               for c in doc)])


def problem_page_first(chosen: list[dict], pool: Sequence[Mapping[str, Any]], terms: QuestionTerms, qtype: str,
                       chunks: Callable[[Mapping[str, Any]], list[dict]], limit: int, question: str = "") -> list[dict]:
    """`chosen` (most relevant last) with a retrieved problem-page unit added as the best when its best
    document unit is a reference unit (see the module docstring); else `chosen` unchanged."""
    if not answers_problem(qtype, question):
        return chosen
    lead = next((p for p in reversed(chosen) if p.get("kind") != "faq"), None)
    if lead is None or not is_reference_unit(lead) or is_problem_page(lead, chunks(lead)):
        return chosen
    if any(p.get("kind") != "faq" and is_problem_page(p, chunks(p)) for p in chosen):
        return chosen  # a problem page is selected already: the evidence anchors on it
    bar = NEAR_COVER * coverage(terms, with_context(lead))
    picked = {p.get("chunk_id") for p in chosen}
    for p in pool:
        if p.get("chunk_id") in picked or p.get("kind") == "faq" or is_reference_unit(p):
            continue
        doc = chunks(p)
        if is_problem_page(p, doc) and keeps_named(lead, p, terms) and keeps_declared(lead, p, terms) and coverage(terms, _page_text(p, doc)) >= bar:
            kept = chosen[1:] if len(chosen) >= limit else chosen
            return [*kept, dict(p)]
    return chosen


def table_led(qtype: str, question: str, cited: Sequence[Mapping[str, Any]]) -> bool:
    """A fault's answer opens with a reference table (spec, quota or price rows: no problem page was at
    hand to anchor it): a rare case the answer hedges (graph/nodes/verify.py)."""
    return bool(cited) and answers_problem(qtype, question) and cited[0].get("kind") == "table" \
        and is_reference_unit(cited[0])
