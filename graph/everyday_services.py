"""Questions about a consumer product or an everyday service, which a cloud support desk does not serve.

A game's top-up, a phone's data plan, a bank card, a parcel, an exam certificate, a utility bill or a
membership share the desk's words — 充值, 到账, 欠费, 续费, 账单, 余额, 账号, 密码, 内存, 延迟, 证书 —
so the vocabulary alone accepts "游戏充值了钻石一直没到账" or "水费账单怎么比上个月多". When a message
names such a service (`SERVICES`; a word the loaded base itself mines as a domain term is never one:
a game studio's base may well be about 游戏), those shared words (`SHARED`) say nothing about the
base: the message is the desk's only when it also names a domain term of the base beyond them
("安卓手机打开 https 说证书不受信任", "游戏服务器 cpu 一直 100%"), or when the base itself writes the
service's name beside another word of the message (a page on certificate chains names 微信小程序).
A shared possession owned by a noun the base never mentions ("加油卡余额") is such a service too.
Used by graph.domain_check.judge; tests: tests/graph/test_guard_services.py.
"""

from __future__ import annotations

import re
from functools import lru_cache

from graph.domain_score import CLOUD_TERMS, content_tokens, known_to_base, noun_pairs
from graph.spoken_words import spoken_words
from graph.vocabulary import KBVocabulary
from graph.word_class import PREDICATE, topic_weight

# Kinds of consumer products and everyday services, by what the desk's words collide with, and what
# they share with the desk: money, accounts, a device's resources, certificates, and how anything
# fails (with a service named, these words are the service's, not the base's): graph/synonyms.yaml.
SERVICES: dict[str, tuple[str, ...]] = {kind: tuple(names) for kind, names in spoken_words().everyday_services.items()}
SHARED: frozenset[str] = frozenset(spoken_words().shared_with_services)
_SHARED_LONGEST = sorted(SHARED, key=len, reverse=True)
_ASCII = re.compile(r"^[\x00-\x7f]+$")
POSSESSIONS: frozenset[str] = frozenset(spoken_words().possessions)
"""Shared words that belong to something: a thing the base never mentions right before one owns it
("加油卡余额", "普通话证书", "学籍账号"), as "云服务器的密码" is the base's. A token that starts with one
counts ("会计证书过期"); so does an owner jieba reads as half a verb ("加油卡": 加油 + 卡)."""
_POSSESSION_START = tuple(POSSESSIONS)


@lru_cache(maxsize=1)
def _services() -> tuple[str, ...]:
    return tuple(sorted({w.lower() for words in SERVICES.values() for w in words}, key=len, reverse=True))


def _occurs(term: str, low: str) -> bool:
    """An ASCII term as a whole word ("qq", not the qq of some longer name); a Chinese one anywhere."""
    if _ASCII.match(term):
        return re.search(rf"(?<![a-z0-9]){re.escape(term)}(?![a-z0-9])", low) is not None
    return term in low


def service_named(text: str, vocab: KBVocabulary) -> str | None:
    """The consumer product or everyday service a message names, unless the base itself mines it as a
    domain term ("游戏" on a game studio's base)."""
    low = text.lower()
    return next((w for w in _services() if w not in vocab.lexicon and _occurs(w, low)), None)


def outside_owner(text: str, vocab: KBVocabulary) -> str | None:
    """A noun the base never mentions that owns one of the shared possessions ("加油卡" of "加油卡余额怎么查",
    "普通话" of "普通话证书多久能拿到"): the possession is that thing's, not the base's."""
    tokens = content_tokens(text, vocab)
    return next((owner for owner, head in noun_pairs(text, tokens) if head.startswith(_POSSESSION_START)
                 and not _ASCII.match(owner) and topic_weight(owner) >= PREDICATE and not known_to_base(owner, vocab)),
                None)


def base_terms_beyond_shared(text: str, vocab: KBVocabulary) -> list[str]:
    """The base's domain terms (mined, or general cloud terms it uses) the message names other than the
    services' words and the words the desk shares with them: "https" in "安卓手机打开 https 说证书不受信任",
    "数据库" in "做外卖平台的 数据库连接数老是打满", none in "游戏账号被封了"."""
    low = text.lower()
    for word in _services():
        low = low.replace(word, " ")
    terms = {*vocab.lexicon, *(t for t in CLOUD_TERMS if vocab.knows(t))}
    return sorted((t for t in terms if len(t) >= 2 and _occurs(t, low) and not _shared_only(t)), key=len, reverse=True)


def _shared_only(term: str) -> bool:
    """A term made of shared words alone ("账号密码", "证书过期"): the service's as much as the base's."""
    for word in _SHARED_LONGEST:
        term = term.replace(word, "")
    return not term.strip()


def about_everyday_service(text: str, vocab: KBVocabulary, written: str | None = None) -> str | None:
    """The service (or outside owner) a message is about when it names one and no term of the base beyond
    the shared words: the desk's words in it are the service's ("游戏充值了钻石一直没到账" -> "游戏").
    `written` is the message as the guard reads it (typos fixed: "isito" -> "istio"); the service is
    looked for in both, since typo correction may turn a name the base lacks into one of its words."""
    written = written or text
    said, read = service_named(text, vocab), service_named(written, vocab)
    service = said or read or outside_owner(written, vocab)
    # a service's name the typo fixer turned into a word of the base ("steam" -> "steal") is no base term
    basis = text if said and not read else written
    if service is None or base_terms_beyond_shared(basis, vocab) or _in_the_bases_sense(service, basis, vocab):
        return None
    return service


def _in_the_bases_sense(service: str, text: str, vocab: KBVocabulary) -> bool:
    """Does the base itself write the service's name beside another word of the message, one beyond the
    words the desk shares with services unless the base mines it as a domain term ("游戏服务器内存…",
    not "游戏服务器维护到几点": its 维护 is the game's)? Then it is the base's topic there ("微信小程序提示证书不受信任": the certificate-chain page names 微信小程序 with
    证书; "运营商网络到机器延迟高"), not a consumer's bill or account ("微信账号登不上了")."""
    if not vocab.doc_freq(service):
        return False
    others = [t for t in content_tokens(text, vocab) if service not in t and t not in service and known_to_base(t, vocab)
              and (t in vocab.lexicon or not _shared_only(t))]  # a shared word counts as the base's own term only
    return bool(others) and vocab.association(service, others) > 0
