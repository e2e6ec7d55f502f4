"""The found section stays when its own heading names the question better than a page-wide pick.

A long page often holds several parallel how-to sections ("使用 SHARD_ROW_ID_BITS 处理热点表",
"使用 AUTO_RANDOM 处理自增主键热点表", "打散读热点"). Retrieval may find the one whose heading
names what the user asks ("主键 … 自增"), and then a page-wide rule swaps it for the page's first
procedure (graph/doc_sections.procedure) or for a section named after another thing the question
mentions in passing (graph/variant.py: "tikv 的 CPU"). `heading_keeps` says when the found section
wins: its last heading (a task's, not a numbered step's nor a FAQ entry's question) names at least two
asked words and a larger IDF-weighted share of what is asked beyond the page's title
than the replacement's last heading, and the replacement does not already hold it (a step inside the
procedure is no rival of the procedure). Used by graph/evidence.build_evidence.

`heading_lead` carries the same reading to the answer's topic check: the evidence's section whose own
heading names the question (two asked words or more, beyond its page's title) clearly better than any
other passage's heading is what a long spoken question asks about, though each of its sentences shares
few of the user's words ("订单表 … 压测 … 其他几台都很闲" against "使用 AUTO_RANDOM 处理自增主键热点表").
graph/topic.leading takes it as the leading passage, which vouches for its sentences.

`names_rarest` reads a troubleshooting section's own heading for the problem entry a long spoken
question reports: the heading names the question's rarest word beyond the page's title ("HostPort"
in "pod 里配了 hostPort 可从节点 ip 就是访问不到，我们用的网络插件不是常见那几个" against
"`HostPort` 服务无法工作"), though it names a small share of the question's many words. Such an
entry is given whole (graph/section_answer.py): its last paragraph is often the fix for the user's
case ("如果你的网络提供商不支持 portmap CNI 插件…"), sharing few words with the question. Tested in
tests/graph/test_heading_match.py.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping, Sequence

from graph.doc_sections import is_step_heading
from graph.faq_subject import question_heading
from graph.relevance import QuestionTerms, coverage, names_entity, title_context, with_context
from graph.relevance import found as found_in

MIN_HEADING_COVER = 0.1
"""Share of the asked words (IDF-weighted) the found section's heading must name to hold its place."""
HEADING_RATIO = 2.0
"""How many times what any other passage's heading names the leading heading must name."""
LEAD_COVER = 0.25
"""Share of the question the heading-led passage must cover, read with where it sits."""
RAREST_MARGIN = 1.2
"""How many times the next rarest asked word's IDF the rarest must weigh to single out the thing asked."""
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
    own = _names(asked, _heading(found))
    return own >= MIN_HEADING_COVER and own > coverage(asked, _heading(replacement))


def _task_heading(passage: Mapping[str, Any]) -> str:
    """The passage's own heading when it is a task's (not a numbered step's, not a FAQ entry's question)."""
    head = _heading(passage)
    return "" if not head or passage.get("kind") == "faq" or is_step_heading(head) or question_heading(passage) else head


def _names(asked: QuestionTerms, heading: str) -> float:
    """IDF-weighted share of `asked` the heading names, 0 when it names fewer than MIN_HEADING_TERMS words."""
    low = heading.lower()
    if sum(1 for t in asked.weights if found_in(t, low)) < MIN_HEADING_TERMS:
        return 0.0
    return coverage(asked, low)


def heading_lead(terms: QuestionTerms, passages: Sequence[Mapping[str, Any]]) -> int | None:
    """Number (1-based) of the passage whose own task heading names the question (beyond its page's title)
    HEADING_RATIO times better than any other passage's heading, when the passage names what the question
    is about and covers LEAD_COVER of it; else None."""
    if terms.total <= 0 or not passages:
        return None
    shares = [_names(terms.without(title_context(p)), _task_heading(p)) for p in passages]
    best = max(range(len(passages)), key=lambda i: (shares[i], i))
    if shares[best] < MIN_HEADING_COVER:
        return None
    rivals = [coverage(terms.without(title_context(p)), _heading(p).lower()) for i, p in enumerate(passages) if i != best]
    if any(shares[best] < HEADING_RATIO * r for r in rivals):
        return None
    whole = with_context(passages[best])
    return best + 1 if names_entity(terms, whole) and coverage(terms, whole) >= LEAD_COVER else None


def rarest_term(terms: QuestionTerms) -> str | None:
    """The asked word with the highest IDF, when it weighs RAREST_MARGIN times the next one (a word the
    base rarely writes singles out what is asked; two near-equal ones do not) and names a thing: one of the
    question's entities or codes ("hostport", "max_connections"), not a verb of the symptom ("看到")."""
    rare = clearly_heaviest(terms.weights.items())
    return rare if rare is not None and (rare in terms.entities or rare in terms.codes()) else None


def clearly_heaviest(weights: Iterable[tuple[str, float]]) -> str | None:
    """The word weighing RAREST_MARGIN times every other (None: none, or two near-equal ones)."""
    ranked = sorted(weights, key=lambda kv: -kv[1])
    if not ranked or (len(ranked) > 1 and ranked[0][1] < RAREST_MARGIN * ranked[1][1]):
        return None
    return ranked[0][0]


def names_rarest(terms: QuestionTerms, passage: Mapping[str, Any]) -> bool:
    """The section's own task heading names the question's rarest word beyond the page's title (module
    docstring)."""
    head = _task_heading(passage).lower()
    rare = rarest_term(terms.own().without(title_context(passage))) if head else None
    return rare is not None and found_in(rare, head)
