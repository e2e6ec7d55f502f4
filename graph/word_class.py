"""How much a word can say about a message's topic, from its part of speech in general Chinese.

The guard asks whether the base knows what a message is ABOUT. Numerals, pronouns, adverbs,
particles and time words ("一万", "这种", "多久", "周末") only say how it is asked, so they weigh
0; verbs and adjectives ("碰到", "顶") say a little (0.5); nouns and technical tokens (ASCII
names, codes of 3+ digits) carry the topic (1). The classes come from jieba's own dictionary
(`jieba.posseg`'s word/tag table: general Chinese, not this project's domain words); a word it
does not list ("安全组", or a piece jieba's HMM glued together: "几核", "先加个") weighs as its
most contentful dictionary word of two or more characters, else 0.25. The tags are read from the
knowledge layer's sharded copy of jieba's dictionary, by first character (reading jieba's whole
tag table cost 0.4 s of CPU on the guard's first message).
Used by graph.domain_score; tests: tests/graph/test_guard.py.
"""

from __future__ import annotations

import re
from functools import lru_cache

FUNCTION = 0.0
PREDICATE = 0.5
GLUE = 0.25
TOPIC = 1.0
# jieba tag classes (first letter) that never name a topic: numerals, measure words, pronouns,
# adverbs, prepositions, conjunctions, particles, interjections, onomatopoeia, locality, time
# words, status words, affixes, idiomatic phrases, punctuation-like.
_FUNCTION_CLASSES = frozenset("mqrdpcuyeoftzkhlx")
_PREDICATE_CLASSES = frozenset("vai")
_ASCII = re.compile(r"^[\x00-\x7f]+$")


class _Tags:
    """jieba's general dictionary, word -> part-of-speech tag (`in` and `[]` of jieba.posseg's table)."""

    def __init__(self) -> None:
        from knowledge.segmenter import segmenter

        self._tag = segmenter().tag

    def __contains__(self, word: str) -> bool:
        return self._tag(word) is not None

    def __getitem__(self, word: str) -> str:
        tag = self._tag(word)
        if tag is None:
            raise KeyError(word)
        return tag


@lru_cache(maxsize=1)
def _tags() -> _Tags:
    return _Tags()


def _tag_weight(tag: str) -> float:
    if tag in ("vn", "an"):  # 考试, 比赛: verbs used as nouns name a topic
        return TOPIC
    head = tag[:1]
    if head in _FUNCTION_CLASSES or tag == "zg":
        return FUNCTION
    return PREDICATE if head in _PREDICATE_CLASSES else TOPIC


def _freq(word: str) -> int:
    """jieba's general-dictionary frequency (the knowledge layer's lazily loaded segmenter)."""
    from knowledge.text import background_frequency

    return background_frequency(word)[0]


def _pieces(token: str) -> list[str]:
    """The dictionary words of 2+ characters inside a token, longest first from the left."""
    tags, out, i = _tags(), [], 0
    while i < len(token):
        for j in range(len(token), i + 1, -1):
            if token[i:j] in tags:
                out.append(token[i:j])
                i = j
                break
        else:
            i += 1
    return out


def tag_of(word: str) -> str | None:
    """jieba's part-of-speech tag of a dictionary word (None: not one)."""
    return _tags()[word] if word in _tags() else None


def topic_weight(token: str) -> float:
    """0 (how it is asked) .. 1 (what it is about) for one content token of graph.domain_score."""
    if _ASCII.match(token):
        return TOPIC if not token.isdigit() or len(token) >= 3 else FUNCTION
    tags = _tags()
    if token in tags:  # the class of a word the dictionary barely attests is unreliable (塞进去: "nr")
        return _tag_weight(tags[token]) if _freq(token) > RARE_WORD else PREDICATE
    pieces = _pieces(token)
    if not pieces:
        return GLUE
    return max(_tag_weight(tags[w]) for w in pieces)


def glued_words(token: str) -> list[str]:
    """The general-dictionary words (2+ characters) of a token that is not a word of its own but
    pieces put together: one the dictionary lacks ("核心库" -> 核心), or a rare dictionary compound
    of two common words ("机器配置" -> 机器, 配置: each over RARE_COMPOUND times as frequent).
    [] for an ordinary word or ASCII."""
    tags = _tags()
    if _ASCII.match(token):
        return []
    if token not in tags:
        return _pieces(token)
    own = _freq(token) or 1
    for cut in range(2, len(token) - 1):
        left, right = token[:cut], token[cut:]
        if left in tags and right in tags and min(_freq(left), _freq(right)) >= RARE_COMPOUND * own:
            return [left, right]
    return []


RARE_COMPOUND = 100
RARE_WORD = 5
"""Dictionary words this rare or rarer weigh as predicates whatever their tag."""
