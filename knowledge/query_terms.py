"""Query term weights from the knowledge base's own statistics, and typo repair against its vocabulary.

Colloquial questions are long: "领导担心 ztunnel 一挂就把整个集群网络带崩，这个风险到底大不大".
Plain BM25 gives filler words that happen to be rare in the documentation ("领导",
"担心") as much say as "ztunnel". A word's weight here is a logistic function of how
much more often it occurs in this base than in general Chinese (jieba's dictionary
frequencies): documentation terms keep weight ~1, conversational filler drops towards 0.
No list of filler words, nothing tuned per corpus: the base's own counts decide.

Typo repair: an ASCII token the base has never seen ("sidcar", "DestinationRlue") gets
the base's most frequent vocabulary word at edit distance 1 (symmetric-delete lookup)
added to the query. Tests: tests/knowledge/test_ranking.py.
"""

from __future__ import annotations

import math
import re
from typing import Protocol

from knowledge.text import background_frequency

CENTER = 1.0
"""log-ratio (base share / general share) at which a word gets weight 0.5."""
SCALE = 1.5
"""Steepness of the logistic: weight 0.34 at log-ratio 0, 0.79 at 3."""
MIN_TYPO_LENGTH = 4
_ASCII_WORD = re.compile(r"^[a-z][a-z0-9]*$")


class TermStats(Protocol):
    """What the weights need from the chunk index (knowledge.bm25.BM25Index)."""

    def cf(self, term: str) -> int: ...
    def df(self, term: str) -> int: ...
    def terms(self): ...
    @property
    def total_tokens(self) -> int: ...


def specificity(stats: TermStats, term: str) -> float:
    """log(share of the base's tokens / share of general Chinese), both smoothed."""
    count, total = background_frequency(term)
    base = (stats.cf(term) + 0.5) / max(stats.total_tokens, 1)
    general = (count + 1) / max(total, 1)
    return math.log(base / general)


def term_weight(stats: TermStats, term: str) -> float:
    if term.isdigit():  # bare numbers ("1", "58") are line numbers and counts far more often than keys
        return 0.3
    return 1.0 / (1.0 + math.exp(-(specificity(stats, term) - CENTER) / SCALE))


class QueryTerms:
    """Weighted query terms for one base's chunk index."""

    def __init__(self, stats: TermStats, weighting: bool = True) -> None:
        self.stats = stats
        self.weighting = weighting
        self._deletes: dict[str, str] | None = None

    def weights(self, tokens: list[str]) -> dict[str, float]:
        out: dict[str, float] = {}
        for token in dict.fromkeys(tokens):
            out[token] = term_weight(self.stats, token) if self.weighting else 1.0
            if self.stats.df(token) == 0:
                fixed = self.correct(token)
                if fixed and fixed not in out:
                    out[fixed] = out[token] if self.weighting else 1.0
        return out

    def correct(self, token: str) -> str | None:
        """The base's most frequent word at edit distance 1 from an unknown ASCII token, if any."""
        if len(token) < MIN_TYPO_LENGTH or not _ASCII_WORD.match(token):
            return None
        deletes = self._delete_map()
        for key in [token] + _deletions(token):
            if key in deletes and deletes[key] != token:
                return deletes[key]
        return None

    def _delete_map(self) -> dict[str, str]:
        """Each vocabulary word and its one-letter deletions -> the most frequent such word."""
        if self._deletes is None:
            best: dict[str, tuple[int, str]] = {}
            for term in self.stats.terms():
                if len(term) < MIN_TYPO_LENGTH or not _ASCII_WORD.match(term):
                    continue
                df = self.stats.df(term)
                if df < 2:
                    continue
                for key in [term] + _deletions(term):
                    if key not in best or best[key][0] < df:
                        best[key] = (df, term)
            self._deletes = {k: t for k, (_, t) in best.items()}
        return self._deletes


def _deletions(word: str) -> list[str]:
    return [word[:i] + word[i + 1:] for i in range(len(word))]
