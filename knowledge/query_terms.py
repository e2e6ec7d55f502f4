"""Query term weights from the knowledge base's own statistics, and typo repair against its vocabulary.

Colloquial questions are long: "领导担心 ztunnel 一挂就把整个集群网络带崩，这个风险到底大不大".
Plain BM25 gives filler words that happen to be rare in the documentation ("领导",
"担心") as much say as "ztunnel". A word's weight here is a logistic function of how
much more often it occurs in this base than in general Chinese (jieba's dictionary
frequencies): documentation terms keep weight ~1, conversational filler drops towards 0.
No list of filler words, nothing tuned per corpus: the base's own counts decide.

Typo repair: an ASCII token the base has never seen ("sidcar", "DestinationRlue") gets
the base's most frequent vocabulary word at edit distance 1
added to the query. Tests: tests/knowledge/test_ranking.py.
"""

from __future__ import annotations

import math
import re
from typing import Callable, Protocol

from knowledge.text import background_frequency

CENTER = 1.0
"""log-ratio (base share / general share) at which a word gets weight 0.5."""
SCALE = 1.5
"""Steepness of the logistic: weight 0.34 at log-ratio 0, 0.79 at 3."""
MIN_TYPO_LENGTH = 4
MIN_TYPO_DF = 2
_ASCII_WORD = re.compile(r"^[a-z]+$")  # codes with digits (ist0103, v6) are never "corrected"


class TermStats(Protocol):
    """What the weights need from the chunk index (knowledge.bm25.BM25Index)."""

    def cf(self, term: str) -> int: ...
    def df(self, term: str) -> int: ...
    @property
    def total_tokens(self) -> int: ...


Background = Callable[[str], tuple[int, int]]
"""word -> (count, total) in a general-language word list (jieba's dictionary by default)."""


def specificity(stats: TermStats, term: str, background: Background = background_frequency) -> float:
    """log(share of the base's tokens / share of general Chinese), both smoothed."""
    count, total = background(term)
    base = (stats.cf(term) + 0.5) / max(stats.total_tokens, 1)
    general = (count + 1) / max(total, 1)
    return math.log(base / general)


def term_weight(stats: TermStats, term: str, background: Background = background_frequency) -> float:
    if term.isdigit():  # bare numbers ("1", "58") are line numbers and counts far more often than keys
        return 0.3
    return 1.0 / (1.0 + math.exp(-(specificity(stats, term, background) - CENTER) / SCALE))


class QueryTerms:
    """Weighted query terms for one base's chunk index."""

    def __init__(self, stats: TermStats, background: Background = background_frequency) -> None:
        self.stats = stats
        self.background = background

    def weights(self, tokens: list[str], weighting: bool = True) -> dict[str, float]:
        """token -> weight (1.0 each without `weighting`), plus repaired typos at their token's weight."""
        out: dict[str, float] = {}
        for token in dict.fromkeys(tokens):
            out[token] = term_weight(self.stats, token, self.background) if weighting else 1.0
            if self.stats.df(token) == 0:
                fixed = self.correct(token)
                if fixed and fixed not in out:
                    out[fixed] = out[token]
        return out

    def correct(self, token: str) -> str | None:
        """The base's most frequent word at edit distance 1 from an unknown ASCII token, if any."""
        if len(token) < MIN_TYPO_LENGTH or not _ASCII_WORD.match(token):
            return None
        best = max(((self.stats.df(c), c) for c in _edits(token)), default=(0, ""))
        return best[1] if best[0] >= MIN_TYPO_DF else None


def _edits(word: str) -> set[str]:
    """Every ASCII word one deletion, transposition, substitution or insertion away."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out = {a + b[1:] for a, b in splits if b}
    out |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    out |= {a + c + b[1:] for a, b in splits if b for c in letters}
    out |= {a + c + b for a, b in splits for c in letters}
    out.discard(word)
    return out
