"""A short new question naming only what the thread's page writes is asked of that page.

    follow_up = decision == "follow_up" or page_bound(question, resolver, pages)   # graph/nodes/select.py

"都弄了 yum 还是装不上" after the NAT gateway's steps, "换大规格要关机不" after the OOM page: the message names a
thing of its own (yum, 规格) that the previous answer did not show, so the resolver reads it as a new topic (and
its standalone question stays as the user wrote it), and retrieval on its own words finds a page sharing one of
them (an instance-type change's, or none). The page the conversation is on writes those things: its line giving
the asked kind answers it as it answers a follow-up (graph/prior_scan.prior_page_first), before another page's.
Only a short question (an elliptic ask, at most `FULL_QUESTION` characters besides spaces) naming a thing, every
one of which — and every term of the base's lexicon it holds — the previous answer's pages write (FAQ entries left
out: a file of many subjects), is read so. Tested in tests/graph/test_thread_asks.py.
"""

from __future__ import annotations

import re
from typing import Any, Protocol, Sequence

from graph.cues import TRIM
from graph.prior_scan import names_uncovered
from graph.thread_subjects import FULL_QUESTION


class Names(Protocol):
    """What page_bound reads of the resolver (graph/thread_subjects.ThreadSubjects): the things a message names."""

    vocab: Any

    def entities(self, text: str) -> list[str]: ...


def page_bound(question: str, resolver: Names, pages: Sequence[tuple[str, dict[str, Any]]]) -> bool:
    """Is the question short, naming things that the thread's `pages` ((source, chunk) of the previous answer's
    pages) all write?"""
    text = question.strip().strip(TRIM)
    if not pages or len(re.sub(r"\s+", "", text)) > FULL_QUESTION:
        return False
    named = resolver.entities(text)
    written = " ".join(str(c.get("text") or "") for _, c in pages).lower()
    return bool(named) and all(n.lower() in written for n in named) and not names_uncovered(text, pages, resolver.vocab)
