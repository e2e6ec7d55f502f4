"""What a question is about, by name: a rare subject the base seldom writes (rare_subject), names
the base never uses (unknown_terms), and pages that never mention a name the question gives
(off_subject). Tests: tests/knowledge/test_word_forms.py, test_page_choice.py.
"""

from __future__ import annotations

import re
from typing import Callable, Collection, Iterable

from knowledge.types import Passage

_NAME = re.compile(r"[a-z][a-z-]{2,}")


RARE_SUBJECT = 0.02
"""Share of a base's chunks below which a name the question asks about is a rare subject."""
ALIAS_SHARE = 0.6
"""A name in this share of the chunks that write a rare subject stands for it ("RDS MySQL")."""


_INSTRUMENT = re.compile(r"(?:用|拿|借助|通过)\s?([a-z][a-z-]{2,})|([a-z][a-z-]{2,})\s?(?:sdk|脚本|代码|写的)",
                         re.IGNORECASE)
"""A name the question works with, not about: after 用/拿/借助/通过 ("用 python 拼签名"), or the
language of an SDK, a script or code ("java sdk", "golang 写的程序")."""


def instrument_names(query: str) -> set[str]:
    """Names of the tools a question says it uses (lower case, as index tokens)."""
    return {(m.group(1) or m.group(2)).lower() for m in _INSTRUMENT.finditer(query)}


def rare_subject(query_tokens: list[str], counts: dict[str, int], total: int,
                 quoted: Collection[str] = (), tools: Collection[str] = ()) -> str | None:
    """The name the question is about when the base writes it rarely: the question's rarest known
    token, product-like ("redis", "kworker"), in at most RARE_SUBJECT of the chunks. A passage
    whose document does not name it answers about something else ("Redis 集群怎么扩容" vs the cloud-disk
    扩容 page). Names the question `quoted` (identifiers: error codes, states such as
    DataIsNotReady) are what went wrong, not what it is about: never a subject; nor are the `tools`
    it works with (instrument_names: "用 python 拼签名" asks about the signature, not about python)."""
    known = [t for t in dict.fromkeys(query_tokens) if counts.get(t, 0) > 0 and t not in tools]
    if not known:
        return None
    rarest = min(known, key=lambda t: counts[t])
    if not _NAME.fullmatch(rarest) or any(rarest in q for q in quoted):  # a part of a quoted code too
        return None
    return rarest if counts[rarest] <= RARE_SUBJECT * total else None


def is_name(token: str) -> bool:
    """A product-like name as the index holds it: letters (and hyphens), at least three."""
    return bool(_NAME.fullmatch(token))


_VERSIONED = re.compile(r"([a-z]{2,})\d")
"""A name with a one-digit version ("ipv6", "http3"): a standard's name when its stem is no word either."""


def versioned_stems(tokens: Iterable[str]) -> list[str]:
    """The stems of the question's versioned names, whose counts unknown_terms needs ("ipv" of "ipv6")."""
    return [m.group(1) for m in map(_VERSIONED.fullmatch, tokens) if m]


def _new_name(token: str, counts: dict[str, int]) -> bool:
    """A name the base never uses: letters only, or a versioned name whose stem the base never writes
    either ("ipv6"; "centos7" is a version of the base's "centos", "node3" a host of its "node")."""
    if counts.get(token, 0) > 0:
        return False
    versioned = _VERSIONED.fullmatch(token)
    return bool(_NAME.fullmatch(token)) or (versioned is not None and counts.get(versioned.group(1), 0) == 0)


def unknown_terms(query: str, counts: dict[str, int], tokenize: Callable[[str], list[str]]) -> list[str]:
    """Names in the question the base never uses ("vGPU", "ipv6"), as written; identifiers with digits,
    dots or underscores (hosts, error codes, keys) are the user's own and not reported. `counts` must
    hold the stems of its versioned names (versioned_stems)."""
    found = []
    for token in dict.fromkeys(tokenize(query)):
        if _new_name(token, counts):
            written = re.search(rf"(?<![\w.]){re.escape(token)}(?![\w.])", query, re.IGNORECASE)
            if written:
                found.append(written.group(0))
    return found


def off_subject(passages: list[Passage], names: Iterable[str], mentions: Callable[[Passage, str], bool]) -> list[Passage]:
    """Unmatch the document passages whose page never mentions a name the question gives (`names`:
    the base files pages under it — a product folder such as tidb-docs-cn, docs/mysql), when some
    matched page does: a Kubernetes page matching "口令 忘了 连不进" by its words does not answer
    "连不进 tidb". FAQ entries stay (an entry seldom repeats its product). Returns the unmatched."""
    out: list[Passage] = []
    for p in passages:
        p.meta.pop("off_subject", None)
    for name in names:
        matched = [p for p in passages if p.meta.get("match")]
        if not any(mentions(p, name) for p in matched):
            continue
        for p in matched:
            if p.kind != "faq" and not mentions(p, name):
                p.meta.pop("match", None)
                p.meta["off_subject"] = name
                out.append(p)
    return out
