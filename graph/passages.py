"""Passages in the checkpointed state are plain dicts; these convert and describe them."""

from __future__ import annotations

import re
from dataclasses import asdict
from typing import Any, Callable, Mapping, Sequence, cast

from graph.faq_sources import corroborating_line
from graph.hedge_words import evidence_says
from graph.prompts import replies
from graph.relevance import declared_names
from graph.schema import PassageData
from knowledge.nearest_page import NEAREST
from knowledge.types import Passage


def to_state(passage: Passage) -> PassageData:
    return cast(PassageData, asdict(passage))


def from_state(data: Mapping[str, Any]) -> Passage:
    return Passage(**data)


def faq_question(passage: Mapping[str, Any]) -> str:
    return str((passage.get("meta") or {}).get("question") or "")


def location(passage: Mapping[str, Any]) -> str:
    """"title > heading" for a document chunk, the title for a FAQ entry."""
    heads = [h for h in passage.get("heading_path") or [] if h and h != passage.get("title")]
    return " > ".join([passage.get("title") or passage.get("source", "")] + heads[-1:])


def hedge(cited: Sequence[Mapping[str, Any]], covered: Callable[[Mapping[str, Any]], float] | None = None,
          full: float = 0.9, lang: str | None = "zh", aliases: Mapping[str, list[str]] | None = None) -> str | None:
    """The lead-in of an answer whose cited passages the knowledge layer judged only a partial
    match (naming the question's words the base never uses), or None for a full match.

    `covered(passage)`: the share of the question's own terms the passage and its headings carry.
    The knowledge layer judges by keyword evidence, which spoken words ("咋整", "怎么看") dilute;
    a cited passage that carries `full` of the question's terms answers it, so the generic hedge
    would only make a right answer look unreliable. Words the base never uses are still named,
    unless a cited passage holds them in another form (graph/hedge_words.py: "events" for "event",
    the base's or the glossary's Chinese term; `aliases`: the base's stated pairs)."""
    matches = [(p.get("meta") or {}).get("match") for p in cited]
    if "partial" not in matches or "strong" in matches:
        return None
    unknown = list(dict.fromkeys(t for p in cited for t in (p.get("meta") or {}).get("unknown_terms") or []))
    unknown = [t for t in unknown if not any(evidence_says(t, _evidence_text(p), aliases) for p in cited)]
    if unknown:
        return replies(lang)["partial_match_terms"].strip().format(terms="、".join(f"“{t}”" for t in unknown))
    # a page kept only as the nearest one when nothing matched (knowledge.nearest_page) is hedged whatever it covers
    if covered is not None and any(covered(p) >= full for p in cited if not (p.get("meta") or {}).get(NEAREST)):
        return None
    return replies(lang)["partial_match"].strip()


def _evidence_text(passage: Mapping[str, Any]) -> str:
    """A cited passage's words: where it sits (title, headings), its text and its page's tags."""
    return f"{location(passage)} {' '.join(passage.get('heading_path') or [])} {passage.get('text') or ''} " \
           f"{declared_names(passage)}"


def missing_terms(passages: Sequence[Mapping[str, Any]]) -> list[str]:
    """The question's words the knowledge layer found nowhere in the base (select's `unknown_terms`)."""
    return list(dict.fromkeys(t for p in passages for t in (p.get("meta") or {}).get("unknown_terms") or []))


_MARKS = re.compile(r"\[\d+\]|\*\*|`")
_LEAD = re.compile(r"^\s*(?:\d+\.|[-*])\s+")


def focus_of(text: str, quoted: Sequence[str], near_start: int = 80) -> int:
    """Where in a passage's text the first line an answer quotes from it begins (0 when it is
    near the start or not found), so its excerpt shows the cited step, not the passage's opening.
    A page cited beside a FAQ entry words the fact its own way: its line stating the same values
    (graph/faq_sources.py) is where it is shown from."""
    plain = _MARKS.sub("", text)
    probes = [_LEAD.sub("", _MARKS.sub("", line.split("\n", 1)[0])).strip()[:14] for line in quoted]
    found = [at for at in (plain.find(p) for p in probes if len(p) >= 6) if at >= 0][:1]
    if not found:
        stated = next((s for s in (corroborating_line(_MARKS.sub("", line), plain) for line in quoted) if s), None)
        found = [at for at in [plain.find(_LEAD.sub("", stated)[:14])] if at >= 0] if stated else []
    if not found:
        return 0
    at = _offset_in(text, plain, found[0])
    line_start = text.rfind("\n", 0, at) + 1
    at = line_start if at - line_start < 40 else at
    return at if at > near_start else 0


def _offset_in(text: str, plain: str, at: int) -> int:
    """The offset in `text` of offset `at` in `plain` (text without marks)."""
    i = j = 0
    while j < at and i < len(text):
        mark = _MARKS.match(text, i)
        if mark:
            i = mark.end()
            continue
        i += 1
        j += 1
    return i
