"""Selection: keep the best few passages that carry real evidence for the question.

Evidence of a passage (knowledge.calibration measures what each must reach in a base):
- share: the IDF-weighted share of the question's tokens found in its indexed text;
- mass: the IDF sum of those tokens (spoken words the base never uses do not lower it);
- cosine: its dense similarity, when it has one;
- names: the exact names the question quotes (ImagePullBackOff, SCS.QuotaExceeded) that it holds:
  enough for a "partial" match whatever the bars say.
With a calibration (every base big enough, see KnowledgeService), each passage is judged
against the bars of its chunk class: `meta["match"]` = "strong" (no hedge needed),
"partial" (relevant, the answer says the match is partial) or absent (not kept).
Without one (a tiny base, or `select_calibration` off), the fixed thresholds of
KnowledgeSettings apply to `meta["relevance"]` (the larger of share and the dense
similarity rescaled above `DENSE_FLOOR`), the demo base's calibration; kept passages are
"strong". Output order: fused score, most relevant LAST (nearest the question).
"""

from __future__ import annotations

import math
import re
from typing import Callable, Collection, Container, Iterable, Mapping, Protocol

from knowledge.types import Passage

DENSE_FLOOR = 0.80
_NAME = re.compile(r"[a-z][a-z-]{2,}")
_IDENTIFIER = re.compile(r"(?<![\w.])(?:[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]+){2,}|"
                         r"[A-Za-z][A-Za-z0-9]*(?:[._][A-Za-z][A-Za-z0-9]*)+)(?![\w.])")


class BarsLike(Protocol):
    share: float

    def passed(self, share: float, mass: float, cosine: float | None) -> bool: ...


class SelectionRule(Protocol):
    """What selection needs of a knowledge.calibration.Calibration."""

    def bars(self, klass: str, strong: bool = False) -> BarsLike: ...


def coverage(query_tokens: list[str], passage_tokens: set[str], idf: Callable[[str], float],
             credit: Callable[[str], float] | None = None) -> float:
    """IDF-weighted fraction of distinct query tokens present in the passage (`credit`: what a
    present token earns, when not its full IDF)."""
    distinct = list(dict.fromkeys(query_tokens))
    total = sum(idf(t) for t in distinct)
    if total <= 0:
        return 0.0
    return sum((credit or idf)(t) for t in distinct if t in passage_tokens) / total


def matched_mass(query_tokens: list[str], passage_tokens: set[str], idf: Callable[[str], float],
                 credit: Callable[[str], float] | None = None) -> float:
    """IDF mass of the distinct query tokens in the passage; a token inside a longer matched
    one (jieba's search mode cuts 云服务器 into 服务, 服务器 …) is not counted twice."""
    matched = [t for t in dict.fromkeys(query_tokens) if t in passage_tokens]
    return sum((credit or idf)(t) for t in matched if not any(t != u and t in u for u in matched))


def chunk_class(kind: str, heading_path: Iterable[str], title: str = "") -> str:
    """faq (FAQ entry, a question-headed section, or the lead of a page titled with a question:
    one FAQ answer per file), overview (a page's lead section) or specific (a deeper section,
    or a table row: a table is specific wherever it sits)."""
    heads = [h for h in heading_path if h]
    asked = heads[-1] if heads else (title if kind != "table" else "")
    if kind == "faq" or asked.rstrip().endswith(("？", "?")):
        return "faq"
    return "overview" if not heads and kind != "table" else "specific"


def dense_relevance(cosine: float | None) -> float:
    if cosine is None:
        return 0.0
    return max(0.0, min(1.0, (cosine - DENSE_FLOOR) / (1.0 - DENSE_FLOOR)))


def idf_from_counts(total: int, counts: dict[str, int]) -> Callable[[str], float]:
    def idf(token: str) -> float:
        df = counts.get(token, 0)
        return math.log(1.0 + (total - df + 0.5) / (df + 0.5))

    return idf


_CODE = re.compile(r"(?<![\w.])[A-Za-z]{2,}\d{3,}(?![\w.])")
_NUMBER_CODE = re.compile(r"(?:error|errno|err|code|错误码|错误|报错|报|返回|状态码)[\s:：]{0,3}(\d{3,5})(?![\d.])", re.I)


def error_codes(query: str) -> set[str]:
    """The error codes a question quotes, as index tokens: letters then digits (IST0161, HY000) and a
    number after an error word ("ERROR 2003", "报 1290", "返回 403")."""
    return {m.group(0).lower() for m in _CODE.finditer(query)} | {m.group(1) for m in _NUMBER_CODE.finditer(query)}


def identifiers(query: str) -> set[str]:
    """The exact names a question quotes, as index tokens: CamelCase words of three or more humps
    (RequestTimeTooSkewed, ImagePullBackOff; not product names like MySQL, TiDB), dotted or
    underscored codes and keys (SCS.QuotaExceeded, ERR_TOO_MANY_REDIRECTS, tidb_gc_life_time; not
    versions like v1.2). A page reaches one of them by chance almost never."""
    return {m.group(0).lower() for m in _IDENTIFIER.finditer(query)}


def held_tokens(query_tokens: list[str], words: set[str], text: str, forms: Mapping[str, Iterable[str]],
                in_text: Container[str] = ()) -> set[str]:
    """The question's tokens a passage holds: as indexed, as one of the token's word forms
    (knowledge.query_terms.WordForms: "忘" as 忘记), or, for the tokens `in_text` (rare Chinese
    words: "改过"), anywhere in its lower-cased text ("修改过")."""
    return {t for t in query_tokens
            if t in words or any(f in words for f in forms.get(t, ())) or (t in in_text and t in text)}


def score_relevance(query: str, passages: list[Passage], idf: Callable[[str], float],
                    tokenize: Callable[[str], list[str]], indexed: dict[str, list[str]] | None = None,
                    forms: Mapping[str, Iterable[str]] | None = None, in_text: Container[str] = (),
                    form_idf: Callable[[str], float] | None = None) -> dict[str, set[str]]:
    """Fill meta["relevance"] (0..1), meta["evidence"] ({share, mass, and `names` when the passage
    holds a name the question quotes}) and meta["class"] of each passage.

    `tokenize`: the passages' base's tokenizer; `indexed`: the passages' tokens as the index
    holds them, by chunk id (else tokenized here); `forms`, `in_text`: see held_tokens; a token
    held only in another form earns `form_idf` (what its forms weigh together), not its own IDF.
    Returns the question's tokens each passage holds, by chunk id.
    """
    q_tokens = tokenize(query)
    quoted = identifiers(query) | {c for c in error_codes(query) if not c.isdigit()}
    codes = error_codes(query)
    holding: dict[str, set[str]] = {}
    for p in passages:
        held = (indexed or {}).get(p.chunk_id)
        text = p.meta.get("indexed_text") or p.text
        words = set(held) if held is not None else set(tokenize(text))
        credit = None
        if forms or in_text:
            loose = held_tokens(q_tokens, words, text.lower(), forms or {}, in_text) - words
            words |= loose
            if form_idf is not None and loose:
                credit = (lambda t, loose=loose: min(idf(t), form_idf(t)) if t in loose else idf(t))
        share = coverage(q_tokens, words, idf, credit)
        holding[p.chunk_id] = words & set(q_tokens)
        p.meta["evidence"] = {"share": round(share, 4), "mass": round(matched_mass(q_tokens, words, idf, credit), 3)}
        if quoted & words:
            p.meta["evidence"]["names"] = sorted(quoted & words)
        titled = codes & set(tokenize(" ".join([p.title, *p.heading_path, p.source.replace("/", " ")])))
        if titled:  # the page or section is about the error the question quotes
            p.meta["evidence"]["titled"] = sorted(titled)
        p.meta["class"] = chunk_class(p.kind, p.heading_path, p.title)
        p.meta["relevance"] = round(max(share, dense_relevance(p.dense_score)), 4)
    return holding


RARE_SUBJECT = 0.02
"""Share of a base's chunks below which a name the question asks about is a rare subject."""
ALIAS_SHARE = 0.6
"""A name in this share of the chunks that write a rare subject stands for it ("RDS MySQL")."""


def rare_subject(query_tokens: list[str], counts: dict[str, int], total: int,
                 quoted: Collection[str] = ()) -> str | None:
    """The name the question is about when the base writes it rarely: the question's rarest known
    token, product-like ("redis", "kworker"), in at most RARE_SUBJECT of the chunks. A passage
    whose document does not name it answers about something else ("Redis 集群怎么扩容" vs the cloud-disk
    扩容 page). Names the question `quoted` (identifiers: error codes, states such as
    DataIsNotReady) are what went wrong, not what it is about: never a subject."""
    known = [t for t in dict.fromkeys(query_tokens) if counts.get(t, 0) > 0]
    if not known:
        return None
    rarest = min(known, key=lambda t: counts[t])
    if not _NAME.fullmatch(rarest) or any(rarest in q for q in quoted):  # a part of a quoted code too
        return None
    return rarest if counts[rarest] <= RARE_SUBJECT * total else None


def is_name(token: str) -> bool:
    """A product-like name as the index holds it: letters (and hyphens), at least three."""
    return bool(_NAME.fullmatch(token))


def unknown_terms(query: str, counts: dict[str, int], tokenize: Callable[[str], list[str]]) -> list[str]:
    """Names in the question the base never uses ("vGPU"), as written; identifiers with digits,
    dots or underscores (hosts, error codes, keys) are the user's own and not reported."""
    found = []
    for token in dict.fromkeys(tokenize(query)):
        if counts.get(token, 0) == 0 and _NAME.fullmatch(token):
            written = re.search(rf"(?<![\w.]){re.escape(token)}(?![\w.])", query, re.IGNORECASE)
            if written:
                found.append(written.group(0))
    return found


def judge(passages: list[Passage], rule: SelectionRule) -> None:
    """Set meta["match"] ("strong" / "partial") of the passages that pass the calibrated bars."""
    for p in passages:
        p.meta.pop("match", None)
        evidence = p.meta.get("evidence") or {}
        share, mass = evidence.get("share", 0.0), evidence.get("mass", 0.0)
        klass = p.meta.get("class") or chunk_class(p.kind, p.heading_path, p.title)
        strong = rule.bars(klass, strong=True)
        if evidence.get("titled") and rule.bars(klass).passed(share, mass, p.dense_score):
            p.meta["match"] = "strong"  # relevant, and about the very error the question quotes
            p.meta["evidence"]["full_share_only"] = False
        elif strong.passed(share, mass, p.dense_score):
            p.meta["match"] = "strong"
            # a strong bar at full share is saturated (a short question's words are all in many an
            # unrelated section): reaching it says less than reaching the mass or cosine bar
            p.meta["evidence"]["full_share_only"] = strong.passed(share, 0.0, None) and \
                not strong.passed(0.0, mass, p.dense_score) and strong.share >= 1.0
        elif rule.bars(klass).passed(share, mass, p.dense_score) or evidence.get("names") or evidence.get("titled"):
            p.meta["match"] = "partial"  # a name the question quotes exactly is evidence whatever else it says


ADDS_LITTLE = 0.1
"""Share of a passage's matched IDF below which the words it holds beyond a sibling page add nothing."""


def page_of(p: Passage) -> tuple[str, str]:
    """What counts as one page: a document, or one FAQ entry (an FAQ file is a list of pages)."""
    return (p.kb, p.chunk_id if p.kind == "faq" else p.source)


def folder(source: str) -> str:
    return source.rsplit("/", 1)[0] if "/" in source else ""


def drop_dominated(passages: list[Passage], holding: Mapping[str, set[str]], query_tokens: list[str],
                   idf: Callable[[str], float], title_words: Callable[[Passage], set[str]]) -> list[Passage]:
    """Unmatch the passages of a page that a sibling page outdoes. Two pages of one folder (one
    product) compete for the same words ("df 还是 100G" on the expand-disk page and in the FAQ of
    the mount-a-new-disk page), and the wrong one's steps mislead (mkfs on a disk with data).
    Sibling A outdoes page B when A's kept passages hold every question word B's passage holds
    (but ADDS_LITTLE of that passage's matched IDF), A is a sure match (strong, not by a saturated
    share alone), and A's title (`title_words`: the question's words it holds) names more of the
    question than B's (the page about the user's situation: 扩容 vs 数据盘), or as much while A
    covers more. Only strong matches are left out (they compete for leading the answer). A passage
    that brings its own words (the second part of a question, the other side of a comparison)
    stays, and so do question entries (FAQ entries, question-headed sections: a short answer to
    their own question). Marks them meta["outdone"] and returns them:
    select_matched leaves them out without giving their places to passages ranked below them."""
    for p in passages:
        p.meta.pop("outdone", None)
    kept = [p for p in passages if p.meta.get("match")]

    def weight(words: set[str]) -> float:
        return sum(idf(t) for t in words if not any(t != u and t in u for u in words))

    words: dict[tuple[str, str], set[str]] = {}
    best: dict[tuple[str, str], float] = {}
    sure: set[tuple[str, str]] = set()
    titled: dict[tuple[str, str], float] = {}
    for p in kept:
        if p.kind == "faq":
            continue
        page = page_of(p)
        evidence = p.meta.get("evidence") or {}
        words.setdefault(page, set()).update(holding.get(p.chunk_id, ()))
        best[page] = max(best.get(page, 0.0), evidence.get("share", 0.0))
        if p.meta["match"] == "strong" and not evidence.get("full_share_only"):
            sure.add(page)
        titled.setdefault(page, weight(title_words(p)))
    dropped = []
    for p in kept:
        page = page_of(p)
        if p.kind == "faq" or p.meta.get("class") == "faq" or p.meta["match"] != "strong" or page not in words:
            continue  # (a partial match ranks below the strong ones already: it does not lead the answer)
        share = (p.meta.get("evidence") or {}).get("share", 0.0)
        own = holding.get(p.chunk_id, set())
        for other in sure - {page}:
            if folder(other[1]) != folder(page[1]):
                continue
            ahead = titled[other] > titled[page] or (titled[other] == titled[page]
                                                      and best[other] > max(share, best[page]))
            if ahead and weight(own - words[other]) <= ADDS_LITTLE * weight(own):
                dropped.append(p)
                break
    for p in dropped:
        p.meta["outdone"] = True
    return dropped


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


def match_tier(p: Passage) -> int:
    """-1: a passage whose title, heading or path names an error code the question quotes (evidence
    `titled`: the connection-failure page titled ERROR 2003 before the product overview); 0: a sure
    strong match; 1: a question entry (FAQ entry, question-headed section) strong by a
    saturated share alone: a short answer holding every word of the question, which a partial match
    of a long section does not outdo ("SSH 连接超时怎么办" vs a 504 table row holding 连接 超时);
    2: the other matches (partial, or a long section's saturated share). A where-question's passage
    showing the asked thing's menu path (knowledge.places) is -1 too."""
    if (p.meta.get("evidence") or {}).get("titled") or (p.meta.get("evidence") or {}).get("places"):
        return -1  # names the quoted error code in its title/heading, or shows where the asked thing is
    if p.meta.get("match") != "strong":
        return 2
    if not (p.meta.get("evidence") or {}).get("full_share_only"):
        return 0
    return 1 if p.meta.get("class") == "faq" else 2


def select_matched(passages: list[Passage], max_passages: int) -> list[Passage]:
    """The best `max_passages` judged passages, best last: by match_tier, then by fused score. A
    partial match (another page's chance hit, a page's third section) does not push out a strong
    entry ranked a little lower. A section strong only by a saturated share bar (evidence
    `full_share_only`) ranks with the partial ones."""
    kept = sorted((p for p in passages if p.meta.get("match")), key=lambda p: (match_tier(p), -p.score))
    return list(reversed([p for p in kept[:max_passages] if not p.meta.get("outdone")]))


def select_passages(passages: list[Passage], threshold: float, max_passages: int,
                    lexical_threshold: float | None = None) -> list[Passage]:
    """Fixed thresholds: best `max_passages` by fused score among those with relevance >= threshold, best last.

    Passages without a dense score (keyword evidence only) use `lexical_threshold` when given.
    """
    def bar(p: Passage) -> float:
        return threshold if p.dense_score is not None or lexical_threshold is None else lexical_threshold

    for p in passages:
        p.meta.pop("match", None)
    kept = [p for p in passages if p.meta.get("relevance", 0.0) >= bar(p)]
    for p in kept:
        p.meta["match"] = "strong"
    kept.sort(key=lambda p: p.score, reverse=True)
    return list(reversed(kept[:max_passages]))
