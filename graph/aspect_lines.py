"""The composed answer plus the line each ask of the question still lacks, cited, in page order.

After the extractive answer is composed for the main ask, each ask found by graph/ask_aspect.py
(a command, log, place, prevention or first fix) whose line the answer does not show gets that
line from the answer's page: the page its first cited document passage comes from (else the
most relevant on-topic document passage). The line's section joins the evidence (least relevant,
first) unless it is there already, and the line cites it. The reply keeps within `MAX_REPLY`:
an asked line that does not fit is left out, never cut. An empty answer (nothing matched the
question's type) gets only lines naming the ask's own words. Used by graph/nodes/answer.py; tested in
tests/graph/test_ask_aspect.py.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping, Sequence

from graph.answer_draft import SIBLING_SHARE
from graph.ask_aspect import Line, asked_line, asks_of
from graph.doc_sections import MAX_SECTION_CHUNKS
from graph.doc_units import merge_texts
from graph.echo import echo_line
from graph.evidence import is_on_topic
from graph.relevance import QuestionTerms, coverage, with_context

MAX_REPLY = 1000
"""Characters the answer with its added lines may take (the how-to budget plus one asked line)."""

TermsOf = Callable[[str, list[str]], QuestionTerms]
"""(ask text, evidence texts) -> the ask's weighted terms."""
ChunksOf = Callable[[Mapping[str, Any]], list[dict]]
"""(passage) -> its document's chunks in order."""


def _norm(text: str) -> str:
    return "".join(text.split()).strip("`").lower()


def _page(units: Sequence[Mapping[str, Any]], passages: Sequence[Mapping[str, Any]],
          terms: QuestionTerms, found: Sequence[Mapping[str, Any]] = ()) -> Mapping[str, Any] | None:
    """The document passage the answer's first citation points to, else the on-topic one covering most of
    the question (of the evidence, else of what retrieval `found`)."""
    cited = first_cited_page(units, passages)
    if cited is not None:
        return cited
    docs = [p for p in [*passages, *found] if p.get("kind") != "faq" and p.get("source") and is_on_topic(terms, p)]
    return max(docs, key=lambda p: coverage(terms, with_context(p)), default=None)


def first_cited_page(units: Sequence[Mapping[str, Any]],
                     passages: Sequence[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """The document passage the answer's first citation points to (None: it cites only FAQ entries or none)."""
    for u in units:
        for n in u.get("cites") or []:
            p = passages[n - 1] if 0 < n <= len(passages) else None
            if p is not None and p.get("kind") != "faq" and p.get("source"):
                return p
    return None


def _cited_path(units: Sequence[Mapping[str, Any]], passages: Sequence[Mapping[str, Any]],
                page: Mapping[str, Any]) -> list[str]:
    """The heading path of the answer's first cited section of the page ([] when it cites none)."""
    for u in units:
        for n in u.get("cites") or []:
            p = passages[n - 1] if 0 < n <= len(passages) else None
            if p is not None and p.get("source") == page.get("source") and p.get("kind") != "faq":
                return list(p.get("heading_path") or [])
    return []


def _shown(line: Line, answer: str) -> bool:
    """The answer already carries the line's command or sentence."""
    core = _norm(line.units[-1].text.split("\n", 1)[1] if line.units[-1].kind == "code" else line.units[-1].text)
    return bool(core) and core.rstrip("`") in answer


def with_asked_lines(question: str, units: list[dict], passages: list[dict], terms_of: TermsOf,
                     chunks_of: ChunksOf, siblings: int = 1, about: str = "",
                     found: Sequence[Mapping[str, Any]] = (), reserve: int = 0) -> tuple[list[dict], list[dict]]:
    """(units, passages) with each ask's missing line added (module docstring); unchanged when none is.
    `siblings`: the questions of the message, whose answers share one reply (and its room); `about`:
    the message's questions together, which choose the page when the answer cites none, among the
    evidence and then what retrieval `found` for the question; `reserve`: what the reply adds after the
    answer (the runbook offer), taken from the room."""
    asks = asks_of(question)
    if not asks or not (passages or found):
        return units, passages
    texts = [p.get("text") or "" for p in passages]
    page = _page(units, passages, terms_of(about or question, texts), found if not units else ())
    if page is None:
        return units, passages
    doc = chunks_of(page)
    used = reserve + sum(len(u.get("text") or "") + 4 for u in units)
    added: list[Line] = []
    for ask in asks:
        line = asked_line(ask, terms_of(ask.text, texts), terms_of(ask.clause, texts), page.get("title") or "", doc,
                          named_only=not units, near=_cited_path(units, passages, page))
        answer = _norm(" ".join(u.get("text") or "" for u in units)) + " " + \
            " ".join(_norm(x.text) for a in added for x in a.units)
        if line is None or _shown(line, answer) or any(a.order == line.order for a in added) \
                or (line.fallback and "```" in answer) or echo_line(line.path, line.units, question):
            continue
        size = sum(len(u.text) + 4 for u in line.units)
        if used + size > (MAX_REPLY * SIBLING_SHARE if siblings > 1 else MAX_REPLY):
            continue
        added.append(line)
        used += size
    if not added:
        return units, passages
    out_units, out_passages = [dict(u) for u in units], list(passages)
    group = max((u.get("group") or 0 for u in units), default=0)
    for line in sorted(added, key=lambda a: a.order):
        group += 1  # a lead-in and its command stand or fall together
        n = cite_section(out_units, out_passages, page, line.path, line.chunks, "aspect")
        for piece in line.units:
            out_units.append({"text": piece.text, "cites": [n], "block": piece.kind, "group": group,
                              "with_heading": True})
    return out_units, out_passages


def cite_section(units: list[dict], passages: list[dict], page: Mapping[str, Any], path: list[str],
                 chunks: Sequence[Mapping[str, Any]], added: str) -> int:
    """The citation number of `page`'s section at `path` among `passages`: the passage already there,
    or the section (its chunks merged) inserted first, least relevant, so the anchor stays last; the
    units' citations shift with it. Both lists are changed in place. `added` marks why in its meta."""
    n = next((i + 1 for i, p in enumerate(passages) if p.get("source") == page.get("source")
              and list(p.get("heading_path") or []) == path and p.get("kind") != "faq"), None)
    if n is not None:
        return n
    section = {**page, "chunk_id": chunks[0]["chunk_id"], "heading_path": path,
               "text": merge_texts([c["text"] for c in chunks[:MAX_SECTION_CHUNKS]]),
               "meta": {**(page.get("meta") or {}), "chunks": [c["chunk_id"] for c in chunks], "added": added}}
    passages.insert(0, section)
    for u in units:
        u["cites"] = [c + 1 for c in u.get("cites") or []]
    return 1
