"""One ask of a two-ask message whose answer lacks the line answering it: the found pages' line that does.

"自定义镜像能导出到本地吗？做一个大概要多久", "控制台扩容云盘一般要等多久 包年包月的要补钱吗", "系统盘最大能扩到多大
扩的时候要不要关机": each ask gets a section of its own, and an ask wanting a time, a count of things or a yes
or no is answered from its page's table row, first step or FAQ neighbour, which name its words but give no
such answer — while a line of the same pages does ("制作时间…一般 10-30 分钟", "扩容通常在 1 分钟内完成",
"在控制台扩容时无需关机"). Here an ask whose answer has no line of the kind asked — a value (graph/asked_kind.py:
a duration, a count in any measure word) or, for a yes or no, a verdict on the asked action (graph/verdict_line.py)
— or has one only about something else (covering `OUTDONE` less of the ask), reads the pages it was answered
from, then the pages retrieved for it, unit by unit (a list item, a sentence, a table row); the unit whose
sentence of that kind covers most of the ask's own words (`MIN_COVER` at least, the sentence read under its
headings) leads the answer, citing its section; an answer line giving a value of something else gives way
(a verdict line stays: the found line may be another ask's too, which compose shows once). A verdict asked of
a verb with its result ("能看到…吗") is given by its potential form too ("看不到"). The kinds are question forms, not any base's words; the pages are those already found for the message.
Used by graph/nodes/answer.py for the asks of a message with more than one; tested in tests/graph/test_ask_line.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Sequence

from graph.asked_kind import COUNT_UNITS, Kind, answers, without_asks
from graph.first_ask_page import value_kinds as stated_kinds
from graph.question_type import asks_verdict
from graph.verdict_line import asked_action, judges_action
from graph.aspect_lines import ChunksOf, TermsOf, cite_section
from graph.doc_sections import MAX_SECTION_CHUNKS, SKIP_HEAD
from graph.doc_units import merge_texts, parse_units, sections_in_order
from graph.echo import plays_symptom_role
from graph.relevance import QuestionTerms, coverage
from graph.unit_fit import QUESTION_LINE, usable

MIN_COVER = 0.5
"""Weighted share of the ask's own words a unit (read with its heading) must name to answer it."""
OUTDONE = 0.1
"""Share of the ask's words the found line must cover beyond the answer's own line giving the kind: a line
giving a time of something else ("preStop 超时再加 2 秒") does not answer "默认给多久宽限期"."""
MAX_PAGES = 3
"""Pages read: those the answer cites, then the retrieved ones, in that order."""
MAX_LINE = 160
"""Characters of the unit shown whole; a longer one is cut to its sentence giving the value."""
_ESTIMATE = re.compile(r"一般|大概|大约|通常|差不多|到底|究竟|要等|得等|需要等|[隔每]?(?:一次|一回)")
"""Words hedging the asked value ("一般要等多久") or framing it ("隔几秒探一次"): part of the asking, not of
what the value is of."""
_VERDICT_FORM = re.compile(r"([\u4e00-\u9fff])[不没]\1|[吗呢么嘛][？?]?\s*$|以后|之后|的时候")
"""The A-not-A form and final particle asking a yes or no, and the words timing it ("绑上以后"): they name
nothing asked about."""
_REACH = re.compile(r"(?:能|可以|会)\s*([\u4e00-\u9fff])([到上见动开回完])")
"""A verb with its result complement asked with a modal ("能看到", "连得上"): its potential forms judge it."""
_PROSE = ("sentence", "item")
_SENTENCE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]?")


_ANY_COUNT = re.compile(rf"\d+\s*[{COUNT_UNITS}]")
"""A count in any measure word: "几个" is answered by the page's "100 条" as much as by "100 个"."""


def value_kinds(asked: str) -> list[Kind]:
    """The kinds of the ask a line states as a number with its unit: a duration, a count (个/条/块…)."""
    return [Kind(k.name, k.asks, _ANY_COUNT) if k.name.startswith("count:") else k
            for k in stated_kinds(asked) if k.name != "limit"]  # durations and counts


@dataclass
class Found:
    """The unit giving the asked value: its page passage, section and the text to show."""

    page: Mapping[str, Any]
    path: list[str]
    chunks: list[dict]
    text: str
    score: float


Gives = Callable[[str], bool]
"""Does a sentence give the kind of answer the ask wants?"""


def _shown(text: str, sentence: str, gives: Gives, whole: bool) -> str:
    """The unit whole when short and `whole`, else its `sentence` giving the kinds — up to the clause giving
    them, when the rest is not to be shown ("…1 分钟内完成，…后继续下一步" points to a step not shown)."""
    if whole and len(text) <= MAX_LINE:
        return text
    if whole:
        return sentence
    clauses = re.split(r"(?<=[，,])", sentence)
    upto = next((i for i in range(len(clauses)) if gives("".join(clauses[:i + 1]))), len(clauses) - 1)
    return "".join(clauses[:upto + 1]).rstrip("，,。 ") + "。"


def _on_page(page: Mapping[str, Any], chunks: list[dict], gives: Gives, prose: bool, terms: QuestionTerms,
             answer: str) -> Found | None:
    """The page's unit whose sentence `gives` the answer covering most of the ask's words (under its headings);
    `prose`: sentences and list items only (a verdict is stated in prose, a table row lists cells)."""
    best: Found | None = None
    for path, section in sections_in_order(chunks):
        heads = " ".join(path)
        if SKIP_HEAD.search(heads) or plays_symptom_role(path):
            continue  # a link list or a symptom section states no value of the answer
        units = parse_units(merge_texts([c["text"] for c in section[:MAX_SECTION_CHUNKS]]), section[0].get("kind") or "doc")
        for u in units:
            if u.kind in ("code", "heading", "leadin") or (prose and u.kind not in _PROSE) \
                    or QUESTION_LINE.match(u.text) or not gives(u.text):
                continue  # (a unit pointing elsewhere is shown as far as its clause giving the value)
            if "".join(u.text.split()).lower()[:30] in answer:
                continue  # already said
            for sentence in (x.strip() for x in _SENTENCE.findall(u.text) if gives(x)):
                # the sentence giving the value, read under its headings, names what the value is of
                score = coverage(terms, f"{heads} {u.heading} {sentence}")
                if score >= MIN_COVER and (best is None or score > best.score + 1e-9):
                    best = Found(page, list(path), section, _shown(u.text, sentence, gives, usable(u)), score)
    return best


def _line_score(unit: Mapping[str, Any], passages: Sequence[Mapping[str, Any]], gives: Gives,
                terms: QuestionTerms) -> float | None:
    """How much of the ask's words an answer line giving the asked kinds covers, read under its cited heading;
    None for a line giving none of them."""
    text = str(unit.get("text") or "")
    if not gives(text):
        return None
    heads = [" ".join(passages[n - 1].get("heading_path") or []) for n in unit.get("cites") or [] if 0 < n <= len(passages)]
    return coverage(terms, f"{' '.join(heads)} {text}")


def _given(units: Sequence[Mapping[str, Any]], passages: Sequence[Mapping[str, Any]], gives: Gives,
           terms: QuestionTerms) -> float:
    """How much of the ask's words the answer's best line of the kind covers; 0 when none gives it."""
    return max([0.0, *(s for u in units if (s := _line_score(u, passages, gives, terms)) is not None)])


def _pages(units: Sequence[Mapping[str, Any]], passages: Sequence[Mapping[str, Any]],
           retrieved: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The document pages the answer cites, then those retrieved, one passage each, in that order."""
    cited = [passages[n - 1] for u in units for n in u.get("cites") or [] if 0 < n <= len(passages)]
    out: dict[str, Mapping[str, Any]] = {}
    for p in [*cited, *passages, *retrieved]:
        source = str(p.get("source") or "")
        if source and p.get("kind") != "faq" and source not in out:
            out[source] = p
    return list(out.values())[:MAX_PAGES]


def _asked(asked: str, passages: Sequence[Mapping[str, Any]], terms_of: TermsOf) -> tuple[Gives, bool, QuestionTerms] | None:
    """What a line answering the ask gives (a sentence test), whether it is prose only, and the ask's words
    naming what it is about; None for an ask wanting neither a value nor a verdict."""
    texts = [str(p.get("text") or "") for p in passages]
    kinds = value_kinds(asked)
    if kinds:  # the words of the asking form say nothing of what the value is of
        return (lambda s: answers(kinds, s)), False, terms_of(_ESTIMATE.sub(" ", without_asks(asked, kinds)), texts).own()
    if not asks_verdict(asked):
        return None
    terms = terms_of(_VERDICT_FORM.sub(" ", asked), texts).own()  # "要不要" asks; it names nothing asked about
    action = asked_action(terms, asked)
    reached = _REACH.search(asked)  # "能看到…吗" is judged by "看不到" / "看得到" as much as by "不能"
    said = re.compile(f"{reached.group(1)}[不得]{reached.group(2)}") if reached else None
    return ((lambda s: judges_action(action, s) or bool(said and said.search(s))), True, terms) if action.total else None


def with_ask_line(asked: str, units: list[dict], passages: list[dict], retrieved: Sequence[Mapping[str, Any]],
                  terms_of: TermsOf, chunks_of: ChunksOf) -> tuple[list[dict], list[dict]]:
    """(units, passages) with the found pages' line of the kind `asked` wants leading, when the answer has
    none about what is asked (module docstring); unchanged otherwise."""
    wanted = _asked(asked, passages, terms_of) if units else None
    if wanted is None or not wanted[2].total:
        return units, passages
    gives, prose, terms = wanted
    given = _given(units, passages, gives, terms)
    if given >= 1.0:
        return units, passages
    said = "".join(" ".join(u.get("text") or "" for u in units).split()).lower()
    best: Found | None = None
    for page in _pages(units, passages, retrieved):
        found = _on_page(page, chunks_of(page), gives, prose, terms, said)
        if found is not None and (best is None or found.score > best.score + 1e-9):
            best = found
    if best is None or best.score < given + OUTDONE:
        return units, passages
    # a value of something else would answer the ask twice, once wrongly: it gives way (a verdict stays — the
    # found line may be another ask's too, shown once there)
    out_units = [dict(u) for u in units if prose or (s := _line_score(u, passages, gives, terms)) is None
                 or s >= best.score - OUTDONE]
    out_passages = list(passages)
    n = cite_section(out_units, out_passages, best.page, best.path, best.chunks, "ask_line")
    return [{"text": best.text, "cites": [n], "block": "sentence", "group": 0}, *out_units], out_passages
