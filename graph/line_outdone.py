"""A one-line source gives way to the page treating the question's case in full.

An error-code table's row or a FAQ entry states a code's cause and fix in one line; the page that
treats the case holds what the user's own words add to the code: the context they report ("接 cdn
要给根域名加 cname"), the thing they tried ("我先删点数据腾空间"), the way they ask for it ("要怎么操作").
For a question naming a code (graph/identifier_anchor.py), the evidence is led by the units about the
code: a section the selection found (not a unit cut out for the code: that one is a line too) naming the
code and covering clearly more of the question (IDF-weighted terms, read with its title and headings:
the base's own statistics) than a one-line unit leads over it, the line staying below as support.

    pages_lead(evidence, found, terms)   # evidence (most relevant LAST) with outdone lines moved below

Used by the select node (graph/nodes/select.py); tested in tests/graph/test_line_outdone.py.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from graph.relevance import QuestionTerms, coverage, with_context

LINE_MARGIN = 1.2
"""How many times a one-line unit's coverage of the question a page section must reach to lead over it:
a fifth more of the question's weight, not one shared generic word."""


def is_line(passage: Mapping[str, Any]) -> bool:
    """A one-line source: a FAQ entry, or a row of a table file (a page's table row sits under its headings)."""
    kind = passage.get("kind")
    return kind == "faq" or (kind == "table" and not passage.get("heading_path"))


def _cover(terms: QuestionTerms, passage: Mapping[str, Any]) -> float:
    return coverage(terms, with_context(passage))


def pages_lead(evidence: Sequence[dict], found: Sequence[Mapping[str, Any]], terms: QuestionTerms) -> list[dict]:
    """The evidence (most relevant LAST) with each one-line unit that a section of `found` (the evidence
    before the code's units were added) covering at least LINE_MARGIN times as much of the question
    outdoes moved to the front (below the sections), in order."""
    pages = [p for p in evidence if not is_line(p) and any(p is f for f in found)]
    if terms.total <= 0 or not pages:
        return list(evidence)
    best = max(_cover(terms, p) for p in pages)
    below = [p for p in evidence if is_line(p) and LINE_MARGIN * _cover(terms, p) <= best]
    return [*below, *(p for p in evidence if all(p is not b for b in below))]
