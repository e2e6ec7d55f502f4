"""What a term is: the sentence of a page that defines the term a "X 是啥 / 是什么意思" question asks.

A page defines a term in a few written forms, whatever the base: the term (or a name whose gloss holds it,
"弹性公网 IP（Elastic IP，EIP）") opening a sentence and followed by a copula or what it does ("TTL（…）是每条
解析记录自带的一个秒数", "生命周期规则可以让 SOS…", "NAT 网关为这类实例提供…"), or a sentence naming it
("客户端的随机端口称为"临时端口""). Retrieval ranks a page's chunks by how often they name the term, so the
chunk saying what it is (often the page's opening paragraph) is rarely among those found; this reads the
pages found, best first, for that sentence. The answer gives it with the sentence after it
(graph/extractive.py). Tests: tests/graph/test_definition.py.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, Callable, Mapping, Sequence

from graph.chunk_passage import found_chunk
from graph.contrast import JOINING, document_pages
from graph.doc_units import Unit, split_sentences
from graph.schema import PassageData
from graph.section_answer import section_units
from graph.unit_fit import usable

DEFINITION = "definition"
"""meta key of a passage added for its defining sentence (the sentence, as written)."""

_CUE = re.compile(r"(?:到底|究竟)?(?:是个|是)?(?:啥|什么)(?:意思|东西|概念)|(?:到底|究竟)?(?:是个|是)(?:啥|什么)|"
                  r"(?:是)?干(?:嘛|啥|什么)(?:用)?的|指什么|的含义")
"""Where the asked term ends: the define cue after it (graph/question_type._DEFINE's Chinese forms)."""

_BEFORE = re.compile(r".*(?:[的里]|那个|这个|说的|[，,。？?！!：:])")
"""What goes before the term in the question ("sos 的", "控制台里那个", "acl 里说的")."""

_COPULA = re.compile(r"^(?:是指|是|指|即|就是|称为|可以让|可以|能够|让|为[^，。；]{0,12}提供|提供|用于|用来|负责)")
"""What follows a term that the sentence defines."""

_COMPARING = re.compile(r"(?:之间)?(?:有|的)?(?:啥|什么|哪些|何)?(?:区别|差别|差异|不同|不一样)")
"""Where a comparison's sides end ("…有啥区别", "…的差别"): graph/question_type._COMPARE's wording of a difference."""

_GLOSS = re.compile(r"^\s*(?:（[^）]{0,40}）|\([^)]{0,40}\))")
_MARKS = re.compile(r"[*`\"“”「」]")
_LEAD_ROOM = 14
"""Characters a name may take before the term inside it ("弹性公网 IP（Elastic IP，EIP）")."""


def asked_term(question: str) -> str:
    """The term a define question asks about ("acl 里说的临时端口是啥意思" -> "临时端口"), "" when none."""
    cue = _CUE.search(question)
    if cue is None:
        return ""
    head = question[:cue.start()].strip()
    before = _BEFORE.match(head)
    term = head[before.end():].strip() if before else head
    return term if len(term.replace(" ", "")) >= 2 else ""


def _squeeze(text: str) -> str:
    return _MARKS.sub("", text).replace(" ", "").lower()


def defines(sentence: str, term: str) -> bool:
    """Does the sentence say what the term is (module docstring)? The term opens it, or glosses the name
    opening it ("弹性公网 IP（Elastic IP，EIP）是…"), and a copula follows; or a gloss and a colon follow the term
    ("提供 SNAT（源地址转换）：…"); or the sentence names it ("…称为"临时端口"")."""
    text, key = _squeeze(sentence), _squeeze(term)
    if not key:
        return False
    if f"称为{key}" in text:
        return True
    at = term_at(text, key)
    if at < 0:
        return False
    before, rest = text[:at], text[at + len(key):]
    opened = max(before.rfind("（"), before.rfind("("))
    if opened >= 0 and opened > max(before.rfind("）"), before.rfind(")")):  # inside the gloss of a name
        closing = [i for i in (rest.find("）"), rest.find(")")) if i >= 0]
        return opened <= _LEAD_ROOM and bool(closing) and bool(_COPULA.match(rest[min(closing) + 1:]))
    gloss = _GLOSS.match(rest)
    if gloss is not None and rest[gloss.end():gloss.end() + 1] in ("：", ":"):
        return True
    return not before and bool(_COPULA.match(rest[gloss.end():] if gloss else rest))


def term_at(text: str, key: str) -> int:
    """Where the term stands in the text, -1 when it does not: a term opening or closing with a Latin letter not
    inside a longer Latin word ("st", top's steal time, is not the "St" of "StarStack")."""
    pattern = ("(?<![a-z])" if key[:1].isascii() and key[:1].isalpha() else "") + re.escape(key) \
        + ("(?![a-z])" if key[-1:].isascii() and key[-1:].isalpha() else "")
    found = re.search(pattern, text)
    return found.start() if found else -1


def heads(heading: str, term: str) -> bool:
    """Is the heading the term's own ("TTL 是什么", "什么是 TTL", "让别人临时访问私有对象：预签名 URL")?"""
    text, key = _squeeze(heading), _squeeze(term)
    return bool(key) and (text in (key, f"{key}是什么", f"什么是{key}", f"{key}简介", f"{key}概述")
                          or text.endswith(f"：{key}") or text.endswith(f":{key}"))


def definition_passage(questions: Sequence[str], pages: Sequence[Mapping[str, Any]],
                       chunks_of: Callable[[str, str], list[dict]]) -> PassageData | None:
    """The chunk of the passages' pages (best first) holding the first sentence that defines the term the
    first of `questions` asks (the standalone question, then the message as written) that one defines, as a
    passage of its page with meta[DEFINITION] = that sentence; None when none does. Each page is read once."""
    terms = list(dict.fromkeys(t for t in map(asked_term, questions) if t))
    read = list(document_pages(pages, chunks_of)) if terms else []
    return next((found for found in (_defining(term, read) for term in terms) if found is not None), None)


def side_definitions(question: str, pages: Sequence[Mapping[str, Any]],
                     chunks_of: Callable[[str, str], list[dict]]) -> list[PassageData]:
    """For a comparison with no table contrasting its sides ("nat 网关和 eip 有啥区别"): the defining chunk of
    each side, as `definition_passage` finds one, in the question's order; [] unless every side has one
    (half a comparison answers nothing) and they are different sentences."""
    compared = compared_phrases(question)
    read = list(document_pages(pages, chunks_of)) if compared else []
    found = [_defining(side, read) for side in compared]
    said = {str((p.get("meta") or {}).get(DEFINITION)) for p in found if p is not None}
    return [p for p in found if p is not None] if found and None not in found and len(said) == len(found) else []


def compared_phrases(question: str) -> list[str]:
    """The two things a comparison names, as written: the words before its joining word and those between
    it and the comparing cue ("nat 网关和 eip 有啥区别" -> ["nat 网关", "eip"]); [] for another form."""
    cue = _COMPARING.search(question)
    if cue is None:
        return []
    head = question[:cue.start()].strip()
    joins = list(JOINING.finditer(head))
    if len(joins) != 1:
        return []
    left, right = head[:joins[0].start()].strip(), head[joins[0].end():].strip()
    before = _BEFORE.match(left)
    left = left[before.end():].strip() if before else left
    phrases = [left, right]
    return phrases if all(len(p.replace(" ", "")) >= 2 for p in phrases) else []


def _defining(term: str, read: Sequence[tuple[Mapping[str, Any], Any, list[dict]]]) -> PassageData | None:
    """The first chunk of the pages read (best first) whose sentence defines `term`, or whose own heading is
    the term's (its first sentence then), as a passage with meta[DEFINITION]."""
    for p, _, chunks in read:
        for chunk in chunks:
            sentences = split_sentences(str(chunk.get("text") or ""))
            headed = heads((list(chunk.get("heading_path") or []) or [""])[-1], term)
            sentence = sentences[0] if headed and sentences else next((s for s in sentences if defines(s, term)), None)
            if sentence is not None:
                return found_chunk(p, chunk, DEFINITION, **{DEFINITION: sentence})
    return None


def definitions_units(passages: Sequence[Mapping[str, Any]]) -> list[tuple[int, list[Unit]]]:
    """(passage number 1..n, units) of each evidence passage carrying a defining sentence (meta[DEFINITION]), in
    passage order (a define question's one, or a comparison's sides: graph/nodes/select.py): the sentence with
    the sentence after it in its paragraph (what the term does, its gloss)."""
    found = []
    for n in range(1, len(passages) + 1):
        said = (passages[n - 1].get("meta") or {}).get(DEFINITION)
        if not said:
            continue
        units = [u for u in section_units(passages[n - 1]) if usable(u)]
        at = next((i for i, u in enumerate(units) if _squeeze(said) in _squeeze(u.text)
                   or _squeeze(u.text) in _squeeze(said)), None)
        if at is None:
            continue
        picked = [units[at]]
        if at + 1 < len(units) and units[at + 1].kind == "sentence" and units[at].kind == "sentence" \
                and units[at + 1].para == units[at].para:
            picked.append(units[at + 1])
        found.append((n, [replace(u, whole=True) for u in picked]))
    return found
