"""Does a short message in a conversation switch off the base's domain, or ask the thread in its own words?

A follow-up refused on its own ("有啥规矩没", "带宽顶天能调到多少" after an EIP answer) often says ONE
ordinary word the base never writes: the user's word for something the page says (规矩 for 规则, 顶天
for 上限). One such word is no topic of its own. A switch ("今晚湖人和勇士谁能赢", "帮我写首关于秋天的诗",
"杭州明天会下雨不", "股票怎么买") names what it is about with words the base never writes: a proper
name, a thing pointed at that the conversation never said (那个电视剧), two or more such words with a
noun or a time word among them, or one that opens the message as its subject while nothing else it
says is the base's. `switch_reason` says which, or None. Words are the base index's tokens; a
one-character word (猫, 诗, 玩) counts as the base's when the base writes it inside its words (留 of
保留), since the index keeps longer words whole. Used by graph/nodes/guard.in_conversation; tests:
tests/graph/test_thread_switch.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.cues import CONTINUES
from graph.domain_score import known_to_base
from graph.vocabulary import KBVocabulary
from graph.word_class import FUNCTION, tag_of, topic_weight

_CJK = re.compile(r"^[\u4e00-\u9fff]+$")
_PROPER = frozenset({"ns", "nr", "nrt", "nrfg", "nt"})
"""jieba tags of place, person and organisation names: a name the base never writes is a topic of its own."""
_REQUEST = re.compile(r"(?:帮|给|替)(?:我|忙)|麻烦你")
"""A request to be helped or given something (帮我写…, 给我推荐…)."""
_POINTED = re.compile(r"(?:(?:这|那)(?:个|部|本|首|只|家|款|场)|(?:部|本|首|只|款|场|件|张))\s*$")
"""A demonstrative or an item's measure word right before a noun ("那个电视剧", "推荐部电影"): that noun is
a thing of its own, pointed at or counted (个 alone is left out: "有个坑" counts no item)."""


@dataclass(frozen=True)
class _Word:
    text: str
    start: int
    foreign: bool
    """The base never writes it."""
    noun: bool
    """A noun or a time word: it can say what the message is about."""
    tag: str | None


def switch_reason(message: str, vocab: KBVocabulary) -> str | None:
    """Why the message is a switch off the domain (None: at most one ordinary word the base never writes)."""
    words = _words(message, vocab)
    foreign = [w for w in words if w.foreign]
    if not foreign:
        return None
    for w in foreign:
        if w.tag in _PROPER and len(w.text) >= 2:
            return "name"
        if w.noun and _POINTED.search(message[:w.start]):
            return "pointed"  # "那个电视剧…": a thing pointed at or counted that the conversation never said
    # (a piece jieba's HMM glued from a verb and a particle, "嫌大", "能撑", says no topic unless a noun is in it)
    said = [w for w in foreign if w.tag is not None or w.noun]
    if len(said) >= 2 and any(w.noun for w in said):
        return "words"
    if _REQUEST.search(message):
        return "request"  # "帮我写首诗": something to be made of what the base never writes
    first = _subject(message, words)
    if first is not None and first.foreign and len(first.text) >= 2 \
            and not any(not w.foreign and len(w.text) >= 2 and topic_weight(w.text) > FUNCTION for w in words):
        return "subject"  # "股票怎么买", "今天股市怎么样": it opens with its subject, and nothing else it says is the base's
    return None


def _subject(message: str, words: list[_Word]) -> _Word | None:
    """The noun the message opens with, after the opener that goes on (那) and any time words (今天):
    what a Chinese sentence is about comes first."""
    opened = CONTINUES.match(message)
    at = opened.end() if opened else 0
    for w in words:
        if message[at:w.start].strip(" ，,的"):
            return None
        if not w.noun or w.tag is None or not w.tag.startswith("t"):
            return w if w.noun else None
        at = w.start + len(w.text)
    return None


def foreign_words(message: str, vocab: KBVocabulary) -> list[str]:
    """The message's content words the base never writes."""
    return [w.text for w in _words(message, vocab) if w.foreign]


def _words(message: str, vocab: KBVocabulary) -> list[_Word]:
    """The message's Chinese content words in order (a piece inside a longer one dropped), the opener
    that goes on from the thread (那/那么/还) left out."""
    opened = CONTINUES.match(message)
    text = message[opened.end():] if opened else message
    offset = len(message) - len(text)
    tokens = [t for t in vocab.tokenize(text) if _CJK.match(t)]
    tokens = [t for t in tokens if not any(t != o and t in o for o in tokens)]
    chars = vocab.chars()
    out, at = [], 0
    for tok in tokens:
        start = text.find(tok, at)
        at = start + len(tok) if start >= 0 else at
        tag = tag_of(tok)
        if len(tok) == 1:
            if not tag or tag[0] not in "nva" or tag == "nz":
                continue
            out.append(_Word(tok, offset + start, tok not in chars and not known_to_base(tok, vocab), tag == "n", tag))
            continue
        weight = topic_weight(tok)
        time_word = bool(tag and tag.startswith("t"))
        if weight <= FUNCTION and not time_word:
            continue
        # a piece jieba glued together ("首诗") names what a one-character noun in it names
        glued_noun = tag is None and any(ch not in chars and not known_to_base(ch, vocab)
                                          and tag_of(ch) == "n" for ch in tok)
        out.append(_Word(tok, offset + start, not known_to_base(tok, vocab), weight >= 1.0 or time_word or glued_noun,
                         tag))
    return out
