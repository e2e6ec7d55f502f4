"""A short question naming only what the thread's page says stays on the thread.

    found = page_bound(found, question, thread, resolver, prior_pages)   # graph/nodes/rewrite.py

"都弄了 yum 还是装不上" after the NAT gateway's steps, "换大规格要关机不" after the OOM page: the message names a
thing of its own (yum, 规格) that the previous answer did not show, so the resolver reads it as a new topic, and
retrieval on its own words finds a page sharing one of them (a package manager's, an instance-type change's).
The page the conversation is on writes those things: they are its own, and the question is a follow-up on it
with the thread's subject. Only a short question (an elliptic ask, at most `FULL_QUESTION` characters besides spaces) with a
thing named, every one of which — and every term of the base's lexicon it holds — the previous answer's pages
write (its FAQ entries left out: a file of many subjects), is read so. Tested in tests/graph/test_page_bound.py.
"""

from __future__ import annotations

import re
from typing import Any, Sequence

from graph.answer_refs import Resolution
from graph.cues import FILLER, TRIM, tidy
from graph.prior_scan import names_uncovered
from graph.thread import Thread
from graph.thread_subjects import FULL_QUESTION, ThreadSubjects


def page_bound(found: Resolution, question: str, thread: Thread, resolver: ThreadSubjects,
               pages: Sequence[tuple[str, dict[str, Any]]]) -> Resolution:
    """`found`, or the question as a follow-up of the thread when it is a short new topic whose named things
    the thread's `pages` ((source, chunk) of the previous answer's pages) all write."""
    text = question.strip().strip(TRIM)
    if found.decision != "new_topic" or thread.empty or not pages or len(re.sub(r"\s+", "", text)) > FULL_QUESTION:
        return found
    named = resolver.entities(text)
    written = " ".join(str(c.get("text") or "") for _, c in pages).lower()
    if not named or any(n.lower() not in written for n in named) or names_uncovered(text, pages, resolver.vocab):
        return found
    return Resolution(tidy(f"{resolver.anchor(thread, text)} {FILLER.sub('', text) or text}"), "follow_up")
