"""An elliptic follow-up is answered from the page the conversation is on when that page answers it.

    chosen = prior_page_first(chosen, message, standalone, prior, chunks_of, vocab, base)

"那要收费吗", "改完会断吗", "一天最多能刷几条" after an answer from one page: retrieval ranks by the
follow-up's own words, which are generic (收费, 重启, 次数), so it brings a FAQ entry of another product,
a quota table or nothing. The previous answer's cited pages (no FAQ entry) are read whole instead: the
line whose sentence gives the asked kind of value (graph/asked_kind.py) and shares most of the message's
own characters (lines the previous answer showed last) is the evidence, alone, when the selection holds no
answering sentence of those pages and no other page's passage answers better. A message naming a thing
those pages never mention switched topic and is left as it is.
Used by graph/nodes/select.py; tested in tests/graph/test_prior_scan.py.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Sequence

from graph.asked_kind import Kind, answers, asked_kinds, without_asks
from graph.prior import MIN_SENTENCE, flat_text
from graph.schema import PassageData, PriorAnswer

_SENTENCES = re.compile(r"(?<=[。！？!?；;])|\n+")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN = re.compile(r"[a-z][a-z0-9_.-]+")
_FUNCTION = set("的了吗呢吧啊么嘛是在有要能会可以这那个些什怎样如何还也都就和与或把被给让我你他它们一不没多少几哪"
                "时候啥咋么到过得着看下呀哦吧再")
"""Characters that say nothing about what a value is of (asking, pointing, grammar)."""
_ASKING_WORD = re.compile(r"怎么|怎样|如何|为什么|为啥|什么|多少|多久|哪|能否|是否|可以|能不能|要不要|具体")
_LINK_LINE = re.compile(r"^\s*(?:[-*]\s*)?\[[^\]\n]*\]\([^)\n]*\)\s*$", re.M)
"""A line that only links another page ("- [路由表配置](route-table.md)"): it names that page's subject, it does
not cover it."""
ChunksOf = Callable[[str], Sequence[dict[str, Any]]]
"""A page's chunks by its source (the knowledge port's document_chunks for the turn's base)."""


Marks = tuple[set[str], set[str], set[str]]
"""A message's own characters, character pairs and Latin words."""


def message_marks(message: str, kinds: list[Kind]) -> Marks:
    """The message's own characters, character pairs and Latin words (no asking words, no function characters)."""
    text = without_asks(message.lower(), kinds)
    text = _ASKING_WORD.sub(" ", text)
    chars = {c for c in _CJK.findall(text) if c not in _FUNCTION}
    pairs = {text[i:i + 2] for i in range(len(text) - 1) if all(c in chars for c in text[i:i + 2])}
    return chars, pairs, set(_LATIN.findall(text))


def sentence_score(sentence: str, marks: Marks) -> int:
    """How much of the message a sentence carries: its characters, character pairs (twice) and words."""
    low = sentence.lower()
    chars, pairs, words = marks
    return sum(c in low for c in chars) + 2 * sum(p in low for p in pairs) + 2 * sum(w in low for w in words)


def best_answer(text: str, heading: str, kinds: list[Kind], marks: Marks, shown: str = "") -> int:
    """The score of a passage's best sentence giving the asked kinds (its heading counts with it), of those the
    previous answer did not show (`shown`: its flat text); -1 when none."""
    scores = [sentence_score(f"{heading} {s}", marks) for s in _SENTENCES.split(text)
              if answers(kinds, s) and not _was_shown(s, shown)]
    return max(scores, default=-1)


def _was_shown(sentence: str, shown: str) -> bool:
    flat = flat_text(sentence)
    return bool(shown) and len(flat) >= MIN_SENTENCE and flat in shown


def best_line(text: str, heading: str, kinds: list[Kind], marks: Marks, shown: str = "") -> str:
    """The line (a list item, a table row, a paragraph) holding the passage's best answering sentence."""
    lines = [line for line in text.splitlines() if line.strip()]
    return max(lines, key=lambda line: best_answer(line, heading, kinds, marks, shown), default=text)


def _heading(chunk: Any) -> str:
    return " ".join(chunk.get("heading_path") or [])


def prior_page_chunks(sources: Sequence[str], chunks_of: ChunksOf) -> list[tuple[str, dict[str, Any]]]:
    """The previous answer's pages as (source, chunk), FAQ entries left out (a file of many subjects)."""
    return [(source, c) for source in sources for c in chunks_of(source) if c.get("kind") != "faq"]


def names_uncovered(message: str, pages: Sequence[tuple[str, dict[str, Any]]], vocab: Any) -> bool:
    """The message names a thing (a term the base's lexicon holds) the previous pages never mention: a new
    topic. A line that only links another page names that page's subject, it does not cover it."""
    from graph.domain_score import content_tokens

    low = " ".join(_LINK_LINE.sub(" ", c.get("text") or "") for _, c in pages).lower()
    words = [t for t in content_tokens(message, vocab) if not _ASKING_WORD.search(t) and not asked_kinds(t)]
    terms = vocab.lexicon if vocab is not None else set()
    return any(len(w) >= 2 and w in terms and w not in low for w in words)


def prior_page_first(chosen: list[PassageData], message: str, standalone: str, prior: PriorAnswer,
                     chunks_of: ChunksOf, vocab: Any, base: str,
                     retrieved: Sequence[PassageData] = ()) -> list[PassageData]:
    """The previous answer's page chunk that answers the asked kind best, alone, when it answers better than
    the selected passages of those pages and at least as well as the others; the selection otherwise. The
    message's own words judge; when none of them is on the pages ("弄这个要停机吗"), its standalone question's."""
    kinds = asked_kinds(message)
    sources = list(dict.fromkeys(s for s in prior.get("sources") or [] if s))
    if not kinds or not sources:
        return chosen
    pages = prior_page_chunks(sources, chunks_of)
    if not pages or names_uncovered(message, pages, vocab):
        return chosen
    flat = flat_text(prior.get("text") or "")
    for said, shown in ((message, flat), (message, ""), (standalone, flat), (standalone, "")):
        # what the previous answer did not show first ("多久生效" after "额度用完了要等多久": not the same line)
        marks = message_marks(said, kinds)
        scored = [(best_answer(c.get("text") or "", _heading(c), kinds, marks, shown), -i)
                  for i, (_, c) in enumerate(pages)]
        top, at = max(scored)
        if top > 0:
            break
    if top <= 0:
        return chosen

    def held(own: bool) -> int:
        return max((best_answer(p.get("text") or "", _heading(p), kinds, marks) for p in chosen
                    if (p.get("source") in sources and p.get("kind") != "faq") == own), default=-1)

    source, chunk = pages[-at]
    if held(True) >= 0 or top < held(False) or any(p.get("chunk_id") == chunk.get("chunk_id") for p in chosen):
        return chosen
    line = best_line(chunk.get("text") or "", _heading(chunk), kinds, marks, shown)
    return [page_passage(source, {**chunk, "text": line}, [*chosen, *retrieved], base,
                         (prior.get("titles") or {}).get(source, ""))]


def page_passage(source: str, chunk: dict[str, Any], known: Sequence[PassageData], base: str,
                 title: str) -> PassageData:
    """A page chunk as a selected passage (title and base as a retrieved passage of its page has them)."""
    same = next((p for p in known if p.get("source") == source), None)
    heads = list(chunk.get("heading_path") or [])
    return {"chunk_id": str(chunk.get("chunk_id") or ""), "source": source,
            "title": (same or {}).get("title") or title or source, "heading_path": heads,
            "text": chunk.get("text") or "", "kind": chunk.get("kind") or "doc", "score": 0.0,
            "kb": (same or {}).get("kb") or base, "meta": {"match": "strong", "prior_page": True}}
