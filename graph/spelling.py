"""Typos corrected against the knowledge base's own words: 积份 -> 积分, 安全祖 -> 安全组, windwos -> windows.

    fixer = SpellingFixer.for_vocabulary(vocab)     # cached per KBVocabulary
    fixer.correct("它的积份在哪看")                   # "它的积分在哪看"

Chinese: a 2-4 character span that is no word (neither in the KB nor in jieba's dictionary)
but sounds exactly like a KB term differing in one character (pinyin IME slips) becomes that
term. ASCII: a word of 4+ letters the KB never uses, one slip away from a word it uses, becomes
that word (graph.ascii_typos). A span that a real word reaches into from outside ("上报证书") is never
changed, nor is a common one-character verb turned into a non-verb of a far rarer word ("该去查"
stays: 去 is what was meant, not 该区), nor a common function character beside a free word ("起不来",
"就有", "跟域名": two words, no slip for 起步, 旧有, 根域名).
A pinyin initialism ("fwq") becomes the base's word (graph.initials). A two-character non-word
that is the first and last character of exactly one four-character term of the base is its
contraction (专票 -> 专用发票). Nothing else changes. Only the first MAX_CHARS characters are
looked at (a pasted log or page behind a question costs nothing more).
Tests: tests/graph/test_spelling.py.
"""

from __future__ import annotations

import re
import threading
from collections import defaultdict
from typing import Any

from graph.ascii_typos import AsciiTypos
from graph.initials import Initialisms

_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")
ASKING = {"多大", "多长", "多久", "多少", "多高", "多快", "多远", "多宽", "多重", "多深", "多低", "多小"}
"""Words asking a quantity that jieba's dictionary lacks: never a slip for a base's term that sounds
the same ("默认是多大" is not "多达", a word TiDB's pages write)."""
_ASCII_WORD = re.compile(r"[A-Za-z]{4,}")  # graph.ascii_typos.MIN_LENGTH
_WORD_CHAR = re.compile(r"[\u4e00-\u9fffA-Za-z]")
_CACHE: dict[int, tuple[Any, "SpellingFixer"]] = {}
MAX_CHARS = 500
"""Characters of a message that typo correction reads; a word that crosses this mark is left as is."""
_LOCK = threading.Lock()


def _pinyin(text: str) -> str:
    from pypinyin import lazy_pinyin

    return " ".join(lazy_pinyin(text))


def _is_word(text: str, min_freq: int = 1) -> bool:
    from knowledge.segmenter import segmenter  # jieba's dictionary, loaded by first character

    return segmenter().freq(text) >= min_freq


COMMON = 20
"""jieba frequency from which a word counts as real when it reaches into a span (祖规 at 3 does not)."""
SPOKEN_VERB = 10000
"""jieba frequency from which a one-character verb (去, 来, 看, 做) is common enough to be meant."""
_FUNCTION_TAGS = frozenset("puc")
"""jieba tags of function words (prepositions 在/给/跟, particles 了/的/着, conjunctions 和): a common one is
always meant — a spoken phrase ("挂在…上", "放到") sounds like a term but is no slip for it."""
RARER = 100
"""A fix this many times rarer (jieba) than the verb it replaces reads a spoken phrase as a noun."""


def _replaces_spoken_verb(piece: str, term: str) -> bool:
    """Would the fix replace a common function word (在, 了, 和) by a content character, or a common
    one-character verb by a character that is no verb, giving a word far rarer than that verb? Then the user typed a spoken phrase ("该去查": modal + 去), not a slip for a
    noun ("该区", 1000 times rarer than 去); "生笑" -> "生效" (a word as common as 笑 / 20) is a slip."""
    from knowledge.segmenter import segmenter

    seg = segmenter()
    for was, now in zip(piece, term):
        if was != now:
            tag, new_tag = seg.tag(was) or "", seg.tag(now) or ""
            common = seg.freq(was)
            if tag[:1] in _FUNCTION_TAGS and common >= SPOKEN_VERB and new_tag[:1] not in _FUNCTION_TAGS:
                return True  # "证书挂在 clb 上": verb + 在 (a preposition), not a slip for 挂载
            return (tag.startswith("v") and common >= SPOKEN_VERB and not new_tag.startswith("v")
                    and seg.freq(term) * RARER < common)
    return False


_GRAMMAR_TAGS = frozenset("dfpcu")
"""jieba tags of grammatical words: adverbs 不/就/又/只, localizers 里/上, prepositions 跟, conjunctions, particles."""


def _two_words(piece: str) -> bool:
    """Is the span a common grammatical character (不, 就, 只, 里, 跟) at one end beside a free word ("起",
    "有", "出", "域名"; no bound morpheme like 状 or 毒)? Then the user wrote two words ("起不来", "就有",
    "跟域名"), no slip for a term (起步, 旧有, 根域名); "状太" -> 状态 and "只毒" -> 只读 stay slips."""
    from knowledge.segmenter import segmenter

    seg = segmenter()
    for grammar, rest in ((piece[0], piece[1:]), (piece[-1], piece[:-1])):
        tag, rest_tag = seg.tag(grammar) or "", seg.tag(rest) or ""
        if (tag[:1] in _GRAMMAR_TAGS and not tag.endswith("g") and seg.freq(grammar) >= SPOKEN_VERB
                and rest_tag and not rest_tag.endswith("g") and seg.freq(rest) >= COMMON):
            return True
    return False


def _boundary(text: str, limit: int) -> int:
    """The last position at or before `limit` that splits no Chinese run or ASCII word."""
    if len(text) <= limit:
        return len(text)
    cut = limit
    while cut > 0 and _WORD_CHAR.match(text[cut - 1]) and _WORD_CHAR.match(text[cut]):
        cut -= 1
    return cut


class SpellingFixer:
    """KB terms by their characters but one (Chinese; pinyin compared only for those) and by length (ASCII)."""

    def __init__(self, terms: dict[str, int], counts: dict[str, int] | None = None) -> None:
        """`terms`: the base's words and mined terms by weight; `counts`: its words by the chunks they occur
        in (the words English typos may become; `terms` when not given)."""
        self.known = terms
        self.initials = Initialisms(terms)  # "fwq" -> 服务器 (graph.initials)
        self.ascii = AsciiTypos(terms if counts is None else counts)
        self.by_mask: dict[str, list[str]] = defaultdict(list)  # "积_" -> ["积分", ...]
        self.by_ends: dict[str, list[str]] = defaultdict(list)  # "专票" -> ["专用发票"]
        for term, freq in terms.items():
            if _CJK_RUN.fullmatch(term) and 2 <= len(term) <= 4:
                for i in range(len(term)):
                    self.by_mask[term[:i] + "_" + term[i + 1:]].append(term)
                if len(term) == 4 and freq >= 2:
                    self.by_ends[term[0] + term[-1]].append(term)

    @classmethod
    def from_counts(cls, counts: dict[str, int], lexicon: set[str]) -> "SpellingFixer":
        """From a base's words in 2+ chunks ({word: chunks}) and its mined lexicon."""
        terms = {t: n for t, n in counts.items() if n >= 2}
        for term in lexicon:
            terms[term] = max(terms.get(term, 0), 1000)  # mined domain terms count as real words
        return cls(terms, counts)

    @classmethod
    def for_vocabulary(cls, vocab: Any) -> "SpellingFixer":
        """The fixer of one KBVocabulary (built once per vocabulary from the counts stored at ingest)."""
        with _LOCK:
            cached = _CACHE.get(id(vocab))
            if cached and cached[0] is vocab:
                return cached[1]
        fixer = cls.from_counts(vocab.word_counts(), vocab.lexicon)
        with _LOCK:
            _CACHE[id(vocab)] = (vocab, fixer)
        return fixer

    def correct(self, text: str) -> str:
        cut = _boundary(text, MAX_CHARS)
        head = self.initials.expand(text[:cut])
        head = _CJK_RUN.sub(lambda m: self._cjk(m.group(0)), head)
        return _ASCII_WORD.sub(lambda m: self._ascii(m.group(0)), head) + text[cut:]

    def _cjk(self, run: str) -> str:
        out, i = [], 0
        while i < len(run):
            for size in (4, 3, 2):
                piece = run[i:i + size]
                if len(piece) == size and not self._crosses_words(run, i, size):
                    fixed = self._sounds_like(piece) or (self._contraction(piece) if size == 2 else None)
                    if fixed:
                        out.append(fixed)
                        i += size
                        break
            else:
                out.append(run[i])
                i += 1
        return "".join(out)

    def _word(self, text: str) -> bool:
        return self.known.get(text, 0) >= 2 or _is_word(text, COMMON)

    def _crosses_words(self, run: str, start: int, size: int) -> bool:
        """Does a real word of the run reach into the span from outside? ("上报证书": 报证 is part of
        上报 and 证书; "这个值一般": 一 belongs to 一般) Then the span is no misspelt term."""
        end = start + size
        for a in range(max(0, start - 3), end):
            for b in range(max(a + 2, start + 1), min(len(run), a + 4) + 1):
                if (a < start or b > end) and self._word(run[a:b]):
                    return True
        return False

    def _sounds_like(self, piece: str) -> str | None:
        if piece in self.known or _is_word(piece) or piece in ASKING:
            return None
        candidates = {t for i in range(len(piece)) for t in self.by_mask.get(piece[:i] + "_" + piece[i + 1:], ())
                      if t != piece and (self.known.get(t, 0) >= 1000 or _is_word(t))}
        sound = _pinyin(piece) if candidates else ""
        if not candidates or _two_words(piece):
            return None
        matches = sorted(t for t in candidates if _pinyin(t) == sound and not _replaces_spoken_verb(piece, t))
        return max(matches, key=lambda t: self.known.get(t, 0)) if matches else None

    def _contraction(self, piece: str) -> str | None:
        """The base's one four-character term a two-character non-word contracts: its first and last
        characters (专票 -> 专用发票, as 专用 + 发票 is said); none when two terms would fit."""
        if piece in self.known or _is_word(piece):
            return None
        found = self.by_ends.get(piece, [])
        return found[0] if len(found) == 1 else None

    def _ascii(self, word: str) -> str:
        return word if word.lower() in self.known else self.ascii.correct(word)
