"""Questions naming an exact identifier: the evidence is the units whose SUBJECT is that identifier.

A support question often quotes what the client returned: an error code ("RequestTimeTooSkewed",
"DNS.RecordConflict", "ERROR 1040", tidb "8027"), a state ("CrashLoopBackOff") or a checker's code
("IST0108"). The knowledge base states that identifier's cause and fix in a unit *about it*: the
FAQ entry asking it ("RequestTimeTooSkewed 怎么解决？"), the table row keyed by it, the list item or
heading opening with it ("如果是 RequestTimeTooSkewed", "Error Number: 8027", "### ImagePullBackOff"),
the tip saying what it means ("若错误码是 `RequestTimeTooSkewed`，…"). The question's other words
("403", "上传") draw the page's sections about its OTHER identifiers instead (the AccessDenied
causes), and a one-token code may not rank its own unit at all.

    asked_identifiers(question)          # the code-like tokens the question names
    anchor_passages(idents, lookup)      # units about them, found by searching each one alone
    anchored(question, evidence, lookup)  # evidence led by those units, without the sections
                                         # that are about other identifiers only
    # lookup = CodeLookup(search, section, occurs): what is read from the base, given by the caller

Used by the select node (graph/nodes/select.py); tested in tests/graph/test_identifier_anchor.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Sequence

from graph.doc_units import Unit, merge_texts, parse_units
from graph.passages import faq_question
from knowledge.identifiers import is_identifier

_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:]*[A-Za-z0-9]")
SUBJECT_SPAN = 24
"""Characters from a unit's start within which the identifier must stand for the unit to be about
it ("如果是 X", "Error Number: X", "提示：若错误码是 `X`"), not merely mention it in passing."""
SEARCH_K = 8
"""Passages searched for each identifier alone."""
MAX_ANCHORS = 3
"""Units about one identifier added to the evidence (an entry, a row, a step or tip)."""
MAX_CODE_CHUNKS = 30
"""Chunks of the base that may name a code: a code is explained in a few places (its FAQ entry, its
table row, its page and some mentions); a word naming more is a noun the base is written about
(a resource kind such as "VirtualService" names 150 chunks of the Istio docs), not a code."""
MAX_OTHERS = 1
"""Other identifiers a subject unit may name: a unit naming more is a list of codes, not about one."""


@dataclass(frozen=True)
class CodeLookup:
    """What anchoring reads from the knowledge base (the select node builds it for the turn's base)."""

    search: Callable[[str], Sequence[Mapping[str, Any]]]
    """The base's passages for one identifier searched alone (SEARCH_K of them, best first)."""
    section: Callable[[Mapping[str, Any]], list[str]]
    """The chunk texts of a passage's section, in order (a unit may run over a chunk's end)."""
    occurs: Callable[[str], int]
    """How many chunks of the base name a word (a code is named in few)."""


def identifiers_in(text: str) -> list[str]:
    """The identifiers a text names, in order, once each."""
    seen: list[str] = []
    for m in _TOKEN.finditer(text or ""):
        tok = m.group(0).strip(".:_")
        if is_identifier(tok, "asked") and tok not in seen:
            seen.append(tok)
    return seen


_ERROR_NUMBER = re.compile(r"(?:error|err|报错?|错误码?|code)(?:\s*number)?(?:\s*[:：])?\s*(\d{4,5})(?!\d)"
                           r"|(?<![\d.:/-])(\d{4,5})\s{0,2}(?:这个|这种)?(?:错误码|错误|报错|error\b)", re.I)
"""A number the question gives as an error code ("ERROR 1040", "报 8027", "遇到 8027 错误码"), not a port
("放行了 8080")."""


def asked_identifiers(question: str) -> list[str]:
    """The identifiers the user's own message names (a follow-up's rewrite carries the previous
    turn's code, which that turn already answered)."""
    named = identifiers_in(question)
    numbers = [m.group(1) or m.group(2) for m in _ERROR_NUMBER.finditer(question or "")]
    return [*named, *[n for n in numbers if n not in named]]


def _word(text: str, ident: str) -> re.Match | None:
    """Where the identifier stands in the text as a word of its own (None: nowhere)."""
    return re.search(rf"(?<![A-Za-z0-9_.]){re.escape(ident)}(?![A-Za-z0-9_])", text or "")


def _names(text: str, ident: str) -> bool:
    """The identifier stands in the text as a word of its own."""
    return _word(text, ident) is not None


def _opens_with(text: str, ident: str) -> bool:
    """The unit is about the identifier: it stands near the start and few other identifiers follow."""
    plain = re.sub(r"[*`>#]", "", text or "").strip()
    m = _word(plain, ident)
    if m is None or m.start() > SUBJECT_SPAN:
        return False
    return len([i for i in identifiers_in(plain) if i != ident]) <= MAX_OTHERS


def _body(units: list[Unit], at: int) -> list[Unit]:
    """The unit at `at` with what it heads: a heading's units up to the next heading, an item's
    nested or following prose up to the next item at its level, a sentence's paragraph."""
    head = units[at]
    out = [head]
    for u in units[at + 1:]:
        if u.kind == "heading" or u.kind == "row":
            break
        if head.kind == "item" and u.kind == "item" and u.depth <= head.depth:
            break
        if head.kind == "leadin" and u.kind in ("item", "code"):
            out.append(u)  # "针对最常见的 `AccessDenied`：" leads the list that follows
            continue
        if head.kind in ("sentence", "leadin") and (u.para != head.para or u.para < 0):
            break
        out.append(u)
    return out


def _unit_passage(passage: Mapping[str, Any], ident: str, section: Callable[[Mapping[str, Any]], list[str]]) -> dict | None:
    """The part of one searched passage's section whose subject is the identifier, as a passage;
    None if none. A chunk may end on the item naming the code, its body in the next chunk, so a
    document's unit is read from its whole section (`section`: the section's chunk texts)."""
    kind = passage.get("kind") or "doc"
    text = str(passage.get("text") or "")
    if kind == "faq":
        asked = faq_question(passage) or text.split("\n", 1)[0]
        return dict(passage) if _names(asked, ident) else None
    if kind == "table":
        lines = text.split("\n")
        header = lines[0] if "（表头：" in lines[0] else ""
        rows = [line for line in lines[1:] if line.strip() and _keyed(header, line, ident)]
        return {**passage, "text": "\n".join([header, *rows[:1]])} if header and rows else None
    whole = merge_texts(section(passage) or [text])
    heads = [str(h) for h in passage.get("heading_path") or []]
    if heads and _opens_with(heads[-1], ident):  # "### ImagePullBackOff": the section is about it
        return {**passage, "text": whole}
    units = parse_units(whole, kind)
    for i, u in enumerate(units):
        if u.kind in ("heading", "item", "sentence", "leadin") and _opens_with(u.text, ident):
            return {**passage, "text": "\n".join(b.text for b in _body(units, i))}
    return None


def _keyed(header: str, line: str, ident: str) -> bool:
    """A table row whose key (first cell) is the identifier."""
    rows = [u for u in parse_units(f"{header}\n{line}", "table") if u.kind == "row" and u.cells]
    return bool(rows) and next(iter(rows[0].cells.values())).strip().strip("`") == ident


def codes(question: str, occurs: Callable[[str], int]) -> list[str]:
    """The identifiers the user's message names that the base treats as codes: rare ones
    (`occurs`: chunks of the base naming the identifier). A number given as an error code
    ("ERROR 2013") is one whatever its count (years and sizes share its digits)."""
    return [i for i in asked_identifiers(question) if i.isdigit() or 0 < occurs(i) <= MAX_CODE_CHUNKS]


def anchor_passages(idents: list[str], lookup: CodeLookup) -> list[dict]:
    """The units about each identifier, found by searching it alone; FAQ entries last (most
    relevant last, as the knowledge layer orders passages)."""
    found: list[dict] = []
    for ident in idents:
        units: list[dict] = []
        for hit in lookup.search(ident):
            unit = _unit_passage(hit, ident, lookup.section)
            if unit is not None and all((u.get("source"), u["text"]) != (unit.get("source"), unit["text"]) for u in units):
                units.append(unit)
        units.sort(key=lambda p: p.get("kind") == "faq")
        found.extend(units[-MAX_ANCHORS:])
    return found


def anchored(question: str, evidence: list[dict], lookup: CodeLookup) -> list[dict]:
    """Evidence for a question naming codes (`lookup`: what is read from the base): unchanged
    when a selected page is titled by one ("ERROR 1040 Too many connections"); else led by the units
    about them. The question's own passages stating the code stay, the sections about the page's
    other codes go; a passage about the code alone, holding its unit (the FAQ page on "ERROR 2013"),
    stays whole, and another page's prose on the same error number then gives way. A page treating the
    code's case alone (it quotes the code and names no other) keeps its other evidence sections: its fix."""
    idents = codes(question, lookup.occurs)
    if not idents:
        return evidence

    def titled(p: Mapping[str, Any]) -> bool:
        heads = " ".join([str(p.get("title") or ""), *[str(h) for h in p.get("heading_path") or []]])
        return any(_names(heads, i) for i in idents)

    if any(titled(p) for p in evidence):  # a page about the code ("ERROR 1040 …") answers it whole
        return evidence
    anchors = anchor_passages(idents, lookup)
    if not anchors:
        return evidence

    def holds(p: Mapping[str, Any], a: Mapping[str, Any]) -> bool:
        return _squash(str(a.get("text") or "")) in _squash(str(p.get("text") or ""))

    naming = [p for p in evidence if any(_names(str(p.get("text") or ""), i) for i in idents)]
    whole = [p for p in naming if any(holds(p, a) for a in anchors) and _other_codes(str(p.get("text") or ""), idents, lookup.occurs) <= MAX_OTHERS]
    kept = [p for p in naming if p in whole or all(p.get("source") != a.get("source") for a in anchors)]
    kept = _with_case_sections(kept, evidence, [str(a.get("source") or "") for a in anchors], idents, lookup.occurs)
    fresh = [a for a in anchors if not any(holds(p, a) for p in whole)]
    if whole and all(i.isdigit() for i in idents):  # the question's page on an error number: another
        # page's prose on that number gives way (products number their errors apart: MySQL's "ERROR 2013"
        # in the Istio FAQ, TiDB's list of MySQL errors); the base's keyed entries and rows stay
        fresh = [a for a in fresh if a.get("kind") in ("faq", "table")]
    return [*kept, *fresh]


def _with_case_sections(kept: list[dict], evidence: list[dict], anchor_sources: list[str], idents: list[str],
                        occurs: Callable[[str], int]) -> list[dict]:
    """`kept` with the other evidence sections of a page treating the asked code's case alone: a kept page
    section quotes the code ("存储空间满导致只读 > 现象" shows ERROR 1290), the page is not one the code's units
    were cut from, and its sections name no other code (its fix and causes say what to do about this error,
    though they do not repeat it), in evidence order."""
    cases = {p.get("source") for p in kept if p.get("kind") not in ("faq", "table") and p.get("source") not in anchor_sources
             and _other_codes(str(p.get("text") or ""), idents, occurs) == 0}
    return [p for p in evidence if any(p is k for k in kept) or (
        p.get("source") in cases and p.get("kind") != "faq" and _other_codes(str(p.get("text") or ""), idents, occurs) == 0)]


def _other_codes(text: str, idents: list[str], occurs: Callable[[str], int]) -> int:
    """Codes a passage names besides the asked ones ("Error Number: 8001", rare identifiers)."""
    found = {m.group(1) for m in _ERROR_NUMBER.finditer(text)}
    found |= {i for i in identifiers_in(text) if 0 < occurs(i) <= MAX_CODE_CHUNKS}
    return len(found - set(idents))


def _squash(text: str) -> str:
    """Text without spaces and markup, to see one unit inside a passage whatever its wrapping."""
    return re.sub(r"[\s*`>#]", "", text)
