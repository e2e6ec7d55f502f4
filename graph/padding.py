"""Padding: the page's whole causes list after an answer that already holds the asked thing.

A cause or symptom question about one condition ("%util 100% 是不是到顶了", "dd 测出来 iops 很低为啥")
is often answered by one line of a check's table or one FAQ item; the composer then appended the
page's whole causes list, most of whose items name nothing asked: the agent must find the fact in
a wall of text. After such an answer the list gives only its items naming something asked
(`asked_items`); none: it is left out. The page's fixes are not touched (what to do is what a
symptom report wants), nor a question asking what to do or how.

`holds_asked`: one of the answer's lines, outside a section restating the problem, covers HELD_SHARE of
what the question asks beyond its pages' topic (its own weighted terms, IDF in the base, less the words
of the pages' titles). Used by graph/extractive.py; tested in tests/graph/test_padding.py.
"""

from __future__ import annotations

import re
from typing import Any, Mapping, Sequence

from graph.doc_sections import is_causes_heading, is_solution_heading
from graph.doc_units import Unit
from graph.echo import SYMPTOM_ROLE
from graph.relevance import QuestionTerms, coverage, found, title_context

HELD_SHARE = 0.5
"""Share of what the question asks beyond its pages' topic one line of the answer must cover to hold it."""


def asked_beyond_topic(terms: QuestionTerms, passages: Sequence[Mapping[str, Any]],
                       picked: Sequence[tuple[int, Unit]]) -> QuestionTerms:
    """The question's own terms less those the answer's pages' titles name: "云盘" in a question on the
    page "云盘 IOPS 达不到标称值" says which page, not what is asked of it."""
    titles = " ".join(title_context(passages[n - 1]) for n in {n for n, _ in picked})
    return terms.own().without(titles.lower())


def holds_asked(passages: Sequence[Mapping[str, Any]], picked: Sequence[tuple[int, Unit]],
                terms: QuestionTerms) -> bool:
    """One of the answer's lines, outside a section restating the problem, covers HELD_SHARE of what is
    asked by itself: words of the question scattered over several lines do not say the asked thing."""
    asked = asked_beyond_topic(terms, passages, picked)
    return asked.total > 0 and any(
        coverage(asked, u.text.lower()) >= HELD_SHARE for n, u in picked
        if not any(SYMPTOM_ROLE.search(h) for h in passages[n - 1].get("heading_path") or []))


def is_causes_list(passage: Mapping[str, Any]) -> bool:
    """The page's causes section (evidence added as such, or under a causes heading)."""
    meta = passage.get("meta") or {}
    return meta.get("added") == "causes" or any(is_causes_heading(h) for h in passage.get("heading_path") or [])


def _names(term: str, low: str) -> bool:
    """The text names the term; a number only as a whole number ("100" is not in "100,000")."""
    if term.isdigit():
        return re.search(rf"(?<![\d,.]){term}(?![\d,.])", low) is not None
    return found(term, low)


def asked_items(units: Sequence[Unit], asked: QuestionTerms) -> list[Unit]:
    """The units naming one of the asked terms, a list item with its nested items (a nested item goes
    with its parent's decision)."""
    kept, parent_kept = [], False
    for u in units:
        if u.kind == "item" and u.depth:
            if parent_kept:
                kept.append(u)
            continue
        named = any(_names(t, u.text.lower()) for t in asked.weights)
        parent_kept = u.kind == "item" and named
        if named:
            kept.append(u)
    return kept


def pads(passages: Sequence[Mapping[str, Any]], picked: Sequence[tuple[int, Unit]], passage: Mapping[str, Any],
         units: Sequence[Unit], terms: QuestionTerms) -> bool:
    """A section retrieval matched by its words alone (the page's structure added nothing: no procedure,
    checks or causes asked for) and not the page's fix, that names nothing asked the answer lacks."""
    if (passage.get("meta") or {}).get("added") or any(is_solution_heading(h) for h in passage.get("heading_path") or []):
        return False
    asked = asked_beyond_topic(terms, passages, picked)
    said = " ".join(u.text for _, u in picked).lower()
    part = " ".join(u.text for u in units).lower()
    return bool(units) and not any(_names(t, part) and not _names(t, said) for t in asked.weights)
