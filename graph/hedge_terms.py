"""Which of a question's words the "only partly matches" hedge should weigh, and how much.

The hedge ("知识库中没有与问题完全对应的内容…") is said when the cited passages lack the
question's content words. The KB's IDF alone weighs the wrong words most: spoken words the
documentation never writes ("拿到", "明明", "还要", "机器") are rare in the KB, so a passage that
answers the question exactly looked like a partial match. Here each word is weighed by how
specific it is, on any knowledge base:

- only the words the user wrote in this sub-question count (a rewrite's carried-over subject
  is the conversation's, not a gap of this answer);
- asking words ("多久", "几个", "哪里": numerals/quantifiers and pronouns in jieba's general
  dictionary; "意思", "区别" of a definition or comparison) weigh nothing: the answer answers them;
- function words (adverbs, conjunctions, time words, particles) weigh a fifth, and words common
  in general Chinese (jieba frequency >= COMMON) half,
  unless they name what the question is about (an entity, a code, Latin letters or digits);
- directional complements ("粘贴不进去", "装上去") weigh nothing: they say how, not what;
- a number written with its unit ("500G") is the number itself (also a term) — not a second word.

`covered_share(terms, text)` is the weighted share a passage holds; a compound the page writes
apart ("空闲超时" for "空闲连接超时") counts when each of its halves is there.

Tested in tests/graph/test_partial_match.py.
"""

from __future__ import annotations

import re

from graph.relevance import QuestionTerms, found
from knowledge.segmenter import segmenter

COMMON = 1000
"""jieba dictionary frequency from which a word is everyday language rather than a topic word."""
ASKING = {"意思", "含义", "意味着", "区别", "差别", "差异"}
"""What a definition or comparison asks ("是什么意思", "有啥区别"): the answer's sentence answers it."""
DIRECTIONAL = {"进去", "进来", "出去", "出来", "上去", "上来", "下去", "下来", "起来", "过去", "过来", "回去", "回来"}
_NUMBER_UNIT = re.compile(r"^(\d+)[a-z%]+$")
FUNCTION_TAGS = ("d", "ad", "c", "t", "f", "p", "u", "y", "e", "o", "q")
ASKING_TAGS = ("m", "r", "mq")
_SPECIFIC = re.compile(r"[a-z0-9]", re.I)


def specificity(word: str, entities: list[str]) -> float:
    """1.0 for a topic word, less for spoken or asking words (see the module docstring)."""
    if _SPECIFIC.search(word) or any(word in e or e in word for e in entities):
        return 1.0
    words = segmenter()  # jieba's general dictionary, read by first character (not 349k lines at once)
    frequency, tag = words.freq(word), words.tag(word) or ""
    if tag in ASKING_TAGS or word in DIRECTIONAL or word in ASKING:
        return 0.0
    if tag in FUNCTION_TAGS:
        return 0.2
    return 0.5 if frequency >= COMMON else 1.0


def named_only(terms: QuestionTerms) -> list[str]:
    """The things a question names: its entities and its words with Latin letters or digits ("vpc", "100.64")."""
    return list(dict.fromkeys([*terms.entities, *(t for t in terms.weights if _SPECIFIC.search(t))]))


def specific_only(terms: QuestionTerms) -> QuestionTerms:
    """Only the words that name the topic (specificity 1): what a value answer must still match."""
    return QuestionTerms({t: w for t, w in terms.weights.items() if specificity(t, terms.entities) >= 1.0}, set(),
                         terms.entities, terms.aliases)


def hedge_terms(terms: QuestionTerms, asked: str) -> QuestionTerms:
    """The terms of the user's own words (`asked`), weighted by how specific they are."""
    low = (asked or "").lower()
    own = terms.own()
    weights = {t: w * specificity(t, own.entities) for t, w in own.weights.items() if t in low
               and not (_NUMBER_UNIT.match(t) and _NUMBER_UNIT.match(t).group(1) in own.weights)}  # type: ignore[union-attr]
    return QuestionTerms({t: w for t, w in weights.items() if w > 0}, set(),
                         [e for e in own.entities if e in low], own.aliases)


_CJK = re.compile(r"^[\u4e00-\u9fff]{4,}$")


def _holds(term: str, low: str) -> bool:
    if found(term, low):
        return True
    half = len(term) // 2
    return bool(_CJK.match(term)) and term[:half] in low and term[half:] in low


def covered_share(terms: QuestionTerms, text: str) -> float:
    """Weighted share of the terms a text holds, a compound also when it holds each half (module docstring)."""
    total = terms.total
    low = (text or "").lower()
    return sum(w for t, w in terms.weights.items() if _holds(t, low)) / total if total > 0 else 0.0
