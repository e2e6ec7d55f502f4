"""What a follow-up's retrieval takes from the previous answer: its pages first, not its passages again.

    prior = prior_answer(messages)                        # the last reply: text, cited sources, question
    passages = not_shown(passages, prior, asked, vocab)    # a new ask on the same topic
    passages = step_first(passages, prior, item, search)   # "第二步具体怎么写": that step's section first
    step = step_only(chosen, passages, item, message)      # … and, once selected, that section alone

A follow-up that asks something NEW about the same topic ("要是扩多了还能改小回去吗" after a
how-to) is not answered by a passage the previous reply already showed whole, unless that passage
carries the new ask's own words (what the message says beyond the previous question). A follow-up
about an item of the previous answer's list (a step) searches for the item itself and puts what
it finds on the previous answer's own pages first, so the section that details the step is among
the passages selection and graph/asked_step.py work on; once selected, that section alone is the
evidence (another step's commands or error table would pad the answer). Used by
graph/nodes/retrieve.py and graph/nodes/select.py; tested in tests/graph/test_prior.py.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Mapping, Sequence

from graph.references import clean_answer
from graph.schema import PassageData, PriorAnswer
from knowledge.evidence import quoted_names

_CITED = re.compile(r"^\[\d+\]\s+(?:〔[^〕\n]*〕)?《([^》\n]*)》\s+`([^`\n]+)`", re.M)  # compose's sources_block
_MARKS = re.compile(r"\*\*|`|\[\d+\]|^\s*(?:\d{1,2}[.、]|[-*])\s+", re.M)
_FAQ_QUESTION = re.compile(r"^\s*(?:问|Q)[：:][^\n]*\n", re.I)
_FAQ_ANSWER = re.compile(r"^\s*(?:答|A)[：:]\s*", re.I | re.M)
_SENTENCES = re.compile(r"(?<=[。！？!?；;])|\n+")
_NOT_WORDS = re.compile(r"[\s，,。；;：:、！!？?（）()\"'“”‘’<>《》\[\]{}|#*`~-]+")
_ASKING = re.compile(r"怎么|怎样|如何|为什么|为啥|什么|多少|多久|哪|吗|呢|能否|是否|可以|能不能|要不要|具体|一直|还|要|能|会")
# An error, a name or a problem the message brings besides the step it points at
_BEYOND_STEP = re.compile(r"[A-Za-z][\w.:-]{2,}|报错|错误|失败|异常|报[^表告]")
ASKED_ITEM = "asked_item"
"""Meta key step_first sets on the passage of the asked item's own section."""
SHOWN = 0.8
"""Share of a passage's text the previous reply must have shown for the passage to count as shown."""
MIN_SENTENCE = 6
"""Shorter sentences (a heading, "不需要。") say too little to count as shown or not."""


def prior_answer(messages: Sequence[Mapping[str, Any]]) -> PriorAnswer:
    """The previous reply of a conversation whose last message is this turn's (empty when none)."""
    history = list(messages)[:-1]
    last = next((m for m in reversed(history) if m.get("role") == "assistant"), None)
    if last is None or not last.get("content"):
        return {}
    questions = last.get("questions") or []
    content = str(last["content"])
    cited = _CITED.findall(content)
    return {"text": clean_answer(content), "sources": list(dict.fromkeys(source for _, source in cited)),
            "titles": {source: title for title, source in cited}, "question": str(questions[-1]) if questions else ""}


def flat_text(text: str) -> str:
    """The text without Markdown marks, punctuation and spaces, lower-cased (to compare what was shown)."""
    return _NOT_WORDS.sub("", _MARKS.sub("", text)).lower()


_flat = flat_text


def shown_share(passage_text: str, shown: str) -> float:
    """Share of a passage's text (by sentence) that `shown` carries verbatim."""
    flat_shown = _flat(shown)
    body = _FAQ_ANSWER.sub("", _FAQ_QUESTION.sub("", passage_text))  # an FAQ entry's answer is what is shown
    sentences = [s for s in (_flat(x) for x in _SENTENCES.split(body)) if len(s) >= MIN_SENTENCE]
    total = sum(len(s) for s in sentences)
    if not total or not flat_shown:
        return 0.0
    return sum(len(s) for s in sentences if s in flat_shown) / total


def own_words(asked: str, previous: str, vocab: Any) -> list[str]:
    """What the message asks beyond the previous question: its content words the base knows, less
    asking words and the previous question's words."""
    from graph.domain_score import content_tokens

    before = previous.lower()
    words = [t for t in content_tokens(asked, vocab) if t not in before and not _ASKING.fullmatch(t)]
    return [t for t in words if vocab is None or vocab.knows(t)]


def not_shown(passages: list[PassageData], prior: PriorAnswer, asked: str, vocab: Any) -> list[PassageData]:
    """Without the passages the previous reply showed whole that carry none of the new ask's words
    (all of them kept when that would leave nothing)."""
    shown = prior.get("text") or ""
    if not shown or not passages:
        return passages
    words = own_words(asked, prior.get("question") or "", vocab)
    kept = [p for p in passages
            if shown_share(p.get("text") or "", shown) < SHOWN
            or any(w in (p.get("text") or "").lower() for w in words)]
    return kept or passages


def own_page_passages(passages: list[PassageData], prior: PriorAnswer, words: list[str]) -> list[PassageData]:
    """Of the retrieved passages, those of the previous answer's own pages (an FAQ entry is no page of the
    thread) that carry the new ask's own `words` (own_words): where a follow-up looks first ("白名单在控制台哪加"
    after an answer from the connection page: that page's console path, not an FAQ line about whitelists)."""
    sources = [s for s in prior.get("sources") or [] if s]
    if not sources or not words:
        return []
    return [p for p in passages if p.get("source") in sources and p.get("kind") != "faq"
            and any(w in (p.get("text") or "").lower() for w in words)]


def with_own_pages(passages: list[PassageData], prior: PriorAnswer, words: list[str],
                   wider: Callable[[], list[PassageData]]) -> list[PassageData]:
    """The retrieved passages, then at most OWN_PAGE_EXTRA passages of the previous answer's own pages
    (no FAQ entry) holding the new ask's own `words` (own_words) that a WIDER search finds, when none of
    the retrieved ones does: "那默认安全组呢" after an answer from the security-group page ranks that
    page's own section below other pages' lines about ports, and own_pages_first can only put first
    what retrieval brought."""
    if not words or not prior.get("sources") or own_page_passages(passages, prior, words):
        return passages
    ids = {p.get("chunk_id") for p in passages}
    extra = [p for p in own_page_passages(wider(), prior, words) if p.get("chunk_id") not in ids]
    return passages + extra[:OWN_PAGE_EXTRA]


WIDER = 4
"""How many times the usual number of passages the wider search of with_own_pages looks at."""
OWN_PAGE_EXTRA = 2
"""Passages of the previous answer's pages a follow-up's retrieval adds at most."""


def asked_words(question: str, standalone: str, prior: PriorAnswer, vocab: Any) -> tuple[str, list[str]]:
    """The ask a follow-up's own pages are judged by and its own words: the message as said, or its
    standalone question when the message says nothing beyond the previous question ("这个一天能刷多少次")."""
    words = own_words(question, prior.get("question") or "", vocab)
    return (question, words) if words else (standalone, own_words(standalone, prior.get("question") or "", vocab))


def own_pages_first(chosen: list[PassageData], retrieved: list[PassageData], prior: PriorAnswer, asked: str,
                    vocab: Any, choose: Callable[[list[PassageData]], list[PassageData]]) -> list[PassageData]:
    """A follow-up looks in the previous answer's pages first: when selection took other pages' passages
    too, those pages' own (what selection kept of them, and what it keeps, strong or partial, of their passages
    holding the new ask's own words, most relevant last) stand alone, if they hold as many of the ask's
    own words as the other pages' passages do, and no FAQ entry selection took asks all of them."""
    words = own_words(asked, prior.get("question") or "", vocab)
    mine = own_page_passages(retrieved, prior, words)
    pages = {p.get("source") for p in mine}
    if not mine or all(p.get("source") in pages for p in chosen):
        return chosen
    if names_other_page(asked, [p for p in chosen if p.get("source") not in pages]):
        return chosen  # "那 ImagePullBackOff 呢？": the message names another page's own subject
    if any(p.get("kind") == "faq" and (q := _FAQ_QUESTION.match(p.get("text") or ""))
           and all(w in q.group(0).lower() for w in words) for p in chosen):
        return chosen  # an FAQ entry asks just this ("云数据库 MySQL 端口是多少？" for "那它的端口是多少")
    first = choose(mine)
    if not any((p.get("meta") or {}).get("match") for p in first):
        return chosen

    def held(passages: list[PassageData]) -> int:
        text = " ".join(p.get("text") or "" for p in passages).lower()
        return sum(w in text for w in words)

    ids = {p.get("chunk_id") for p in first}
    kept = [p for p in chosen if p.get("source") in pages and p.get("chunk_id") not in ids] + first
    return kept if held(kept) >= held([p for p in chosen if p.get("source") not in pages]) else chosen


def names_other_page(asked: str, others: list[PassageData]) -> bool:
    """The message quotes a name or error code (ImagePullBackOff, ERROR 1040) that another page's
    title or heading carries: the user switched to that page's subject."""
    quoted = quoted_names(asked)
    heads = " ".join(" ".join([p.get("title") or "", *(p.get("heading_path") or [])]) for p in others).lower()
    return any(q in heads for q in quoted)


def step_first(passages: list[PassageData], prior: PriorAnswer, item: str,
               search: Callable[[str], list[PassageData]]) -> list[PassageData]:
    """The item's own section from the previous answer's pages first, then the rest (no repeats)."""
    sources = prior.get("sources") or []
    if not item.strip() or not sources:
        return passages
    found = [p for p in search(item) if p.get("source") in sources]
    # the section headed by the item first ("第二步：在系统内确认新容量"), then by the search's rank
    flat = _flat(item)
    found.sort(key=lambda p: not any(flat and flat in _flat(h) for h in p.get("heading_path") or []))
    first: list[PassageData] = [{**p, "meta": {**(p.get("meta") or {}), ASKED_ITEM: True}} for p in found[:1]]
    ids = {p.get("chunk_id") for p in first}
    return first + [p for p in passages if p.get("chunk_id") not in ids]


def step_only(chosen: list[PassageData], retrieved: Sequence[PassageData], item: str,
              message: str) -> list[PassageData] | None:
    """A step follow-up's evidence: of the selected passages, those of the step's own section (step_first
    marked it; no other step of the page, no other page); None when selection kept none of it, when
    the item has no section of its own (a cause in a list: its fix may sit elsewhere) or when the
    message brings something beyond the step ("第三步报 NOCHANGE…": the page's error table helps)."""
    step = next((p for p in retrieved if (p.get("meta") or {}).get(ASKED_ITEM)), None)
    if step is None or step.get("kind") == "faq" or _BEYOND_STEP.search(message.replace(item, " ")):
        return None
    flat = _flat(item)
    if not flat or not any(flat in _flat(h) for h in (step.get("heading_path") or [])[-1:]):
        return None
    path = list(step.get("heading_path") or [])
    mine = [p for p in chosen if p.get("source") == step.get("source")
            and list(p.get("heading_path") or [])[:len(path)] == path]
    return mine or None
