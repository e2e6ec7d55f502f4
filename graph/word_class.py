"""How much a word can say about a message's topic, from its part of speech in general Chinese.

The guard asks whether the base knows what a message is ABOUT. Numerals, pronouns, adverbs,
particles and time words ("一万", "这种", "多久", "周末") only say how it is asked, so they weigh
0; verbs and adjectives ("碰到", "顶") say a little (0.5); nouns and technical tokens (ASCII
names, codes of 3+ digits) carry the topic (1). The classes come from jieba's own dictionary
(`jieba.posseg`'s word/tag table: general Chinese, not this project's domain words); a word it
does not list is a domain word taught to the tokenizer (安全组: 1) or a piece jieba's HMM glued together ("几核", "先加个"): re-cut from the
dictionary, it weighs as its most contentful piece of two or more characters, else 0.25.
Used by graph.domain_score; tests: tests/graph/test_guard.py.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

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


@lru_cache(maxsize=1)
def _tags() -> dict[str, str]:
    """jieba's general dictionary, word -> part-of-speech tag (loaded once)."""
    import jieba.posseg

    return jieba.posseg.dt.word_tag_tab


def _tag_weight(tag: str) -> float:
    if tag in ("vn", "an"):  # 考试, 比赛: verbs used as nouns name a topic
        return TOPIC
    head = tag[:1]
    if head in _FUNCTION_CLASSES or tag == "zg":
        return FUNCTION
    return PREDICATE if head in _PREDICATE_CLASSES else TOPIC


def _tokenizer() -> Any:
    from knowledge.text import _jieba

    return _jieba()


def topic_weight(token: str) -> float:
    """0 (how it is asked) .. 1 (what it is about) for one content token of graph.domain_score."""
    if _ASCII.match(token):
        return TOPIC if not token.isdigit() or len(token) >= 3 else FUNCTION
    tags = _tags()
    tokenizer = _tokenizer()
    if token in tags:  # the class of a word the dictionary barely attests is unreliable (塞进去: "nr")
        return _tag_weight(tags[token]) if (tokenizer.FREQ.get(token) or 0) > RARE_WORD else PREDICATE
    if tokenizer.FREQ.get(token):  # a domain word taught to the tokenizer (安全组)
        return TOPIC
    pieces = [w for w in _tokenizer().lcut(token, HMM=False) if len(w) >= 2 and w in tags]
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
        return [w for w in _tokenizer().lcut(token, HMM=False) if len(w) >= 2 and w in tags]
    freq = _tokenizer().FREQ
    own = freq.get(token) or 1
    for cut in range(2, len(token) - 1):
        left, right = token[:cut], token[cut:]
        if left in tags and right in tags and min(freq.get(left) or 0, freq.get(right) or 0) >= RARE_COMPOUND * own:
            return [left, right]
    return []


RARE_COMPOUND = 100
RARE_WORD = 5
"""Dictionary words this rare or rarer weigh as predicates whatever their tag."""
