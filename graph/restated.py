"""Lines an overview restates from the page treating the case are cited from that page.

A troubleshooting map, an on-call handbook or an overview repeats, a line each, what the specific pages
say ("TiDB 集群问题导图 > DM 问题" restating "迁移任务中断并包含 invalid connection 错误"). Merged into
one list item, the digest's line shares as many of the question's words as the page's own sentences
and is quoted instead, cited from the overview. When both are in the evidence, the page whose title
and headings name more of the question (IDF-weighted: the base's own statistics) holds the case; the
other passage's lines standing nearly verbatim in that page's text (their runs of four characters,
spacing and markup aside: pages of one product share words and pairs of characters, not runs) are its
restatements and leave the evidence (the passage goes when nothing else is left).

    without_restated(evidence, terms, page_text)   # evidence (most relevant LAST), restatements removed

Used by the select node (graph/nodes/select.py); tested in tests/graph/test_restated.py.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping, Sequence

import re

from graph.relevance import QuestionTerms, context_of, coverage

RESTATED = 0.8
"""Share of a line's four-character runs found in the other page for the line to restate it (a quote,
reworded a little: "同步任务" for "迁移任务"). Sibling pages of one product reach about 0.6 on shared
commands and names."""
MIN_RUNS = 20
"""Runs a line needs to be judged: a short line ("6.1.4 同步任务中断") shares its few by chance."""
_MARKUP = re.compile(r"[\s`*#>|]+")
HEAD_MARGIN = 0.15
"""How much more of the question the page's title and headings must name than the restating passage's
do: the page treats the asked case, not one beside it."""


def _heads(terms: QuestionTerms, passage: Mapping[str, Any]) -> float:
    return coverage(terms, context_of(passage, via=False))


def runs(text: str) -> list[str]:
    """The text's runs of four characters, lowercased, without spacing and markup."""
    flat = _MARKUP.sub("", text.lower())
    return [flat[i:i + 4] for i in range(len(flat) - 3)]


def restates(line: str, page: set[str]) -> bool:
    """The line's runs stand nearly all (RESTATED) in the page's runs."""
    own = runs(line)
    return len(own) >= MIN_RUNS and sum(r in page for r in own) >= RESTATED * len(own)


def without_restated(evidence: Sequence[dict], terms: QuestionTerms,
                     page_text: Callable[[Mapping[str, Any]], str]) -> list[dict]:
    """The evidence (most relevant LAST) without the document lines that a page of another evidence
    passage, whose title and headings name clearly more of the question, holds (module docstring)."""
    docs = [p for p in evidence if p.get("kind") not in ("faq", "table") and p.get("source")]
    out: list[dict] = []
    read: dict[str, set[str]] = {}  # a holder page's runs, read once

    def page_runs(q: Mapping[str, Any]) -> set[str]:
        source = str(q.get("source"))
        if source not in read:
            read[source] = set(runs(page_text(q)))
        return read[source]

    for p in evidence:
        holders = [q for q in docs if q.get("source") != p.get("source")
                   and _heads(terms, q) >= _heads(terms, p) + HEAD_MARGIN] if p in docs else []
        if not holders:
            out.append(p)
            continue
        pages = [page_runs(q) for q in holders]
        lines = str(p.get("text") or "").split("\n")
        kept = [line for line in lines if not any(restates(line, words) for words in pages)]
        if len(kept) == len(lines):
            out.append(p)
        elif any(line.strip() for line in kept):
            out.append({**p, "text": "\n".join(kept), "meta": {**(p.get("meta") or {}), "restated": True}})
    return out
