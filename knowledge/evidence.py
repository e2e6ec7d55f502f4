"""Evidence of a passage for a question: what selection (knowledge.select) judges.

- share: the IDF-weighted share of the question's tokens found in its indexed text;
- mass: the IDF sum of those tokens (spoken words the base never uses do not lower it); a compound
  written without its one-character modifier (云服务器 as 服务器) is held (headed_compounds);
- cosine: its dense similarity, when it has one (rescaled above DENSE_FLOOR);
- names: the exact names the question quotes (ImagePullBackOff, SCS.QuotaExceeded) that it holds;
- titled: an error code the question quotes in the page's title, heading or path;
- class: faq / overview / specific (chunk_class), whose bars knowledge.calibration measures.
A colloquial word the graph expanded (WordGroup: 连不上 -> 无法连接 …) counts once, held when the
passage holds the word or any of its terms: an alternative can raise the share, never lower it.
Tests: tests/knowledge/test_calibration.py, test_word_forms.py, test_page_choice.py, test_word_groups.py.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Callable, Container, Iterable, Mapping, Sequence

from knowledge.types import Passage

DENSE_FLOOR = 0.80
NEGATIONS = frozenset("不未非无没否")
_IDENTIFIER = re.compile(r"(?<![\w.])(?:[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]+){2,}|"
                         r"[A-Za-z][A-Za-z0-9]*(?:[._][A-Za-z][A-Za-z0-9]*)+)(?![\w.])")


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


@dataclass(frozen=True)
class WordGroup:
    """A colloquial word of the question and the documentation terms that may stand for it."""

    word: tuple[str, ...]
    """The word's tokens among the question's (none: the tokenizer cut it otherwise)."""
    terms: tuple[tuple[str, ...], ...]
    """Each term's tokens; a passage holds a term when it holds all of them."""


def word_groups(alternatives: Mapping[str, Sequence[str]], query_tokens: list[str],
                tokenize: Callable[[str], list[str]]) -> list[WordGroup]:
    """The groups of `alternatives` ({colloquial word: documentation terms}, graph/expansion.py) as
    the base's tokens; a question token belongs to one group at most."""
    claimed: set[str] = set()
    groups: list[WordGroup] = []
    for word, terms in alternatives.items():
        own = tuple(t for t in dict.fromkeys(tokenize(word)) if t in query_tokens and t not in claimed)
        cut = tuple(toks for toks in (tuple(dict.fromkeys(tokenize(term))) for term in terms) if toks)
        if cut:
            claimed |= set(own)
            groups.append(WordGroup(own, cut))
    return groups


def grouped_evidence(query_tokens: list[str], passage_tokens: set[str], idf: Callable[[str], float],
                     credit: Callable[[str], float] | None, groups: Sequence[WordGroup]) -> tuple[float, float, set[str]]:
    """(share, mass, the word tokens a held term stands for): coverage and matched_mass, a group
    counted once. A passage holding none of a word's tokens but one of its terms holds the group,
    weighed as that term (in the share's total as in what it earns: a rare spoken cut like 删 must
    not weigh on a page that writes 删除); otherwise the word's tokens count as they are. So the
    share can only rise. The mass stays the question's own words: a common term standing for a
    rare word would inflate it."""
    distinct = list(dict.fromkeys(query_tokens))
    standing: set[str] = set()
    extra = 0.0
    for group in groups:
        if any(t in passage_tokens for t in group.word):
            continue
        held = [matched_mass(list(term), passage_tokens, idf) for term in group.terms
                if all(t in passage_tokens for t in term)]
        if held:
            standing |= set(group.word)
            extra += max(held)
    rest = [t for t in distinct if t not in standing]
    total = sum(idf(t) for t in rest) + extra
    earned = sum((credit or idf)(t) for t in rest if t in passage_tokens) + extra
    return (earned / total if total > 0 else 0.0), matched_mass(distinct, passage_tokens, idf, credit), standing


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


def quoted_names(query: str) -> set[str]:
    """The names a question quotes as index tokens: its identifiers and its lettered error codes
    (a bare number like 1040 is no name)."""
    return identifiers(query) | {c for c in error_codes(query) if not c.isdigit()}


def held_tokens(query_tokens: list[str], words: set[str], text: str, forms: Mapping[str, Iterable[str]],
                in_text: Container[str] = ()) -> set[str]:
    """The question's tokens a passage holds: as indexed, as one of the token's word forms
    (knowledge.query_terms.WordForms: "忘" as 忘记), or, for the tokens `in_text` (rare Chinese
    words: "改过"), anywhere in its lower-cased text ("修改过")."""
    return {t for t in query_tokens
            if t in words or any(f in words for f in forms.get(t, ())) or (t in in_text and t in text)}


def headed_compounds(query_tokens: list[str], words: set[str]) -> set[str]:
    """The question's Chinese compounds a passage writes without their one-character modifier (云服务器
    as 服务器, 云数据库 as 数据库: the head noun names the same thing in one base), with their pieces the
    passage lacks: held, as the question wrote them. The head has three characters or more (可用 is
    not 高可用, 定义 not 自定义), and a negation is no modifier (未绑定 is not 绑定)."""
    found: set[str] = set()
    for t in dict.fromkeys(query_tokens):
        if len(t) >= 4 and t[0] not in NEGATIONS and t not in words and t[1:] in words \
                and all("\u4e00" <= c <= "\u9fff" for c in t):
            found |= {u for u in query_tokens if u in t} - words
    return found


def score_relevance(query: str, passages: list[Passage], idf: Callable[[str], float],
                    tokenize: Callable[[str], list[str]], indexed: dict[str, list[str]] | None = None,
                    forms: Mapping[str, Iterable[str]] | None = None, in_text: Container[str] = (),
                    form_idf: Callable[[str], float] | None = None,
                    alternatives: Mapping[str, Sequence[str]] | None = None) -> dict[str, set[str]]:
    """Fill meta["relevance"] (0..1), meta["evidence"] ({share, mass, and `names` when the passage
    holds a name the question quotes}) and meta["class"] of each passage.

    `tokenize`: the passages' base's tokenizer; `indexed`: the passages' tokens as the index
    holds them, by chunk id (else tokenized here); `forms`, `in_text`: see held_tokens; a token
    held only in another form earns `form_idf` (what its forms weigh together), not its own IDF;
    `alternatives`: {colloquial word: documentation terms} (grouped_evidence; `idf` must know the
    terms' tokens). Returns the question's tokens each passage holds (a held group's word among
    them), by chunk id.
    """
    q_tokens = tokenize(query)
    quoted = quoted_names(query)
    codes = error_codes(query)
    groups = word_groups(alternatives or {}, q_tokens, tokenize)
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
        words |= headed_compounds(q_tokens, words)
        share, mass, standing = grouped_evidence(q_tokens, words, idf, credit, groups)
        holding[p.chunk_id] = (words & set(q_tokens)) | standing
        p.meta["evidence"] = {"share": round(share, 4), "mass": round(mass, 3)}
        if quoted & words:
            p.meta["evidence"]["names"] = sorted(quoted & words)
        titled = codes & set(tokenize(" ".join([p.title, *p.heading_path, p.source.replace("/", " ")])))
        if titled:  # the page or section is about the error the question quotes
            p.meta["evidence"]["titled"] = sorted(titled)
        p.meta["class"] = chunk_class(p.kind, p.heading_path, p.title)
        p.meta["relevance"] = round(max(share, dense_relevance(p.dense_score)), 4)
    return holding
