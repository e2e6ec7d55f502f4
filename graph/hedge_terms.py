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
- a number written with its unit ("500G") is the number itself (also a term) — not a second word;
- a place the user looks in ("白名单在控制台哪加": the word after 在/到/去 and before 哪/里/上) weighs
  nothing: the page gives the path in its own words;
- the base's everyday words (in about a sixth or more of its chunks: IDF below BASE_COMMON_IDF —
  "服务器", "控制台" on a cloud desk), when the question also has a word at least twice as rare, weigh
  nothing unless they name an entity: every page could hold them, so their absence says nothing
  about whether this page answers (on a base of a handful of chunks every word is "common": the
  question's rarest word is the yardstick);
- words of everyday Chinese (jieba frequency >= COMMON) the base hardly writes (KB IDF at least
  SPOKEN_IDF: in under ~2% of its chunks) are the user's wording ("机器", "具体"), not the base's
  topic: they weigh nothing;
- a modal or a result fused with a one-character verb, a word the base hardly writes and jieba
  hardly knows ("能建", "会变", "扩到"; "写错", "调大", "改了": a resultative complement or an aspect
  particle), asks whether or how far, or says the action in the user's words, and weighs nothing; so
  does a pronoun cut with the next character ("这是"); unless nothing but the things the question
  names would be left ("发票抬头写错了 还能改不": the verb forms say what is asked about the 发票);
- a potential complement of an everyday one-character verb ("看不到", "打不开", "找不到": "cannot V")
  is how the user says the symptom, not what it is about: it weighs nothing (the page says the thing
  in its own words: "df 看不到" is answered by the mount step); so does such a form jieba hardly knows
  ("连不上": its dictionary tags 连 as a name).

`covered_share(terms, text)` is the weighted share a passage holds; a compound the page writes
apart ("空闲超时" for "空闲连接超时") counts when each of its halves is there, a Latin word when the
page writes it in another form or its Chinese term (graph/hedge_words.py: "events" for "event"), a
colloquial word when the page writes the documentation term selection credited for it
(graph/synonyms.yaml: "停机" answered by a page saying "停服").

Tested in tests/graph/test_partial_match.py.
"""

from __future__ import annotations

import re
from typing import Any, Mapping, Sequence

from graph.hedge_words import evidence_says
from graph.relevance import QuestionTerms, declared_names, found
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
BASE_COMMON_IDF = 1.8
"""KB IDF (log(1 + (N - df + .5) / (df + .5))) below which a word is in about a sixth of the base's
chunks or more: one of the base's everyday words, not what a question is about."""
SPOKEN_IDF = 3.9
"""KB IDF from which a word is in under about 2% of the base's chunks (log(1 + 49))."""
_MODALS = "能会可要该"
_RESULTS = "到完好掉成错对大小高低满坏住了过"
"""Resultative complements and aspect particles ("扩到", "写错", "调大", "改了"): a closed class of Chinese
grammar, fused by the user with the verb they say the action with; the page names the action its own way."""


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


def _fused_verb(word: str) -> bool:
    """"能建", "会变", "扩到": a modal or a result and a one-character verb, a word jieba hardly knows."""
    words = segmenter()
    if len(word) != 2 or words.freq(word) >= COMMON // 100:
        return False
    verb = word[1] if word[0] in _MODALS else word[0] if word[1] in _RESULTS else ""
    return bool(verb) and (words.tag(verb) or "").startswith("v")


def _unasked(term: str, weight: float, low: str, entities: list[str], top: float) -> bool:
    """A place, an everyday word of the base, a spoken everyday word or a fused verb: not the asked thing."""
    if any(term in e or e in term for e in entities):
        return False
    if re.search(f"(?:在|到|去){re.escape(term)}(?:的)?(?:哪|里|上|中)", low):
        return True
    if _SPECIFIC.search(term):
        return False
    if 0 < weight < min(BASE_COMMON_IDF, top / 2):
        return True
    return weight >= SPOKEN_IDF and (segmenter().freq(term) >= COMMON or _fused_verb(term) or _pointing(term)) \
        or _cannot(term)


_COMPLEMENTS = "到了上下进出开掉动见着住"


def _cannot(word: str) -> bool:
    """"看不到", "打不开": an everyday one-character verb, 不 and a result or direction ("cannot V")."""
    if len(word) != 3 or word[1] != "不" or word[2] not in _COMPLEMENTS:
        return False
    words = segmenter()  # "连不上": a form jieba hardly knows, of an everyday character its dictionary tags otherwise
    return ((words.tag(word[0]) or "").startswith("v") or words.freq(word) < COMMON // 100) \
        and words.freq(word[0]) >= COMMON


def _pointing(word: str) -> bool:
    """"这是", "那是": a pronoun the base's index cut with the next character, a word jieba does not know."""
    words = segmenter()
    return len(word) == 2 and not words.freq(word) and (words.tag(word[0]) or "") in ASKING_TAGS


def hedge_terms(terms: QuestionTerms, asked: str) -> QuestionTerms:
    """The terms of the user's own words (`asked`), weighted by how specific they are."""
    low = (asked or "").lower()
    own = terms.own()
    top = max(own.weights.values(), default=0.0)
    said = {t: w for t, w in own.weights.items() if t in low
            and not (_NUMBER_UNIT.match(t) and _NUMBER_UNIT.match(t).group(1) in own.weights)}  # type: ignore[union-attr]
    weights = {t: w * specificity(t, own.entities) for t, w in said.items() if not _unasked(t, w, low, own.entities, top)}
    weights = {t: w for t, w in weights.items() if w > 0}
    if weights and all(_names(t, own.entities) for t in weights):
        # nothing but the things named is left: the user's verb forms ("抬头写错了 还能改不") are all that says
        # what is asked about them, and weigh as written; not a cannot-form ("df 看不到"): that is the symptom
        # in the user's words, which the page answering it says its own way
        weights.update({t: w for t, w in said.items() if _fused_verb(t) and not _SPECIFIC.search(t)})
    return QuestionTerms(weights, set(), [e for e in own.entities if e in low], own.aliases)


def _names(term: str, entities: list[str]) -> bool:
    return any(term in e or e in term for e in entities)


_CJK = re.compile(r"^[\u4e00-\u9fff]{4,}$")
_LATIN = re.compile(r"^[a-z][a-z-]{2,}$")


def _holds(term: str, low: str, alternatives: Mapping[str, Sequence[str]] | None = None) -> bool:
    if found(term, low) or (_LATIN.match(term) and evidence_says(term, low)):
        return True
    if any(a.lower() in low for a in said_as(term, alternatives)):
        return True
    half = len(term) // 2
    return bool(_CJK.match(term)) and term[:half] in low and term[half:] in low


def said_as(term: str, alternatives: Mapping[str, Sequence[str]] | None) -> list[str]:
    """The documentation's terms for the user's colloquial word `term` (`alternatives`: graph/expansion
    .synonym_groups of the question: "停机" -> ["停服"], "硬盘" -> ["磁盘", "云盘"]), when the term is that
    word or a part of it or holds it; selection credits them as the word, and so does the hedge."""
    if not alternatives or len(term) < 2:
        return []
    return [a for word, terms in alternatives.items() if len(word) >= 2 and (term in word or word in term) for a in terms]


def covered_share(terms: QuestionTerms, text: str, alternatives: Mapping[str, Sequence[str]] | None = None) -> float:
    """Weighted share of the terms a text holds, a compound also when it holds each half, a colloquial word
    also when it holds one of its documentation terms (`alternatives`, `said_as`) (module docstring)."""
    total = terms.total
    low = (text or "").lower()
    return sum(w for t, w in terms.weights.items() if _holds(t, low, alternatives)) / total if total > 0 else 0.0


def asks_only_unknown(terms: QuestionTerms, unknown: Sequence[str], passages: Sequence[Mapping[str, Any]]) -> bool:
    """Does the question ask nothing the passages hold beyond which product it is about? It names a term the base
    never writes (`unknown`: "云服务器怎么配置 ipv6", "负载均衡支持 http3 吗"), and each of its other topic words
    (`specific_only`) is a name a passage's page is filed under (title, front-matter product and tags): those say
    which page, not what is asked. No passage answers it; the nearest pages are named instead of one that merely
    shares the product and a verb ("配置": the custom-image steps)."""
    if not unknown or any((p.get("meta") or {}).get("match") == "strong" for p in passages):
        return False
    named = {u.lower() for u in unknown}
    asked = [t for t in specific_only(terms).weights if t.lower() not in named]
    filed = " ".join(f"{p.get('title') or ''} {declared_names(p)}" for p in passages).lower()
    return not [t for t in asked if t.lower() not in filed]
