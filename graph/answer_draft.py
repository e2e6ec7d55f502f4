"""An extractive answer being composed, and the parts that may follow its first block.

`AnswerDraft` keeps the units picked so far, each block checked on topic before it is kept, within
the type's character budget (`BUDGET`). What follows the first block, each in the room it has left
or the extra room its rule gives: a second fact for a value question asking two things, the page's
fixes for the cause the answer names, the page's first solution step, the item fixing the one cause
the question points to, a FAQ note on the same thing. Composed by graph/extractive.py; tested
through tests/graph/test_extractive.py and the answer sets.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from graph.doc_units import Unit, space_taken
from graph.evidence import is_on_topic, thread_line
from graph.faq_entry import faq_units
from graph.faq_subject import neighbour_case, same_subject
from graph.fixes import FIX_ROOM, fix_rows
from graph.question_type import QuestionType
from graph.relevance import QuestionTerms, context_of, coverage, found, with_context
from graph.value_scan import without_asking_words
from graph.section_answer import from_section, section_units
from graph.topic import leading, on_topic_here
from graph.unit_fit import blocks, fit, fit_chosen, usable
from graph.setting_block import with_setting_name
from graph.value_fact import best_fact, repeats

BUDGET: dict[str, int] = {"value": 200, "define": 260, "compare": 520, "cause": 640, "symptom": 760, "howto": 760}
"""Characters an answer of each type may use (a sentence is never cut to fit: it is left out)."""
SIBLING_SHARE = 0.6
"""Share of its budget each answer keeps when one message asks several questions (they share one reply)."""


def type_budget(qtype: str, siblings: int = 1, reserve: int = 0) -> int:
    """The characters an answer of `qtype` may use: its share of one reply when the message asked
    `siblings` questions, less the `reserve` the reply adds after it (the runbook offer)."""
    return int(BUDGET.get(qtype, BUDGET["howto"]) * (SIBLING_SHARE if siblings > 1 else 1.0)) - reserve

class AnswerDraft:
    """The units picked so far, each block checked on topic before it is kept; the budget is
    kept block by block (a block that does not fit ends that passage's contribution)."""

    def __init__(self, passages: Sequence[Mapping[str, Any]], terms: QuestionTerms, budget: int) -> None:
        self.passages, self.terms, self.budget = passages, terms, budget
        self.picked: list[tuple[int, Unit]] = []
        self.groups: list[int] = []
        """The block each picked unit came in (verify judges a block's topic as a whole)."""
        self.used = 0
        self.lead = leading(terms, passages)
        """The passage vouching for each of its sentences (graph/topic.leading)."""

    def add(self, n: int, units: list[Unit]) -> None:
        passage = self.passages[n - 1]
        if not any(m == n for m, _ in self.picked):  # a setting's section names it (graph/setting_block.py)
            units = with_setting_name(units, passage)
        parent_left = False  # the nested items of an item left out go with it
        for block in blocks(units):
            if block[0].depth and parent_left:
                continue
            prose = [u for u in block if u.kind in ("sentence", "leadin", "row", "item") and u.depth == 0]
            parent_left = False
            if prose and not all(u.whole for u in prose) and not thread_line(passage) and not any(on_topic_here(self.terms, u.text, passage, n == self.lead) for u in prose) \
                    and coverage(self.terms, context_of(passage)) < 0.5:  # an entry given whole stands as a whole
                parent_left = block[-1].kind == "item"
                continue
            size = space_taken(block)
            if self.picked and self.used + size > self.budget:
                if block[0].kind == "step":
                    continue
                break
            for u in block:
                self.picked.append((n, u))
                self.groups.append((self.groups[-1] if self.groups else 0) + (u is block[0]))
                self.used += len(u.text) + 4
        while self.picked and self.picked[-1][1].kind == "step":  # its instructions did not fit: never a bare heading
            self.used -= len(self.picked.pop()[1].text) + 4
            self.groups.pop()

    def drop(self, indices: set[int]) -> None:
        """Leave out the picked units at these indices (blocks found to pad the answer, graph/padding.py)."""
        kept = [i for i in range(len(self.picked)) if i not in indices]
        self.picked = [self.picked[i] for i in kept]
        self.groups = [self.groups[i] for i in kept]
        self.used = sum(len(u.text) + 4 for _, u in self.picked)


SECOND_FACT = 0.3
"""Share of the question the value answer may leave uncovered before a second fact is looked for."""


def second_fact(answer: AnswerDraft, passages: Sequence[Mapping[str, Any]], terms: QuestionTerms, question: str) -> None:
    """A value question that asks two things ("kubeconfig 去哪下 办公网连不上 api server"): when
    the picked sentences leave SECOND_FACT of the question's weight uncovered, the sentence that
    covers most of the rest follows (half the type's budget more)."""
    if not answer.picked:
        return
    rest = terms.without(" ".join(u.text for _, u in answer.picked))
    # the words asking the quantity ("几个", "多少") are answered by the value given, not left over
    rest = without_asking_words(rest)
    if rest.total < SECOND_FACT * terms.total:
        return
    room = answer.budget - answer.used + BUDGET["value"] // 2
    more = best_fact(passages, rest, question, room, topic=terms)
    if more is None or repeats(answer.picked, more[1]):
        return
    where = context_of(passages[more[0] - 1])
    if max((coverage(rest, f"{where} {u.text}") for u in more[1]), default=0.0) < 0.5:
        return
    answer.budget += BUDGET["value"] // 2
    answer.add(*more)


def add_fixes(answer: AnswerDraft, passages: Sequence[Mapping[str, Any]], question: str, terms: QuestionTerms) -> None:
    """The page's fixes for the cause the answer names follow it (graph/fixes.py), FIX_ROOM more."""
    for n, units, room in fix_rows(passages, answer.picked, question, terms):
        answer.budget += FIX_ROOM if room else 0
        answer.add(n, fit_chosen(units, set(range(len(units))), answer.budget - answer.used))


def add_solution(answer: AnswerDraft, passages: Sequence[Mapping[str, Any]], qtype: QuestionType, terms: QuestionTerms,
                 question: str) -> None:
    """A cause or explanation says why; the page's first solution step ("解决方法 > 第一步：…",
    graph/evidence.solution_section) says what to do: it follows when the answer
    did not come from it already, in the room the answer has left."""
    shown = {u.text for _, u in answer.picked}
    for n, p in enumerate(passages, 1):
        if (p.get("meta") or {}).get("added") != "solution":
            continue
        if (p.get("meta") or {}).get("named_fix"):  # the fix for the cause the question points to: it gets room
            answer.budget = max(answer.budget, answer.used + NAMED_FIX_ROOM)
        units = from_section(p, qtype, terms, answer.budget - answer.used, question)
        if units and not any(u.text in shown for u in units):
            answer.add(n, units)


def add_named_fix(answer: AnswerDraft, passages: Sequence[Mapping[str, Any]]) -> None:
    """A how-to or a meaning asked about one cause the page fixes item by item ("- **污点**：…",
    graph/keyed_fix.py): that item follows, whole, in NAMED_FIX_ROOM beyond what the answer used."""
    shown = {u.text for _, u in answer.picked}
    for n, p in enumerate(passages, 1):
        meta = p.get("meta") or {}
        if meta.get("added") != "solution" or not meta.get("named_fix"):
            continue
        answer.budget = max(answer.budget, answer.used + NAMED_FIX_ROOM)
        units = fit([u for u in section_units(p) if usable(u)], answer.budget - answer.used)
        if units and not any(u.text in shown for u in units):
            answer.add(n, units)


NAMED_FIX_ROOM = 320
"""Characters the solution part for the cause the question points to (graph/doc_sections.named_fix)
may use after the answer, whatever the answer left."""
FAQ_NOTE = 0.3
"""Share of the question an on-topic FAQ entry must cover to follow a document answer."""


def add_faq_note(answer: AnswerDraft, passages: Sequence[Mapping[str, Any]], qtype: QuestionType, terms: QuestionTerms,
                 question: str = "") -> None:
    """A FAQ entry on the same thing that did not lead (it covers less of the question) still
    says what to do in a sentence or two: it follows the document's answer when it fits and
    adds to it. Only an entry about what the answer's pages are about (graph/faq_subject.same_subject):
    the question's words alone tie an SSH timeout entry to a NAT answer."""
    pages = [passages[n - 1] for n, _ in answer.picked if passages[n - 1].get("kind") != "faq"]
    for n in range(len(passages), 0, -1):
        p = passages[n - 1]
        if p.get("kind") != "faq" or not is_on_topic(terms, p) \
                or coverage(terms, with_context(p)) < FAQ_NOTE \
                or neighbour_case(terms, p, passages) or not same_subject(p, pages, question):
            continue
        units = faq_units(p, qtype, terms, answer.budget - answer.used, question)
        if units and not repeats(answer.picked, units) and not _pads(answer, units, terms):
            answer.add(n, units)
        return


FULL_ANSWER = 0.75
"""Share of its budget an answer must fill for a FAQ note that adds none of the question's words to be
padding: a short answer still gains its sentence or two; a full causes list or procedure does not."""


def _pads(answer: AnswerDraft, units: list[Unit], terms: QuestionTerms) -> bool:
    """The note names nothing asked that the answer lacks, and the answer is already full (FULL_ANSWER)."""
    if answer.used < FULL_ANSWER * answer.budget:
        return False
    said = " ".join(u.text for _, u in answer.picked).lower()
    note = " ".join(u.text for u in units).lower()
    return not any(found(t, note) and not found(t, said) for t in terms.weights)
