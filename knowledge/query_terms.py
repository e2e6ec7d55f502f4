"""Query term weights from the knowledge base's own statistics, and typo repair against its vocabulary.

Colloquial questions are long: "领导担心 ztunnel 一挂就把整个集群网络带崩，这个风险到底大不大".
Plain BM25 gives filler words that happen to be rare in the documentation ("领导",
"担心") as much say as "ztunnel". A word's weight here is a logistic function of how
much more often it occurs in this base than in general Chinese (jieba's dictionary
frequencies): documentation terms keep weight ~1, conversational filler drops towards 0.
No list of filler words, nothing tuned per corpus: the base's own counts decide.

Typo repair: an ASCII token the base has never seen ("sidcar", "DestinationRlue") gets
the base's most frequent vocabulary word at edit distance 1 (two letters swapped count as
one edit, neighbours or not), or the base's name it spells without dots or dashes
("vertx" -> "vert.x"), added to the query. Tests: tests/knowledge/test_ranking.py.

Word forms (`WordForms`): jieba cuts the question's "忘了" into "忘" while the page has
"忘记", and the spoken "改过" is rare where the page writes "修改过" (cut 修改 / 过).
A single-character word, or a Chinese word the base hardly uses, stands for the base's
words that contain it; an unknown code stands for the indexed codes it begins ("100.64" ->
"100.64.0.0"). Selection counts those as the question's word (knowledge.select).
Tests: tests/knowledge/test_word_forms.py.
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
_CJK_WORD = re.compile(r"^[\u4e00-\u9fff]+$")
_NAME = re.compile(r"^[a-z][a-z0-9._-]*[a-z0-9]$")  # with a separator inside: vert.x, kube-proxy, cert_manager
_SEPARATORS = re.compile(r"[._-]")
CODE_HEAD = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
"""A Latin token the base may hold only as the head of longer names ("ist01" -> ist0101): its forms are the words
continuing it after a separator (WordForms, and knowledge/pg/serving.py's SQL lookup of the same)."""
RARE_DF = 3
"""A Chinese word in fewer chunks than this is a spoken or rare form: the base's words containing it count."""
MAX_FORMS = 48


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


def is_letter_piece(term: str) -> bool:
    """A lone Latin letter: what is left of a flag ("-c", "-n") or a possessive ("pod's"), not a word.

    General Chinese never writes one, so ranking weighed it as a documentation word of full weight:
    for "kubectl logs 不带 -c 就得猜是哪个容器" the kubectl reference pages, `-c` in section after section,
    ranked above the page answering it (docs/benchmarks.md, rank21). Selection's word evidence is
    unchanged (its own rules judge what a passage holds)."""
    return len(term) == 1 and term.isascii() and term.isalpha()


class QueryTerms:
    """Weighted query terms for one base's chunk index."""

    def __init__(self, stats: TermStats, background: Background = background_frequency,
                 vocabulary: list[str] | None = None) -> None:
        """`vocabulary`: the base's indexed words, for names written without their dots or dashes."""
        self.stats = stats
        self.background = background
        self._vocabulary = vocabulary
        self._squashed: dict[str, str] | None = None

    def weights(self, tokens: list[str], weighting: bool = True) -> dict[str, float]:
        """token -> weight (1.0 each without `weighting`), plus repaired typos at their token's weight;
        lone letters (is_letter_piece) are no query terms."""
        out: dict[str, float] = {}
        for token in dict.fromkeys(tokens):
            if is_letter_piece(token):
                continue
            out[token] = term_weight(self.stats, token, self.background) if weighting else 1.0
            if self.stats.df(token) == 0:
                fixed = self.correct(token)
                if fixed and fixed not in out:
                    out[fixed] = out[token]
        return out

    def documentation(self, token: str) -> bool:
        """The base uses the word markedly more than general Chinese does (weight at least 0.5)."""
        return self.stats.df(token) > 0 and term_weight(self.stats, token, self.background) >= 0.5

    def correct(self, token: str) -> str | None:
        """For an unknown ASCII token: the base's word that is the same name with its dots or dashes
        ("vertx" -> "vert.x", "kubeproxy" -> "kube-proxy"), else its most frequent word one edit away
        (a letter dropped, added, changed, or two letters swapped)."""
        if len(token) < MIN_TYPO_LENGTH or not _ASCII_WORD.match(token):
            return None
        joined = self._joined(token)
        if joined:
            return joined
        best = max(((self.stats.df(c), c) for c in _edits(token)), default=(0, ""))
        return best[1] if best[0] >= MIN_TYPO_DF else None

    def _joined(self, token: str) -> str | None:
        if self._vocabulary is None:
            return None
        if self._squashed is None:  # one pass over the vocabulary, on the first unknown word only
            squashed: dict[str, str] = {}
            for word in self._vocabulary:
                if _NAME.match(word) and _SEPARATORS.search(word):
                    key = _SEPARATORS.sub("", word)
                    if key not in squashed or self.stats.df(word) > self.stats.df(squashed[key]):
                        squashed[key] = word
            self._squashed = squashed
        return self._squashed.get(token)  # the same letters: no guess, so one chunk is enough


def _edits(word: str) -> set[str]:
    """Every ASCII word one deletion, swap of two letters (neighbours or not: "ternimating"),
    substitution or insertion away."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out = {a + b[1:] for a, b in splits if b}
    out |= {word[:i] + word[j] + word[i + 1:j] + word[i] + word[j + 1:]
            for i in range(len(word)) for j in range(i + 1, len(word)) if word[i] != word[j]}
    out |= {a + c + b[1:] for a, b in splits if b for c in letters}
    out |= {a + c + b for a, b in splits for c in letters}
    out.discard(word)
    return out


def is_cjk(token: str) -> bool:
    return bool(_CJK_WORD.match(token))


class WordForms:
    """The base's indexed words that count as a question word it rarely or never uses itself."""

    def __init__(self, vocabulary: list[str], df: Callable[[str], int]) -> None:
        self.vocabulary = vocabulary
        self.df = df
        self._cache: dict[str, list[str]] = {}
        self._by_char: dict[str, list[str]] | None = None

    def __call__(self, token: str) -> list[str]:
        """Up to MAX_FORMS words, most frequent first; [] when the base uses the word enough itself."""
        if token not in self._cache:
            self._cache[token] = self._find(token)
        return self._cache[token]

    def _find(self, token: str) -> list[str]:
        if is_cjk(token):
            if len(token) > 1 and self.df(token) >= RARE_DF:
                return []
            found = [w for w in self._holding(token[0]) if token in w and w != token]
        elif self.df(token) == 0 and CODE_HEAD.match(token):
            n = len(token)
            found = [w for w in self.vocabulary if w.startswith(token) and len(w) > n and w[n] in "./:_-"]
        else:
            return []
        return sorted(found, key=lambda w: (-self.df(w), w))[:MAX_FORMS]

    def _holding(self, char: str) -> list[str]:
        """Vocabulary words containing a Chinese character (indexed on first use: one pass)."""
        if self._by_char is None:
            index: dict[str, list[str]] = {}
            for word in self.vocabulary:
                for c in set(word):
                    if "\u4e00" <= c <= "\u9fff":
                        index.setdefault(c, []).append(word)
            self._by_char = index
        return self._by_char.get(char, [])

    def concept_df(self, token: str, total: int) -> int:
        """Chunks holding the word or one of its forms (an upper bound: forms overlap)."""
        return min(total, self.df(token) + sum(self.df(w) for w in self(token)))
