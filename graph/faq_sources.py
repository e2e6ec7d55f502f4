"""The documentation page behind a FAQ answer: an answer taken from a FAQ entry also cites the page
that states the same fact, so the agent can open where it is written in full.

A FAQ entry is a summary; the page it summarises is the source an agent checks and sends on.
Corroboration is judged by the fact itself, not by topic: a page's line corroborates a FAQ
sentence when it holds every value the sentence states (numbers with their unit, versions,
names written as code: "10 分钟", "1.28", "ns1.starstackdns.com") and shares enough of its
words to be about the same thing ("充值后服务会在 10 分钟内自动恢复" for "充值后账户余额大于 0，
服务会在 10 分钟内自动恢复"; a "10 分钟" TTL line does not).

    facts_of("修改 NS 后全球生效最长需要 48 小时。")   # {"48小时"}
    corroborating_line(sentence, page_text)          # the page's line stating it, or None
    cite_pages(units, passages, find)                # units citing the page too, passages + the page

`find(query)` searches the base (the answer node passes a keyword search); the evidence and
what retrieval returned are looked at first. Tested in tests/graph/test_faq_sources.py.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Mapping, Sequence

from graph.domain_score import content_tokens
from graph.keyed_rows import keyed_table

_UNITS = sorted(("%", "个", "次", "天", "小时", "分钟", "秒", "毫秒", "年", "月", "周", "条", "元", "核", "倍", "位", "台",
                 "块", "张", "页", "字符", "字节", "GiB", "GB", "MiB", "MB", "KiB", "KB", "TiB", "TB", "Gbps", "Mbps",
                 "ms", "pps", "IOPS", "vCPU"), key=len, reverse=True)
_UNIT_WORDS = {u.lower() for u in _UNITS}
_PER = ("/小时", "/天", "/月", "/年", "/GB", "/GiB", "/秒")
_NUMBER = re.compile(r"(?<![A-Za-z0-9_.])[¥$]?\d[\d.,]*")
_WORD = re.compile(r"(?<![A-Za-z0-9_.:/-])[A-Za-z][A-Za-z0-9_.:/-]*")
_INNER_MARK = re.compile(r"[A-Za-z0-9][._:/-][A-Za-z0-9]")
_MARKS = re.compile(r"\*\*|`|\[\d+\]")
_LINES = re.compile(r"[\n。！？!?；;]")

SHARED_WORDS = 0.3
"""Share of a FAQ sentence's words the page's line must hold beside its values to state the same fact."""
SEARCH_K = 6
"""Passages a search for the page brings back."""


def _flat(text: str) -> str:
    """Without spaces, Markdown marks and thousands separators ("26,800" is "26800"), lower case."""
    return re.sub(r"(?<=\d),(?=\d{3})", "", re.sub(r"\s+", "", _MARKS.sub("", text))).lower()


def _with_unit(number: str, after: str) -> str:
    """The number with the unit written after it ("10 分钟", "¥0.20/小时")."""
    rest = after.lstrip()
    unit = next((u for u in _UNITS if rest.lower().startswith(u.lower())), "")
    rest = rest[len(unit):]
    per = next((p for p in _PER if unit and rest.startswith(p)), "")
    return f"{number}{unit}{per}"


def _code_word(word: str) -> bool:
    """A name written as code: parts joined by . _ : / - ("ns1.starstackdns.com") or camelCase
    ("imagePullSecrets"), opening in lower case (not a product name such as "MySQL")."""
    return word[:1].islower() and (bool(_INNER_MARK.search(word))
                                   or any(c.isupper() for c in word[1:]) and len(word) >= 4)


def facts_of(sentence: str) -> set[str]:
    """The values a sentence states, flattened (no spaces, lower case): numbers with their unit,
    versions, names written as code."""
    text = _MARKS.sub("", sentence)
    found = set()
    for m in _NUMBER.finditer(text):
        number = m.group(0).rstrip(".,")
        value = _with_unit(number, text[m.start() + len(number):])
        if value not in ("0", "1"):  # "余额大于 0": no value of its own
            found.add(_flat(value))
    found |= {_flat(w) for m in _WORD.finditer(text) if _code_word(w := m.group(0).rstrip(".:/-"))}
    return found


def corroborating_line(sentence: str, page_text: str) -> str | None:
    """The page's line (a sentence, list item or table row) that holds every value the sentence
    states and most of its words; None when the sentence states no value or no line does."""
    best = _best_line(sentence, page_text)
    return best[1] if best else None


def _best_line(sentence: str, page_text: str, least: float = 0.0) -> tuple[float, str] | None:
    """(share of the sentence's words, line) of the page's line holding all its values; `least`: the
    share of its words beside numbers and units a line must hold too."""
    facts = facts_of(sentence)
    if not facts:
        return None
    words = set(content_tokens(sentence)) - facts
    plain = {w for w in words if not w.isdigit() and w not in _UNIT_WORDS}
    best: tuple[float, str] | None = None
    for line in _LINES.split(page_text):
        flat = _flat(line)
        if not all(f in flat for f in facts):
            continue
        low = line.lower()
        share = sum(w in low for w in words) / len(words) if words else 1.0
        if least and (not plain or sum(w in low for w in plain) / len(plain) < least):
            continue
        if share >= SHARED_WORDS and (best is None or share > best[0]):
            best = (share, line.strip())
    return best


_CLAUSES = re.compile(r"[，,]")


def _stated(sentence: str, page_text: str) -> tuple[float, str] | None:
    """The page's line stating the sentence (`_best_line`), else the one stating the first of its
    clauses that holds a value: a FAQ sentence joining two facts ("每个网卡最多绑定 5 个安全组，每个安全组
    最多 200 条规则") is stated by the page holding its first ("一个网卡最多绑定 5 个安全组") though no
    line of any page holds both."""
    whole = _best_line(sentence, page_text)
    if whole is not None:
        return whole
    clause = next((c for c in _CLAUSES.split(sentence) if facts_of(c)), "")
    return _best_line(clause, page_text, CLAUSE_WORDS) if clause and clause.strip() != sentence.strip() else None


CLAUSE_WORDS = 0.5
"""Share of a clause's words beside its numbers and units a page's line must hold to state it alone."""


def _faq_only(unit: Mapping[str, Any], passages: Sequence[Mapping[str, Any]]) -> int | None:
    """The FAQ entry a unit cites, when it cites that alone."""
    cites = [n for n in unit.get("cites") or [] if 1 <= n <= len(passages)]
    return cites[0] if len(cites) == 1 and passages[cites[0] - 1].get("kind") == "faq" else None


def _page_of(sentences: list[str], asked: str, candidates: Sequence[Mapping[str, Any]]) -> tuple[int, set[int]] | None:
    """The candidate page (not a FAQ entry, not an error-code table) stating the sentences best: the
    most of them, in the lines sharing most of their words, on a page whose title and headings name
    most of the entry's question; and which sentences it states."""
    question = set(content_tokens(asked))
    best: tuple[tuple[int, float], int, set[int]] | None = None
    for i, p in enumerate(candidates):
        if p.get("kind") == "faq" or keyed_table(p):
            continue
        lines = {k: _stated(s, p.get("text") or "") for k, s in enumerate(sentences)}
        stated = {k: line[0] for k, line in lines.items() if line}
        if not stated:
            continue
        where = " ".join([p.get("title") or "", *(p.get("heading_path") or [])]).lower()
        named = sum(w in where for w in question) / len(question) if question else 0.0
        score = (len(stated), sum(stated.values()) / len(stated) + TITLE_WEIGHT * named)
        if best is None or score > best[0]:
            best = (score, i, set(stated))
    return (best[1], best[2]) if best else None


TITLE_WEIGHT = 0.5
"""Weight of the entry's question words a page's title and headings name, beside the words its line shares."""


def cite_pages(units: list[dict], passages: Sequence[Mapping[str, Any]],
               find: Callable[[str], Sequence[Mapping[str, Any]]],
               retrieved: Sequence[Mapping[str, Any]] = (), beyond: bool = True) -> tuple[list[dict], list[dict]]:
    """Units whose sentences come from a FAQ entry alone also cite the page stating their values
    (from the evidence, else what retrieval returned or a search for the entry finds); the page joins
    the passages when it was not among them. `beyond=False`: only a page the answer cites already
    (no new source card)."""
    out_units = [dict(u) for u in units]
    out_passages = [dict(p) for p in passages]
    cited = {n for u in units for n in u.get("cites") or []}
    entries: dict[int, list[int]] = {}
    for i, u in enumerate(units):
        n = _faq_only(u, passages)
        if n is not None and u.get("block") != "code":
            entries.setdefault(n, []).append(i)
    for n, at in entries.items():
        sentences = [units[i]["text"] for i in at]
        if not any(facts_of(s) for s in sentences):
            continue
        asked = str((passages[n - 1].get("meta") or {}).get("question") or "")
        pool = passages if beyond else [p if k in cited else {**p, "kind": "faq"} for k, p in enumerate(passages, 1)]
        found = _page_of(sentences, asked, pool)  # a page of the evidence first
        page: Mapping[str, Any] | None = passages[found[0]] if found else None
        if found is None and beyond:
            candidates = [*retrieved, *find(f"{asked} {' '.join(sentences)}")]
            found = _page_of(sentences, asked, candidates)
            page = candidates[found[0]] if found else None
        if found is None or page is None:
            continue
        number = next((k for k, p in enumerate(out_passages, 1) if p.get("chunk_id") and p.get("chunk_id") == page.get("chunk_id")), 0)
        if not number:
            out_passages.append(dict(page))
            number = len(out_passages)
        for k in found[1]:
            unit = out_units[at[k]]
            unit["cites"] = [*unit["cites"], number]
    return out_units, out_passages
