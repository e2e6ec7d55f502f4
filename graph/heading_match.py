"""The found section stays when its own heading names the question better than a page-wide pick.

A long page often holds several parallel how-to sections ("使用 SHARD_ROW_ID_BITS 处理热点表",
"使用 AUTO_RANDOM 处理自增主键热点表", "打散读热点"). Retrieval may find the one whose heading
names what the user asks ("主键 … 自增"), and then a page-wide rule swaps it for the page's first
procedure (graph/doc_sections.procedure) or for a section named after another thing the question
mentions in passing (graph/variant.py: "tikv 的 CPU"). `heading_keeps` says when the found section
wins: its last heading (a task's, not a numbered step's nor a FAQ entry's question) names at least two
asked words and a larger IDF-weighted share of what is asked beyond the page's title
than the replacement's last heading, and the replacement does not already hold it (a step inside the
procedure is no rival of the procedure). Used by graph/evidence.build_evidence; tested in
tests/graph/test_heading_match.py.
"""

from __future__ import annotations

from typing import Any, Mapping

from graph.doc_sections import is_step_heading
from graph.faq_subject import question_heading
from graph.relevance import QuestionTerms, coverage
from graph.relevance import found as found_in

MIN_HEADING_COVER = 0.1
"""Share of the asked words (IDF-weighted) the found section's heading must name to hold its place."""
MIN_HEADING_TERMS = 2
"""Asked words the found section's heading must name: one shared word ("集群" in "4. 查看集群状态")
is no sign that the section is the one asked about."""


def _heading(passage: Mapping[str, Any]) -> str:
    heads = passage.get("heading_path") or []
    return heads[-1] if heads else ""


def _chunks(passage: Mapping[str, Any]) -> set[str]:
    return set((passage.get("meta") or {}).get("chunks") or [passage.get("chunk_id")]) - {None}


def heading_keeps(found: Mapping[str, Any], replacement: Mapping[str, Any] | None, asked: QuestionTerms) -> bool:
    """The found section's heading names clearly more of `asked` than `replacement`'s heading, and the
    replacement is another section (not one holding the found one, not the page's intro)."""
    if replacement is None or not _heading(found) or asked.total <= 0:
        return False
    if is_step_heading(_heading(found)) or question_heading(found):  # a numbered step belongs to its procedure;
        return False  # a FAQ entry's question is matched by graph/faq_subject.py, its words are no task heading
    if _chunks(found) & _chunks(replacement):  # the replacement holds the found section: it says it whole
        return False
    head = _heading(found).lower()
    if sum(1 for t in asked.weights if found_in(t, head)) < MIN_HEADING_TERMS:
        return False
    own = coverage(asked, head)
    return own >= MIN_HEADING_COVER and own > coverage(asked, _heading(replacement))
