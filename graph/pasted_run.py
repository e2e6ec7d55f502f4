"""The pasted error line: the longest run of it a page quotes word for word says which page it is from.

A user pastes a message ("Error [IST0101] (VirtualService web.prod) Referenced gateway not found",
"ERROR 8242 (HY000): 'Alter Table' is unsupported on cache tables") inside a spoken story. The page
that documents that message quotes it; a general troubleshooting page shares only the product's
words and the code ("istioctl analyze", "IST0101"), and its title may name more of the question.
Word weights cannot tell the two apart; the length of the longest stretch of the pasted text found
verbatim in the passage can. `pasted_runs` cuts the question's Latin stretches (Chinese text ends a
stretch: the story around the paste is no part of it); `quoted_length` measures one passage.
`quoting_anchor` is the evidence anchor rule (graph/evidence.build_evidence).
Tested in tests/graph/test_pasted_run.py.
"""

from __future__ import annotations

import re
from typing import Any, Mapping, Sequence

from graph.relevance import with_context

WORD = re.compile(r"[A-Za-z0-9_.\-/:]+")
"""A Latin token as messages write it: a dotted name, a path, a host:port stay one word (the
separators at its ends are stripped by `_words`; one character class: nothing to backtrack)."""
_EDGE = ".-/:"
_BREAK = re.compile(r"[\u3000-\u9fff\uff00-\uffef，。；：？！、“”‘’（）《》]+")
"""Chinese text or full-width punctuation: the end of a pasted stretch."""
MIN_RUN = 3
"""Words a quoted stretch must have to count: "kubectl get pods" is a command, not yet a message;
shorter stretches ("not found", "ERROR 1105") are shared by many pages."""
MIN_QUOTE = 4
"""Words a passage must quote to be the message's page: three are still a phrase many pages write
("403 RBAC: access denied" shown as a task's expected output)."""


def pasted_runs(question: str) -> list[list[str]]:
    """The question's Latin stretches of at least MIN_RUN words, lowercased."""
    runs = []
    for part in _BREAK.split(question or ""):
        words = _words(part)
        if len(words) >= MIN_RUN:
            runs.append(words)
    return runs


def _words(text: str) -> list[str]:
    return [w for w in (m.strip(_EDGE).lower() for m in WORD.findall(text or "")) if w]


def _normal(text: str) -> str:
    return " " + " ".join(_words(text)) + " "


def quoted_length(runs: Sequence[Sequence[str]], text: str) -> int:
    """Words in the longest stretch of one of `runs` that `text` holds word for word."""
    low = _normal(text)
    best = 0
    for words in runs:
        n = len(words)
        for i in range(n - best):
            for j in range(n, i + best, -1):  # longest first: the first hit from i is the longest
                if " " + " ".join(words[i:j]) + " " in low:
                    best = j - i
                    break
    return best


def quoting_anchor(candidates: Sequence[Mapping[str, Any]], question: str) -> Mapping[str, Any] | None:
    """The candidate quoting a longer stretch of the pasted message than every other one (at least
    MIN_QUOTE words); None when no paste, or when two quote as much (both document it: order decides)."""
    runs = pasted_runs(question)
    if not runs or len(candidates) < 2:
        return None
    lengths = [quoted_length(runs, with_context(p, via=False)) for p in candidates]
    top = max(lengths)
    if top < MIN_QUOTE or lengths.count(top) > 1:
        return None
    return candidates[lengths.index(top)]
