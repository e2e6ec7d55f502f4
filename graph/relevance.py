"""Relevance of one answer sentence to the question: weighted question terms it covers.

A question's terms are its content tokens (jieba + the KB's domain dictionary) plus the
documentation words its query expansion added (at half weight), each weighted by its
inverse document frequency in the knowledge base; a word found in no evidence text and
unknown to the KB (a typo, "fwq") weighs nothing, a code the KB never tokenised but the
evidence holds ("s5.2xlarge") weighs the most. Question words that carry no topic
("怎么办", "还是", "一直") are left out.

`coverage(terms, text)` is the weighted share of the terms found in a text (substrings,
case-insensitive). A sentence is ON TOPIC when its text together with where it sits (the
document title, the section heading, the FAQ entry's own question) covers at least
`ON_TOPIC_MIN` of the question: a CLB idle-timeout sentence shares "超时" with an SSH
timeout question but not "ssh", which weighs more, so it is dropped. The extractive
answer picks sentences with it and verify checks every sentence (model ones too) with it.
Tested in tests/graph/test_relevance.py.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

from graph.crosslingual import in_base_words
from graph.domain_score import CLOUD_TERMS, SYMPTOM_TERMS, content_tokens

ON_TOPIC_MIN = 0.34
"""Weighted share of the question a sentence (with its section context) must cover."""
RELATIVE_MIN = 0.6
"""... or this share of what its whole passage covers, when that is the lower bar."""
STRONG_PASSAGE = 0.5
"""A passage covering this much of the question vouches for each of its sentences that names the thing asked about."""
EXPANSION_WEIGHT = 0.5
# CrashLoopBackOff, error_1062, SCS.QuotaExceeded, max_connections, 1040, IST0128 / HY000 (a checker's
# or SQLSTATE code: a few letters, then three to five digits)
# letters only (checked once), then the first error word after one letter: no rescans of [a-z]*
_CODE_LIKE = re.compile(r"^(?:(?=[a-z]+$)[a-z]+?(?:backoff|exceeded|denied|invalid|notfound|error|failed|toosmall|skewed|mismatch)"
                        r"|(?:error_?\d{3,5}|[a-z]+\.[a-z]+|[a-z0-9]+(?:_[a-z0-9]+)+|\d{4}|[a-z]{2,5}\d{3,5})$)")
_NUMBER_UNIT = re.compile(r"(?<![\d.])(\d+)\s*(?:g|gb|gib|t|tb|m|mb|核|个|天|秒|分钟|小时|条|块|台|次|%)", re.I)
# Lexicon words that name no thing: symptoms, and English words of error messages.
_NOT_ENTITY = set(SYMPTOM_TERMS) | {
    "error", "errors", "access", "connect", "connection", "connections", "denied", "bad", "out", "many", "left",
    "mode", "options", "lock", "free", "device", "http", "https", "root", "net", "failed", "timeout", "exceeded",
    "pending", "java", "云服务器", "实例", "报错", "端口", "日志", "数据库",
}
GENERIC = {
    "怎么办", "怎么", "怎样", "如何", "咋整", "咋办", "咋弄", "咋搞", "为什么", "为啥", "什么", "哪些", "哪个", "多少",
    "是否", "可以", "能否", "能不能", "需要", "还是", "一直", "总是", "就是", "现在", "已经", "出现", "显示", "提示",
    "问题", "一下", "请问", "我们", "我刚", "刚刚", "上去", "不了", "不上", "一个", "这个", "那个", "有没有", "到底",
    "应该", "是不是", "情况", "咋回事", "怎么回事", "给个", "步骤", "方法", "办法", "of", "the", "to", "is", "how",
    "what", "why", "can", "do", "does", "a", "an", "in", "on", "for", "and", "or", "my", "i",
}


@dataclass
class QuestionTerms:
    """The question's weighted terms."""

    weights: dict[str, float] = field(default_factory=dict)
    expanded: set[str] = field(default_factory=set)
    """Terms only the query expansion added."""
    entities: list[str] = field(default_factory=list)
    """Domain terms naming what the question is about (SSH, MySQL, 1040), not a symptom."""
    aliases: dict[str, set[str]] = field(default_factory=dict)
    """Per entity, domain terms the KB nearly always writes next to it (rds -> mysql)."""

    def codes(self) -> list[str]:
        """The error codes and config keys among the terms ("err_too_many_redirects", "1040")."""
        return [t for t in self.weights if _CODE_LIKE.search(t)]

    def codes_first(self) -> "QuestionTerms":
        """Error codes and config keys weighted up: they say most about which page answers."""
        return QuestionTerms({t: w * (CODE_BOOST if _CODE_LIKE.search(t) else 1.0) for t, w in self.weights.items()},
                             self.expanded, self.entities, self.aliases)

    def scaled(self, words: set[str], factor: float) -> "QuestionTerms":
        """The terms with `words` weighed `factor` as much (a clause's words that must not choose alone)."""
        if not words:
            return self
        return QuestionTerms({t: w * (factor if t in words else 1.0) for t, w in self.weights.items()},
                             self.expanded, self.entities, self.aliases)

    @property
    def total(self) -> float:
        return sum(self.weights.values())

    def own(self) -> "QuestionTerms":
        """Without the expansion's words."""
        return QuestionTerms({t: w for t, w in self.weights.items() if t not in self.expanded}, set(), self.entities,
                             self.aliases)

    def without(self, text: str) -> "QuestionTerms":
        """The terms a text (a title, a heading) does not already cover: what is asked beyond it."""
        low = (text or "").lower()
        return QuestionTerms({t: w for t, w in self.weights.items() if t not in low},
                             {t for t in self.expanded if t not in low}, [e for e in self.entities if e not in low],
                             self.aliases)


def _idf(vocab, token: str, evidence: str) -> float:
    """IDF in the KB; a word the KB never tokenised but the evidence holds weighs most; else 0."""
    chunks = int(getattr(vocab, "chunks", 0) or 0) if vocab is not None else 0
    if chunks and vocab.doc_freq(token) > 0:
        return max(0.1, float(vocab.idf(token)))
    if token in evidence:
        return math.log((chunks + 1) / 0.5) if chunks else 3.0
    return 0.0 if chunks else 1.0


def _entities(question: str, vocab) -> list[str]:
    """Lexicon and cloud terms of the question that name a thing: one word (a quoted error message
    like "out of memory" is a symptom), not a symptom word, not a generic word."""
    low = question.lower()
    lexicon = set(getattr(vocab, "lexicon", set()) or set()) | set(CLOUD_TERMS)
    found = [t for t in lexicon if len(t) >= 2 and t in low and t not in _NOT_ENTITY and t not in GENERIC]
    found = [t for t in found if (re.search(r"[a-z\u4e00-\u9fff]", t) or len(t) >= 3) and " " not in t]
    return sorted({t for t in found if not any(t != o and t in o for o in found)}, key=low.find)


def question_terms(question: str, query: str = "", vocab=None, evidence: Iterable[str] = ()) -> QuestionTerms:
    """Weighted terms of a question (and of its expanded retrieval query); an English question's
    terms are its documentation words (graph.crosslingual.in_base_words)."""
    question = in_base_words(question, vocab)
    corpus = " ".join(evidence).lower()
    weights: dict[str, float] = {}
    for token in content_tokens(question, vocab):  # as the base's index cuts it ("数据盘" whole)
        if token not in GENERIC:
            weights[token] = _idf(vocab, token, corpus)
    for number in _NUMBER_UNIT.findall(question):  # "500G", "2核" -> "500", "2" as written in the documents
        if number not in weights and len(number) >= 2:
            weights[number] = _idf(vocab, number, corpus) or 1.0
    expanded: set[str] = set()
    for token in content_tokens(query, vocab) if query else []:
        if token not in GENERIC and token not in weights and not any(token in t for t in weights):
            weights[token] = EXPANSION_WEIGHT * _idf(vocab, token, corpus)
            expanded.add(token)
    kept = {t: w for t, w in weights.items() if w > 0}
    entities = _entities(question, vocab)
    return QuestionTerms(kept, expanded & set(kept), entities, {e: _aliases(e, vocab) for e in entities})


ALIAS_SHARE = 0.6
CODE_BOOST = 1.5


def _aliases(entity: str, vocab) -> set[str]:
    """Product-like lexicon names in at least ALIAS_SHARE of the chunks that mention the entity
    ("rds" is written "RDS MySQL": mysql), so a section about MySQL counts as naming it."""
    postings = getattr(vocab, "postings", None)
    docs = postings.get(entity) if postings else None
    if not docs or not postings:
        return set()
    out = set()
    for term in getattr(vocab, "lexicon", ()) or ():
        if term == entity or len(term) < 3 or term in _NOT_ENTITY or term in GENERIC or not re.fullmatch(r"[a-z][a-z0-9.-]+", term):
            continue  # product-like names only (mysql, clb), never a generic word
        others = postings.get(term)
        if others and len(others) > len(docs) and len(docs & others) >= ALIAS_SHARE * len(docs):
            out.add(term)
    return out


_ERROR_NUMBER = re.compile(r"^error_?(\d{3,5})$")
_CODE_NAMED = re.compile(r"(?:error|errno|err|code)(?:\s{0,2}number)?[\s:：#]{0,3}(\d{3,5})(?!\d)")
"""A number a text gives as an error code ("error number: 9005", "error 9005"): a question's bare "9005" names it."""


def found(term: str, low: str) -> bool:
    """A term in lower-cased text; the tokenizer's "error_1062" also matches "error 1062", and the
    code's number alone ("错误代码为 8141 的错误"), not inside a longer number."""
    if term in low or ("_" in term and term.replace("_", " ") in low):
        return True
    code = _ERROR_NUMBER.match(term)
    return bool(code) and re.search(rf"(?<!\d){code.group(1)}(?!\d)", low) is not None  # type: ignore[union-attr]


def coverage(terms: QuestionTerms, text: str) -> float:
    """Weighted share of the question's terms found in the text (0 when the question has none)."""
    total = terms.total
    if total <= 0:
        return 0.0
    low = (text or "").lower()
    return sum(w for t, w in terms.weights.items() if found(t, low)) / total


def context_of(passage: Mapping[str, Any], via: bool = True) -> str:
    """Where a passage sits: product and title (the index's first line), heading path, the FAQ entry's
    question, and for a section evidence added by the document's structure (its causes list, a step
    a matching sentence points to) the text that led to it (`meta.via`)."""
    meta = passage.get("meta") or {}
    indexed = str(meta.get("indexed_text") or "").split("\n", 1)[0]
    return " ".join([indexed, passage.get("title") or "", *(passage.get("heading_path") or []),
                     str(meta.get("question") or ""), str(meta.get("via") or "") if via else ""])


def with_context(passage: Mapping[str, Any], via: bool = True) -> str:
    """The passage's text after where it sits (`context_of`): what coverage and topic checks read."""
    return f"{context_of(passage, via)} {passage.get('text') or ''}"


def title_context(passage: Mapping[str, Any]) -> str:
    """The document's product and title (what the whole document is about), without section headings."""
    indexed = str((passage.get("meta") or {}).get("indexed_text") or "").split("\n", 1)[0]
    title = passage.get("title") or ""
    parts = indexed.split(" > ")
    head = parts[: parts.index(title) + 1] if title in parts else [title]
    return " ".join(head)


def names_entity(terms: QuestionTerms, text: str) -> bool:
    """The text names one of the things the question is about, or the error code it quotes (True
    when it names none)."""
    low = (text or "").lower()
    return not terms.entities or any(found(e, low) or any(a in low for a in terms.aliases.get(e, ()))
                                     for e in terms.entities) \
        or any(found(c, low) for c in terms.weights if _ERROR_NUMBER.match(c)) \
        or bool(set(_CODE_NAMED.findall(low)).intersection(c for c in terms.weights if c.isdigit()))  # the code asked about


def names_or_declares(terms: QuestionTerms, text: str, passage: Mapping[str, Any] | None) -> bool:
    """`names_entity` on the text, or on the names its document declares (front-matter product and
    tags, `meta.doc_tags`: "rds" in the tags of a page whose text says 云数据库 MySQL)."""
    if names_entity(terms, text):
        return True
    declared = declared_names(passage or {})
    return bool(declared) and names_entity(terms, declared)


def declared_names(passage: Mapping[str, Any]) -> str:
    """The names the passage's document declares (front-matter product and tags, `meta.doc_tags`), joined."""
    return " ".join(str(t) for t in ((passage.get("meta") or {}).get("doc_tags") or ()))


def on_topic(terms: QuestionTerms, sentence: str, passage: Mapping[str, Any] | None) -> bool:
    """The sentence, read where it sits, is about what was asked (see the module docstring).

    It must name what the question is about (or an alias); then either its passage covers
    STRONG_PASSAGE of the question, or it covers ON_TOPIC_MIN itself — RELATIVE_MIN of what its
    passage covers when that is lower (a long, chatty question leaves each sentence few words)."""
    if terms.total <= 0:
        return True
    where = context_of(passage or {})
    text = f"{sentence} {where}"
    whole = coverage(terms, f"{where} {(passage or {}).get('text') or ''}")
    if not names_or_declares(terms, text, passage):
        return False
    return whole >= STRONG_PASSAGE or coverage(terms, text) >= min(ON_TOPIC_MIN, RELATIVE_MIN * whole)
