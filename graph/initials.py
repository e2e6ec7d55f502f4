"""Pinyin initialisms read as the knowledge base's words: "fwq" -> 服务器, "sjk" -> 数据库.

Support chats abbreviate a Chinese word by the first letters of its syllables. A lowercase
word of 3-4 letters with no vowel (so no English word: "you", "sea", "get" never qualify), that
the base never uses, becomes the base's most frequent Chinese word of as many characters whose
syllables start with those letters. The index is built on first use (only when such a word
appears). Used by `graph.spelling.SpellingFixer.correct`; tests: tests/graph/test_spelling.py.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping

INITIALISM = re.compile(r"(?<![A-Za-z0-9_.\-/\\:@=$])[b-df-hj-np-tv-z]{3,4}(?![A-Za-z0-9_\-/\\:@=.])")
"""Lowercase, no vowel, standing alone (not part of a name, path or code)."""
_CJK_WORD = re.compile(r"[\u4e00-\u9fff]{3,4}")
MIN_CHUNKS = 3
"""A base word read for an initialism appears in this many chunks at least (a real term, not noise)."""


class Initialisms:
    """Initials -> the most frequent base word with them, built lazily from {word: chunks}."""

    def __init__(self, counts: Mapping[str, int]) -> None:
        self._counts = counts
        self._index: dict[str, str] | None = None
        self._lock = threading.Lock()

    def _build(self) -> dict[str, str]:
        from pypinyin import Style, lazy_pinyin

        best: dict[str, tuple[int, str]] = {}
        for word, n in self._counts.items():
            if n < MIN_CHUNKS or not _CJK_WORD.fullmatch(word):
                continue
            key = "".join(p[:1] for p in lazy_pinyin(word, style=Style.FIRST_LETTER))
            if len(key) == len(word) and (key not in best or (n, word) > best[key]):
                best[key] = (n, word)
        return {key: word for key, (_, word) in best.items()}

    def word_for(self, token: str) -> str | None:
        if token in self._counts:
            return None
        with self._lock:
            if self._index is None:
                self._index = self._build()
            return self._index.get(token)

    def expand(self, text: str) -> str:
        """The text with each initialism the base can read replaced by its word."""
        if not INITIALISM.search(text):
            return text
        return INITIALISM.sub(lambda m: self.word_for(m.group(0)) or m.group(0), text)
