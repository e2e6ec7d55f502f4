"""One ask of a two-ask message asking a value the answer does not give: the found pages' line giving it.

"自定义镜像能导出到本地吗？做一个大概要多久", "控制台扩容云盘一般要等多久 包年包月的要补钱吗": each ask gets a
section of its own, and an ask wanting a time or a count of things ("多久", "几个") is answered from its page's
table row or first step, which name its words but state no such value — while a line of the same pages
does ("制作时间…一般 10-30 分钟", "扩容通常在 1 分钟内完成"). Here an ask whose answer gives none of the asked
kinds (graph/asked_kind.py: a duration, a count with its unit), or gives it only in a line about something
else (covering `OUTDONE` less of the ask), reads the pages it was answered from, then
the pages retrieved for it, unit by unit (a list item, a sentence, a table row); the unit whose sentence giving the kind covers most
of the ask's own words (`MIN_COVER` at least, the sentence read under its headings) leads the answer, citing its section. Kinds are question forms, not any base's words; the pages are
the ones already found for the message. Used by graph/nodes/answer.py for the asks of a message with more
than one; tested in tests/graph/test_ask_value_line.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from graph.asked_kind import Kind, answers, asked_kinds, without_asks
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
_SENTENCE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]?")


def value_kinds(asked: str) -> list[Kind]:
    """The kinds of the ask a line states as a number with its unit: a duration, a count (个/条/块…)."""
    return [k for k in asked_kinds(asked) if k.name == "duration" or k.name.startswith("count:")]


@dataclass
class Found:
    """The unit giving the asked value: its page passage, section and the text to show."""

    page: Mapping[str, Any]
    path: list[str]
    chunks: list[dict]
    text: str
    score: float


def _shown(text: str, sentence: str, kinds: list[Kind], whole: bool) -> str:
    """The unit whole when short and `whole`, else its `sentence` giving the kinds — up to the clause giving
    them, when the rest is not to be shown ("…1 分钟内完成，…后继续下一步" points to a step not shown)."""
    if whole and len(text) <= MAX_LINE:
        return text
    if whole:
        return sentence
    clauses = re.split(r"(?<=[，,])", sentence)
    upto = next((i for i in range(len(clauses)) if answers(kinds, "".join(clauses[:i + 1]))), len(clauses) - 1)
    return "".join(clauses[:upto + 1]).rstrip("，,。 ") + "。"


def _on_page(page: Mapping[str, Any], chunks: list[dict], kinds: list[Kind], terms: QuestionTerms,
             answer: str) -> Found | None:
    """The page's unit giving the kinds that covers most of the ask's words (with its heading)."""
    best: Found | None = None
    for path, section in sections_in_order(chunks):
        heads = " ".join(path)
        if SKIP_HEAD.search(heads) or plays_symptom_role(path):
            continue  # a link list or a symptom section states no value of the answer
        units = parse_units(merge_texts([c["text"] for c in section[:MAX_SECTION_CHUNKS]]), section[0].get("kind") or "doc")
        for u in units:
            if u.kind in ("code", "heading", "leadin") or QUESTION_LINE.match(u.text) or not answers(kinds, u.text):
                continue  # (a unit pointing elsewhere is shown as far as its clause giving the value)
            if "".join(u.text.split()).lower()[:30] in answer:
                continue  # already said
            for sentence in (x.strip() for x in _SENTENCE.findall(u.text) if answers(kinds, x)):
                # the sentence giving the value, read under its headings, names what the value is of
                score = coverage(terms, f"{heads} {u.heading} {sentence}")
                if score >= MIN_COVER and (best is None or score > best.score + 1e-9):
                    best = Found(page, list(path), section, _shown(u.text, sentence, kinds, usable(u)), score)
    return best


def _line_score(unit: Mapping[str, Any], passages: Sequence[Mapping[str, Any]], kinds: list[Kind],
                terms: QuestionTerms) -> float | None:
    """How much of the ask's words an answer line giving the asked kinds covers, read under its cited heading;
    None for a line giving none of them."""
    text = str(unit.get("text") or "")
    if not answers(kinds, text):
        return None
    heads = [" ".join(passages[n - 1].get("heading_path") or []) for n in unit.get("cites") or [] if 0 < n <= len(passages)]
    return coverage(terms, f"{' '.join(heads)} {text}")


def _given(units: Sequence[Mapping[str, Any]], passages: Sequence[Mapping[str, Any]], kinds: list[Kind],
           terms: QuestionTerms) -> float:
    """How much of the ask's words the answer's best line giving the asked kinds covers; 0 when none gives them."""
    return max([0.0, *(s for u in units if (s := _line_score(u, passages, kinds, terms)) is not None)])


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


def with_value_line(asked: str, units: list[dict], passages: list[dict], retrieved: Sequence[Mapping[str, Any]],
                    terms_of: TermsOf, chunks_of: ChunksOf) -> tuple[list[dict], list[dict]]:
    """(units, passages) with the found pages' line giving the value `asked` wants leading, when the answer
    gives none of it (module docstring); unchanged otherwise."""
    kinds = value_kinds(asked)
    if not kinds or not units:
        return units, passages
    terms = terms_of(_ESTIMATE.sub(" ", without_asks(asked, kinds)), [p.get("text") or "" for p in passages]).own()  # what it is of
    if not terms.total:
        return units, passages
    given = _given(units, passages, kinds, terms)
    if given >= 1.0:
        return units, passages
    said = "".join(" ".join(u.get("text") or "" for u in units).split()).lower()
    best: Found | None = None
    for page in _pages(units, passages, retrieved):
        found = _on_page(page, chunks_of(page), kinds, terms, said)
        if found is not None and (best is None or found.score > best.score + 1e-9):
            best = found
    if best is None or best.score < given + OUTDONE:
        return units, passages
    # a line giving the kind for something else would answer the ask twice, once wrongly: it gives way
    out_units = [dict(u) for u in units if _line_score(u, passages, kinds, terms) is None
                 or _line_score(u, passages, kinds, terms) >= best.score - OUTDONE]  # type: ignore[operator]
    out_passages = list(passages)
    n = cite_section(out_units, out_passages, best.page, best.path, best.chunks, "value_line")
    return [{"text": best.text, "cites": [n], "block": "sentence", "group": 0}, *out_units], out_passages
