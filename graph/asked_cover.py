"""The part of the question the answer leaves out, from another unit of the page it cites.

A question often asks two things of one page ("目录刷新一天几个？配额用光了啥时候恢复"), a detail
its own situation decides ("我那块是 xfs"), a value with its condition, or another part of the page a
follow-up names ("那 html 页面默认缓存多久"). The composed answer quotes the unit that matches the
page's topic best and stops: the asked words sit in another unit of the same page (the next item of
a list, another row of the table, another section). Here the words of the question as
written that neither the cited page's product and title nor any answer sentence covers (what is asked
beyond the page's subject and beyond what was said), and that the page holds, are looked up among the
units of the page the answer cites first (of a page whose title or cited heading names the question);
the unit naming most of them, on topic by itself with its heading, joins the answer after it (with its
lead-in and command, `unit_fit.attach`) and cites its section. What is left must weigh `MIN_SHARE` of
the question and the unit must name `MIN_LEFT` of it: a stray word left over asks nothing. Symptom
sections, bare phrases and units restating the question (`echoes`) are not the asked part; an answer line
restating the reported symptom (`reported`) covers none of the question's words. The words left are
weighed by how few of the page's answering units name them (`by_rarity`): the pasted status or setting
singles out its unit ("Connection closed" -> that row of the causes table), a port number every
step names does not. The reply
keeps to its room; a unit that does not fit is left out, never cut. Used by graph/nodes/answer.py; tested in
tests/graph/test_asked_cover.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.aspect_lines import ChunksOf, TermsOf, cite_section, first_cited_page
from graph.doc_sections import MAX_SECTION_CHUNKS, SKIP_HEAD
from graph.doc_units import Unit, merge_texts, parse_units, sections_in_order, space_taken
from graph.echo import plays_symptom_role, restates, symptom_part
from graph.relevance import ON_TOPIC_MIN, QuestionTerms, coverage, found, title_context
from graph.sample_output import samples
from graph.section_answer import SYMPTOM_SECTION
from graph.unit_fit import attach, fit, usable

MIN_LEFT = 0.5
"""Weighted share of the question's uncovered words a unit must name to be the part asked."""
MIN_SHARE = 0.2
"""Weighted share of the question its uncovered words must hold: a stray word left over asks nothing."""
MAX_ADDED = 360
"""Characters the added unit (with its lead-in and command) may take."""
_BARE = re.compile(r"[^。！？!?；;：:，,]{1,24}")
"""A bare phrase (a sub-heading set as a line: "与 SSH、远程桌面的区别") says nothing by itself."""

def _norm(text: str) -> str:
    return "".join((text or "").split()).lower()


def left_out(terms: QuestionTerms, title: str, answer: str) -> QuestionTerms:
    """The question's terms neither the page title nor the answer names: what it asks beyond both."""
    low = answer.lower()
    rest = terms.own().without(title)
    return QuestionTerms({t: w for t, w in rest.weights.items() if not found(t, low)}, set(), rest.entities,
                         rest.aliases)


_WORDS = re.compile(r"[a-z0-9_.]+|[\u4e00-\u9fff]{2}")
ECHO = 0.6
"""Share of a unit's words the question holds from which the unit restates it (a pasted error, a symptom)."""
ECHO_OPENING = 20
"""Characters (spaces out) a unit's opening shares with the question from which it quotes the question's paste."""


def echoes(text: str, question: str) -> bool:
    """The unit mostly repeats the question's own words: it says what was reported, not the asked part."""
    words = _WORDS.findall(text.lower())
    low = question.lower()
    opening = _norm(text).strip("`*")[:ECHO_OPENING]
    if len(opening) >= ECHO_OPENING and opening in _norm(question):
        return True  # it opens with what the question pastes ("ERROR 8141 (HY000): assertion failed…")
    return bool(words) and sum(w in low for w in words) >= ECHO * len(words)


SINGLES_OUT = 2
"""Units of a page a word may be named in and still single one out at full weight (a pasted status, a
setting); a word named in more weighs SINGLES_OUT / that many: "22" on the SSH page points to no unit."""


def by_rarity(left: QuestionTerms, texts: list[str]) -> QuestionTerms:
    """`left` weighted by how few of the page's answering units (`texts`, lowercased) name each word:
    the distinguishing detail of the question (its pasted error, the status it names) weighs most; a
    word none of them names (only the symptom lines restating the question do) points to no unit."""
    weights = {}
    for t, w in left.weights.items():
        naming = sum(found(t, x) for x in texts)
        if naming:
            weights[t] = w * min(1.0, SINGLES_OUT / naming)
    return QuestionTerms(weights, set(), left.entities, left.aliases)


def page_unit_texts(doc_chunks: list[dict]) -> list[str]:
    """The lowercased texts of the units of a page that may answer: those of its symptom sections
    ("现象"), which restate what a user reports, and its link lists are not."""
    out: list[str] = []
    for path, chunks in sections_in_order(doc_chunks):
        if SKIP_HEAD.search(" ".join(path)) or plays_symptom_role(path):
            continue
        units = parse_units(merge_texts([c["text"] for c in chunks[:MAX_SECTION_CHUNKS]]), chunks[0].get("kind") or "doc")
        out.extend(u.text.lower() for u in units if u.kind != "heading")
    return out


@dataclass
class Cover:
    """The page's unit naming the words the answer left out: its section and the units to show."""

    path: list[str]
    chunks: list[dict]
    units: list[Unit]
    score: float


def covering_unit(terms: QuestionTerms, left: QuestionTerms, doc_chunks: list[dict], answer: str,
                  question: str = "") -> Cover | None:
    """The unit of the page naming most of `left` (read with its heading), on topic by itself with its
    heading, not in the `answer` (normalised) yet; None when none names MIN_LEFT of it."""
    best: Cover | None = None
    for path, chunks in sections_in_order(doc_chunks):
        heads = " ".join(path)
        if SKIP_HEAD.search(heads) or (path and SYMPTOM_SECTION.match(path[-1])):
            continue  # a symptom section restates the question; it answers nothing
        units = parse_units(merge_texts([c["text"] for c in chunks[:MAX_SECTION_CHUNKS]]), chunks[0].get("kind") or "doc")
        printed = samples(units)
        restated = symptom_part(units, question)  # a "**现象：**" part restating the question (graph/echo.py)
        for i, u in enumerate(units):
            if i in printed or u.kind in ("code", "heading", "leadin") or not usable(u) or _BARE.fullmatch(u.text.strip()):
                continue
            if i in restated or (plays_symptom_role(path) and restates(u.text, question)):
                continue
            named = coverage(left, u.text) + 0.25 * coverage(left, heads)
            if coverage(left, u.text) < MIN_LEFT or coverage(terms, f"{heads} {u.text}") < ON_TOPIC_MIN:
                continue  # on topic by itself and its heading: the page title vouches for every line of the page
            if _norm(u.text)[:40] in answer or echoes(u.text, question):
                continue  # already said, or the question's own error line restated
            shown = fit(attach(units, {i}), MAX_ADDED)
            if u not in shown:
                continue
            score = named + 0.1 * coverage(terms, u.text)
            if best is None or score > best.score + 1e-9:
                best = Cover(list(path), chunks, shown, score)
    return best


def reported(units: list[dict], passages: list[dict], question: str) -> set[int]:
    """The answer units that only restate the problem reported: lines of a symptom section ("现象") the
    question restates (`echo.restates`). They name the question's words without answering any of them."""
    out: set[int] = set()
    for i, u in enumerate(units):
        cited = [passages[n - 1] for n in u.get("cites") or [] if 0 < n <= len(passages)]
        if cited and all(plays_symptom_role(p.get("heading_path") or []) for p in cited) \
                and restates(u.get("text") or "", question):
            out.add(i)
    return out


def with_asked_part(question: str, units: list[dict], passages: list[dict], terms_of: TermsOf, chunks_of: ChunksOf,
                    room: int, asked: str = "") -> tuple[list[dict], list[dict]]:
    """(units, passages) with the page's unit naming what the answer left out (module docstring); unchanged
    when nothing is left out, no unit names it, or it does not fit in `room` characters. `asked`: the
    question as the user wrote it, whose words are looked up (a follow-up's standalone form also carries
    the thread's words, which ask nothing new); `question` (standalone) judges what is on topic."""
    page = first_cited_page(units, passages)
    if page is None:
        return units, passages
    texts = [p.get("text") or "" for p in passages]
    terms = terms_of(question, texts).own()
    echoed = reported(units, passages, asked or question)  # a restated symptom covers nothing asked
    text = " ".join(u.get("text") or "" for i, u in enumerate(units) if i not in echoed)
    title = title_context(page) or str(page.get("title") or "")  # the page's product and title: its subject
    said = terms_of(asked, texts).own() if asked else terms
    left = left_out(said, title, text)
    if not said.total or left.total < MIN_SHARE * said.total or coverage(terms, f"{title} {' '.join(page.get('heading_path') or [])}") <= 0:
        # (a page whose title and cited heading name nothing asked is not the question's page: its lines would be stray)
        return units, passages
    doc = chunks_of(page)
    on_page = " ".join(c.get("text") or "" for c in doc).lower()
    left = QuestionTerms({t: w for t, w in left.weights.items() if found(t, on_page)})  # a word the page lacks is not its part
    if left.total < MIN_SHARE * said.total:
        return units, passages
    distinct = by_rarity(left, page_unit_texts(doc))
    if sum(w for t, w in left.weights.items() if t in distinct.weights) < MIN_SHARE * said.total:
        return units, passages  # what is left is named by no answering unit: words only the symptoms say
    cover = covering_unit(terms, distinct, doc, _norm(text), question)
    used = sum(len(u.get("text") or "") + 4 for u in units)
    if cover is None or used + space_taken(cover.units) > room:
        return units, passages
    out_units, out_passages = [dict(u) for u in units], list(passages)
    n = cite_section(out_units, out_passages, page, cover.path, cover.chunks, "asked_part")
    group = max((u.get("group") or 0 for u in units), default=0) + 1
    for piece in cover.units:
        out_units.append({"text": piece.text, "cites": [n], "block": piece.kind, "group": group, "with_heading": True})
    return out_units, out_passages
