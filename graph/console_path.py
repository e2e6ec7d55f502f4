"""The section giving the console path a "where" question asks for (issue 12).

"白名单在控制台哪加" after an ERROR 2003 answer selected the page's troubleshooting steps, while the
same page's fix section says where: "在实例详情页“数据安全性 → 白名单”中添加…也可以用命令行：" and
the command. For a question asking where (graph/question_type.asks_place), the select node looks through
the pages of the passages it chose, then those it retrieved, best first, for a chunk with a line giving a console path
("**A > B**", "“A → B”") that covers the question's own words (read with the page's title and the
chunk's heading); when the selected passages hold no such line covering as much, that chunk becomes the
best passage. The value answer then picks the path line and the command after it (graph/value_fact.py).
Tested in tests/graph/test_console_path.py.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Mapping, Sequence

from graph.chunk_passage import found_chunk
from graph.contrast import document_pages
from graph.doc_units import parse_units
from graph.question_type import asks_place
from graph.relevance import QuestionTerms, context_of, coverage, found
from graph.schema import PassageData

HEADING = 0.1
"""Added for the share of the question the chunk's heading covers: of two path lines covering as
much, the one in the section about it ("第一步：在控制台扩容") over one in a FAQ on a variant."""
MIN_COVER = 0.5
"""Share of the question's own words (the place words left out) a path line must cover, with its page's title."""

# the part before the arrow stops at the first arrow, a quote at the next quote: one scan per start
PATH = re.compile(r"\*\*[^*\n>→]+[>→][^*\n]+\*\*|[“\"][^“”\"\n>→]+[>→][^“”\"\n]+[”\"]")
"""A console path: bold "**A > B**" or quoted "“A → B”"."""
PLACE_WORDS = re.compile(r"控制台|页面|入口|菜单|哪")
"""A term asking for a place ("哪加", "控制台"), not naming what is to be found."""


def subject_terms(terms: QuestionTerms) -> QuestionTerms:
    """The question's own terms without the words asking for a place (控制台, 哪里): what is to be found."""
    own = terms.own()
    return QuestionTerms({t: w for t, w in own.weights.items() if not PLACE_WORDS.search(t)}, set(), own.entities,
                         own.aliases)


def path_cover(terms: QuestionTerms, chunk: Mapping[str, Any], context: str) -> float:
    """How much of the question the chunk's best console-path line covers, read with its page's context;
    0 for a line naming none of it itself (a path to another thing on the page asked about)."""
    units = parse_units(chunk.get("text") or "", chunk.get("kind") or "doc")
    heading = " ".join(chunk.get("heading_path") or [])
    best = max((coverage(terms, f"{context} {heading} {u.text}") for u in units
                if u.kind != "code" and PATH.search(u.text) and coverage(terms, f"{heading} {u.text}") > 0),
               default=0.0)
    return best + HEADING * coverage(terms, heading) if best else 0.0


def on_page(terms: QuestionTerms, chunks: Sequence[Mapping[str, Any]]) -> QuestionTerms:
    """The terms the page holds somewhere: a word it never writes ("RDS" for a page saying "MySQL")
    tells none of its lines apart, the selection has judged the page on it already."""
    text = " ".join(f"{c.get('indexed_text') or ''} {c.get('text') or ''}" for c in chunks).lower()
    return QuestionTerms({t: w for t, w in terms.weights.items() if found(t, text)}, set(), terms.entities, terms.aliases)


def path_passage(terms: QuestionTerms, chosen: Sequence[Mapping[str, Any]],
                 chunks_of: Callable[[str, str], list[dict]],
                 retrieved: Sequence[Mapping[str, Any]] = (), thread: QuestionTerms | None = None) -> PassageData | None:
    """The chunk of the chosen passages' pages, then the retrieved ones (best first), whose console-path
    line covers the question best, as a passage dict of its page, when it covers MIN_COVER (of what a
    chosen page holds of the question; of the whole question on a page only retrieved) and more than
    any chosen passage of that page does. `thread`: a follow-up's standalone terms, when `terms` are its own
    few words ("白名单在哪配"): only a page holding MIN_COVER of those is about the thread's thing (not the
    object store's Referer 白名单 after a database question)."""
    subject = subject_terms(terms)
    if subject.total <= 0:
        return None
    about = subject_terms(thread) if thread is not None else None
    best: tuple[float, PassageData] | None = None
    picked = {(p.get("kb") or "", p.get("source") or "") for p in chosen}
    for p, page, chunks in document_pages([*reversed(chosen), *retrieved], chunks_of):
        if about is not None and about.total > 0 and on_page(about, chunks).total < MIN_COVER * about.total:
            continue
        held = on_page(subject, chunks) if page in picked else subject
        have = max((path_cover(held, c, context_of(c)) for c in chosen if c.get("source") == page[1]), default=0.0)
        for chunk in chunks:
            cover = path_cover(held, chunk, context_of({**p, **chunk}))
            if cover >= MIN_COVER and cover > have + 1e-9 and (best is None or cover > best[0] + 1e-9):
                best = (cover, found_chunk(p, chunk, "console_path"))
    return None if best is None else best[1]
