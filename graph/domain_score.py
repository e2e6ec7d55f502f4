"""Is a message about the loaded knowledge? The guard's evidence and its combined score.

Evidence (each in [0, 1]):
- coverage: share of the message's content tokens the KB's vocabulary knows, each weighted by
  what it says about the topic (graph.word_class: "充了一万 只用了两千" says nothing, "发票"
  does) ("云朵为什么是白色的" -> 0, "504了" -> 1, "证书考试怎么报名" -> 0.4);
- lexicon: whether a domain term mined from the KB (or a built-in cloud term) appears;
- retrieval: the best dense similarity of the message to a KB passage.
The weights and threshold come from `GraphSettings` (calibrated by
benchmarks/calibrate_guard.py). Used by the guard node, the route node (per
sub-question) and the calibration script.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from graph.config import GraphSettings
from graph.vocabulary import KBVocabulary, tokenize
from graph.word_class import glued_words, topic_weight

# Terse support messages carry mostly codes and numbers ("504了", "CPU 100%").
_CODE = re.compile(r"^(?:[1-5]\d\d|\d+%?|[a-z]+\d[a-z\d]*|0x[0-9a-f]+)$")  # \d then [a-z\d]*: one way to split
_CJK_OR_WORD = re.compile(r"[\w\u4e00-\u9fff]")
_ASCII_TOKEN = re.compile(r"^[\x00-\x7f]+$")
# General cloud-support vocabulary that holds whatever KB is loaded.
CLOUD_TERMS = (
    "云服务器", "实例", "安全组", "负载均衡", "带宽", "公网", "内网", "私有网络", "子网", "vpc",
    "ssh", "rdp", "端口", "防火墙", "dns", "域名", "ssl", "https", "证书", "证书过期", "cpu", "内存", "磁盘",
    "云盘", "快照", "镜像", "数据库", "mysql", "redis", "rds", "超时", "报错", "错误码", "延迟",
    "丢包", "ping", "连不上", "无法连接", "重启", "宕机", "扩容", "监控", "告警", "日志", "集群",
    "节点", "k8s", "kubernetes", "pod", "容器", "tidb", "istio", "nginx", "502", "503", "504",
)
# What the guard also counts as a support desk's words (accounts and billing are half of its
# questions); only the guard's: split and relevance keep CLOUD_TERMS as things to answer about.
DESK_TERMS = CLOUD_TERMS + (
    "服务器", "主机", "账号", "账户", "账单", "发票", "欠费", "充值", "续费", "计费", "费用", "余额", "工单",
)
# Older variant spellings users still type (帐号 for 账号): read as the documentation writes them.
_VARIANTS = {"帐号": "账号", "帐户": "账户", "帐单": "账单", "帐务": "账务"}
_VARIANT = re.compile("|".join(_VARIANTS))


def standard_spelling(text: str) -> str:
    return _VARIANT.sub(lambda m: _VARIANTS[m.group(0)], text)
# Cloud terms that name a symptom rather than a thing (never a question's subject).
SYMPTOM_TERMS = ("超时", "报错", "错误码", "延迟", "丢包", "连不上", "无法连接", "重启", "宕机", "扩容",
                 "监控", "告警", "日志", "证书过期")


@dataclass
class DomainEvidence:
    """What the guard saw, and the combined score."""

    coverage: float
    weighted: float
    """Coverage with each token weighted by its IDF (unknown words weigh most)."""
    lexicon: float
    retrieval: float
    tokens: list[str]
    model: float | None = None

    def score(self, settings: GraphSettings) -> float:
        w = settings.guard_weights
        total = sum(w.values()) or 1.0
        det = (w.get("coverage", 0) * self.coverage + w.get("weighted", 0) * self.weighted
               + w.get("lexicon", 0) * self.lexicon + w.get("retrieval", 0) * self.retrieval) / total
        if self.model is None:
            return det
        mw = settings.guard_model_weight
        return (1 - mw) * det + mw * self.model

    def to_json(self, settings: GraphSettings) -> dict:
        return {
            "coverage": round(self.coverage, 3),
            "weighted": round(self.weighted, 3),
            "lexicon": round(self.lexicon, 3),
            "retrieval": round(self.retrieval, 3),
            "model": self.model,
            "score": round(self.score(settings), 3),
        }


def content_tokens(text: str, vocab: KBVocabulary | None = None) -> list[str]:
    """Tokens that carry meaning: no punctuation, no lone CJK characters, and none of the
    pieces jieba's search mode adds inside a longer word (服务/务器 of 云服务器).
    With a KB's vocabulary, tokens are made as that KB's index makes them."""
    out: list[str] = []
    text = standard_spelling(text)
    for tok in (vocab.tokenize(text) if vocab is not None else tokenize(text)):
        tok = tok.strip().lower()
        if not tok or not _CJK_OR_WORD.search(tok):
            continue
        if len(tok) == 1 and not tok.isdigit():
            continue
        out.append(tok)
    unique = list(dict.fromkeys(out))
    return [t for t in unique if not any(t != o and t in o for o in unique)]


def known_to_base(token: str, vocab: KBVocabulary) -> bool:
    """Known to the KB, a code the KB has, a colloquial word of graph/synonyms.yaml (扣钱, 连不上), or
    a compound the tokenizer glued from words the KB knows ("机器配置": 机器 + 配置)."""
    from graph.expansion import synonyms

    if (vocab.knows(token) or bool(_CODE.match(token) and vocab.knows(token.rstrip("%")))
            or any(token in word or word in token for word in synonyms() if len(word) >= 2)):
        return True
    words = glued_words(token)
    return len(words) >= 2 and all(vocab.knows(w) for w in words)


def _weights(tokens: list[str]) -> list[float]:
    """Topic weight of each token (graph.word_class); a message of function words only ("收多少",
    "怎么加") is weighed as it is, all tokens alike, so it is judged by what little it has."""
    weights = [topic_weight(t) for t in tokens]
    return weights if any(weights) else [1.0] * len(tokens)


def coverage(tokens: list[str], vocab: KBVocabulary) -> float:
    """Share of the message's topic the KB knows: tokens weighted by what they say about the topic
    (nouns and names 1, verbs 0.5, numerals/pronouns/particles 0); codes count when the KB has them."""
    if not tokens:
        return 0.0
    weights = _weights(tokens)
    return sum(w for t, w in zip(tokens, weights) if known_to_base(t, vocab)) / sum(weights)


def weighted_coverage(tokens: list[str], vocab: KBVocabulary) -> float:
    """IDF-weighted share of known tokens: one unknown rare word ("饮食法") outweighs a common known one."""
    if not tokens:
        return 0.0
    weights = [(vocab.idf(t) * w, known_to_base(t, vocab)) for t, w in zip(tokens, _weights(tokens))]
    total = sum(w for w, _ in weights) or 1.0
    return sum(w for w, known in weights if known) / total


def unknown_topic(tokens: list[str], vocab: KBVocabulary) -> list[str]:
    """Tokens naming a topic (weight 1) that the KB does not know ("天气" in "这周末天气怎么样")."""
    return [t for t in tokens if topic_weight(t) >= 1.0 and not known_to_base(t, vocab)]


def one_known_word(tokens: list[str], vocab: KBVocabulary, text: str) -> bool:
    """Is one word all the message shares with the base, while what it does, and to what, the base never
    writes ("容器种植西红柿怎么浇水": 容器 only; 种植 西红柿 is a verb and its object, both unknown)?
    A passage that matches the message then matches that one word, in another sense."""
    known = [t for t in tokens if topic_weight(t) > 0 and known_to_base(t, vocab)]
    return len(known) == 1 and any(
        0 < topic_weight(verb) < 1.0 and not known_to_base(verb, vocab) and topic_weight(obj) >= 1.0
        and not known_to_base(obj, vocab) and not _ASCII_TOKEN.match(obj) for verb, obj in noun_pairs(text, tokens))


def names_known_thing(tokens: list[str], vocab: KBVocabulary, text: str = "") -> bool:
    """Does the message name a thing (a noun or name) the KB knows? Without one, a passage that merely
    shares its verbs and adjectives ("孩子三岁了还不会说话正常吗" vs VNC's "属于正常现象") proves nothing.
    With the text, a known noun that only modifies a noun the KB does not know names nothing of
    the base's: the phrase is about its head ("集群舞蹈比赛" is a 比赛, "备份的钥匙" a 钥匙)."""
    def thing(word: str) -> bool:
        return topic_weight(word) >= 1.0 and known_to_base(word, vocab)

    modifiers = modifying_unknown_heads(text, tokens, vocab) if text else set()
    return any((thing(t) or (known_to_base(t, vocab) and any(thing(w) for w in glued_words(t)))) and t not in modifiers
               for t in tokens)


def about_unknown_head(tokens: list[str], vocab: KBVocabulary, text: str) -> bool:
    """Is every known thing of the message only a modifier of a noun the KB does not know ("证书考试",
    "负载均衡饮食法")? Then a runbook's trigger word in it is no request for that flow either."""
    return bool(modifying_unknown_heads(text, tokens, vocab)) and not names_known_thing(tokens, vocab, text)


_LATIN_TERM = re.compile(r"^[a-z][a-z\d.+-]*$")
"""A technical term as written in Latin letters: a protocol, a standard, a tool ("ipv6", "http3", "webdav")."""


def latin_terms_beside_subject(tokens: list[str], vocab: KBVocabulary, text: str) -> list[str]:
    """The unknown Latin terms of a message about one of the base's own things ("云服务器怎么配置 ipv6",
    "负载均衡能转发 grpc 吗"): it names a thing the base knows, not as the modifier of an unknown
    Chinese head, and every word of it the base does not know is a technical term written in Latin
    letters. Such a message asks the base about a feature of its own subject, which it may not cover:
    that is a question to answer as not found, not one to refuse. Empty when the message has an
    unknown Chinese word ("负载均衡训练法", "期末考试"): that word may be its real topic."""
    unknown = [t for t in tokens if topic_weight(t) > 0 and not known_to_base(t, vocab)]
    if not unknown or not all(_LATIN_TERM.match(t) for t in unknown):
        return []
    return unknown if names_known_thing(tokens, vocab, text) else []


def modifying_unknown_heads(text: str, tokens: list[str], vocab: KBVocabulary) -> set[str]:
    """Known nouns that stand right before a Chinese noun the KB does not know, touching it or joined
    by 的: in a Chinese noun phrase the last noun is the head, the ones before it say what kind."""
    out = set()
    for tok, head in noun_pairs(text, tokens):
        thing = topic_weight(tok) >= 1.0 or tok in vocab.lexicon  # a noun, or a term mined from the base
        if (thing and known_to_base(tok, vocab) and not _ASCII_TOKEN.match(head)
                and topic_weight(head) >= 1.0 and not known_to_base(head, vocab)):
            out.add(tok)
    return out


def noun_pairs(text: str, tokens: list[str]) -> list[tuple[str, str]]:
    """Neighbouring content tokens that touch or are joined by 的, also after a place word ("集群舞蹈",
    "备份的钥匙", "硬盘里的照片"): where one can say what kind the next is, whose, or where it is."""
    low, placed, at = standard_spelling(text.lower()), [], 0
    for tok in tokens:  # content tokens in text order; sub-pieces were dropped
        found = low.find(tok, at)
        if found < 0:
            continue
        placed.append((found, found + len(tok), tok))
        at = found + len(tok)
    return [(tok, head) for (_, end, tok), (start, _, head) in zip(placed, placed[1:]) if low[end:start] in _JOINS]


_JOINS = ("", "的", "里的", "上的", "中的", "内的")
"""What joins a noun to the noun it qualifies: nothing, 的, or a place word and 的 ("硬盘里的照片" is a 照片)."""


def lexicon_hit(text: str, vocab: KBVocabulary) -> float:
    """1 when the text names a domain term of the KB: mined at ingest, or a general cloud term the
    KB's own text uses (a Kubernetes base does not make "云服务器" in-domain)."""
    low = standard_spelling(text.lower())
    if vocab.lexicon_terms_in(low):
        return 1.0
    return 1.0 if any(term in low and vocab.knows(term) for term in DESK_TERMS) else 0.0


def retrieval_evidence(passages: list[Any]) -> float:
    """Best dense similarity among retrieved passages (0 when none)."""
    best = 0.0
    for p in passages:
        value = p.dense_score if p.dense_score is not None else 0.0
        best = max(best, float(value))
    return max(0.0, min(1.0, best))


def gather_evidence(text: str, vocab: KBVocabulary, passages: list[Any]) -> DomainEvidence:
    tokens = content_tokens(text, vocab)
    named = text.lower()
    for modifier in modifying_unknown_heads(text, tokens, vocab):  # "集群舞蹈比赛" names no 集群
        named = named.replace(modifier, " ")
    return DomainEvidence(
        coverage=coverage(tokens, vocab),
        weighted=weighted_coverage(tokens, vocab),
        lexicon=lexicon_hit(named, vocab),
        retrieval=retrieval_evidence(passages),
        tokens=tokens,
    )


def parse_model_verdict(output: str) -> float | None:
    """IN -> 1.0, OUT -> 0.0, anything else unusable (None)."""
    head = output.strip().upper()
    if head.startswith("IN") or head.startswith("是"):
        return 1.0
    if head.startswith("OUT") or head.startswith("否"):
        return 0.0
    return None
