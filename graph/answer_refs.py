"""References into the previous answer: the n-th item of its list, an item of a kind it named, the setting it named.

    ordinal_reference("第三步那个命令什么意思", thread, ordinal, subject, entities)   # -> Resolution
    named_reference("这个参数在哪改", thread, ref)                                   # -> Resolution
    configured_item("在哪配", thread, subject)                                      # -> "MySQL long_query_time"

Used by graph.followup (which decides when a message points back); the items themselves are found by
graph.references. Tests: tests/graph/test_followup.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from graph import cues
from graph.cues import CONFIG_VERB, PRODUCT, TRIM, tidy
from graph.references import (NOUN_KINDS, Ordinal, Reference, answer_items, context_of, demonstrative_of,
                              named_items, pick_item, pick_named)
from graph.list_kind import item_name, kinds_agree, list_kind, ordinal_kind
from graph.thread import Thread, encode_focus


@dataclass
class Resolution:
    """A sub-question made standalone, its decision and what it pointed at."""

    standalone: str
    decision: str
    """new_topic | follow_up | clarify"""
    focus: str = ""
    """What the follow-up pointed at (a named item, an ellipsis's X, a list item), for the next turn."""
    kind: str = ""
    """The focus's kind (graph.thread.FOCUS_KINDS)."""

    @property
    def encoded(self) -> str:
        return encode_focus(self.kind, self.focus)


def named_reference(text: str, thread: Thread, ref: Reference) -> Resolution | None:
    """"这个参数" / "那个汇总工具" / "它的上限": the item of that kind the last answer named."""
    answer, named = next(((a, n) for a in (thread.answer, *thread.earlier) if (n := pick_named(a, ref))),
                         (thread.answer, None))
    if named is None:
        return None
    context = context_of(answer, named)
    shown = f"{context}的{ref.noun} {named.text}" if context else f"{named.text} {ref.noun}"
    if ref.pronoun:
        shown = f"{named.text} 的{ref.noun}"
    before = _SAID.sub("", text[: ref.span[0]])  # "你说的那个参数": the answer's, said once
    body = cues.FILLER.sub("", before + shown + " " + text[ref.span[1]:].lstrip("的"))
    return Resolution(tidy(body), "follow_up", named.text, "named")


def configured_item(rest: str, thread: Thread, subject: Callable[[str], str]) -> str:
    """For "它在哪配/它设成多少": the topic and the setting the last answer named, or ""."""
    if not CONFIG_VERB.search(rest):
        return ""
    named = next((n for n in named_items(thread.answer) if n.kind in ("key", "camel", "header")
                  and not PRODUCT.fullmatch(n.text)), None)
    if named is None:
        return ""
    topic = subject(thread.topic) if thread.topic else ""
    return f"{topic} {named.text}".strip() if topic and named.text.lower() not in topic.lower() else named.text


def sole_setting(rest: str, thread: Thread) -> str:
    """For a bare "最大能设到多少" (no subject of its own): the one setting the last answer named, or "" —
    with two or more named it is not known which one is meant."""
    if not CONFIG_VERB.search(rest):
        return ""
    names = {n.text for n in named_items(thread.answer) if n.kind in ("key", "camel") and not PRODUCT.fullmatch(n.text)}
    return names.pop() if len(names) == 1 else ""


def ordinal_reference(text: str, thread: Thread, ordinal: Ordinal, subject: Callable[[str], str],
                      entities: Callable[[str], list[str]]) -> Resolution | None:
    """"第三步" / "后面那个" / "第三步那个命令": the item of the list the last answer gave (and the thing it names)."""
    lead, items = answer_items(thread.listed or thread.answer)
    item = pick_item(items, ordinal)
    if not item or not kinds_agree(ordinal_kind(text, ordinal), list_kind(lead, items)):
        return None  # "第一步看啥" after a list of causes: the procedure's step, not the answer's first cause
    block = _item_block(thread.listed or thread.answer, items, item)
    item = item.split("\n", 1)[0].strip() or item  # a step with sub-steps or code: its own line names it
    rest = (text[: ordinal.span[0]] + text[ordinal.span[1]:]).strip(" ，,的")
    ref = demonstrative_of(rest) or _bare_noun(rest)
    named = pick_named(block, ref) if ref is not None and not ref.pronoun else None
    if named is not None and not named.text[:1].isascii():
        named = None  # prose read as a command ("…可以执行以下命令…"): not a name to ask about
    if ref is not None and named is not None:  # "第三步那个命令什么意思": the command that step gives
        shown = _FENCE_TAG.sub("", named.text)
        rest = f"{rest[:ref.span[0]]}{ref.noun} {shown} {rest[ref.span[1]:].lstrip('的')}"
    rest = re.sub(r"^(?:那么|那)\s*", "", rest)
    rest = re.sub(r"^(?:说的|提到的|里|中|里面)\s*", "", rest)
    if not rest.strip(TRIM + "呢"):  # "那第四个呢": ask what the previous ordinal question asked
        previous = _ORDINAL_TAIL.search(thread.question)
        rest = previous.group(1) if previous else "具体怎么做"
    # "云盘扩容的步骤" -> "云盘扩容": the list the topic asked for is given by the item; its words would ask
    # for the whole procedure again
    whole = subject(thread.topic or thread.question)
    topic = _ASKED_LIST.sub("", whole).strip() or whole
    context = lead if lead and entities(lead) and len(lead) <= 40 else ""
    parts = [p for p in (topic, context) if p and p.lower() not in item.lower()]
    standalone = tidy(f"{' '.join(parts)}：{item_name(item)}，{rest.strip(TRIM + '呢')}")
    return Resolution(standalone, "follow_up", item[:60], "item")


def noun_named(rest: str, answer: str) -> tuple[str, str] | None:
    """"(那个)代理没装的话怎么装" after an answer that spoke of "在线重置代理（ss-agent）": ("代理", "ss-agent") —
    the noun right after 这个/那个 (2-4 Chinese characters, longest first) where the answer gives it a name in
    brackets, backquotes or right after it; None when the answer does not name it so. The answer's source
    excerpts count: the user read the noun there as much as in its lines."""
    text = re.sub(r"\[\d+\]", "", answer or "").replace("**", "")
    for size in (4, 3, 2):
        noun = rest.lstrip()[:size]
        if len(noun) < size or not _CJK_WORD.fullmatch(noun):
            continue
        for at in (m.end() for m in re.finditer(re.escape(noun), text)):
            name = _NAME_AFTER_NOUN.match(text, at)
            if name:
                return noun, name.group(1) or name.group(2)
    return None


_CJK_WORD = re.compile(r"[\u4e00-\u9fff]+")
_NAME_AFTER_NOUN = re.compile(r"[ \t]?[（(]`?([A-Za-z][\w.-]{1,40})`?[）)]|[ \t]?`([A-Za-z][\w.-]{1,40})`")
"""A name given right after a noun: "代理（ss-agent）", "代理 `ss-agent`"."""


def nth_named(text: str, thread: Thread, ordinal: Ordinal, subject: Callable[[str], str]) -> Resolution | None:
    """"第三步那个命令是干嘛的" after an answer that gave no list but named commands in prose: the n-th item of
    the kind the noun means, in the order the answer named them (each once)."""
    ref = demonstrative_of(text) or _bare_noun(text[ordinal.span[1]:].lstrip(" ，,的"))
    if ref is None or ref.pronoun:
        return None
    kinds = NOUN_KINDS.get(ref.noun.lower(), ())
    named = list(dict.fromkeys(n.text for n in named_items(thread.answer) if n.kind in kinds))
    item = pick_item(named, ordinal)
    if not item:
        return None
    start, end = ordinal.span[0], ordinal.span[1]
    rest = text[end:]
    span = demonstrative_of(rest)
    if span is not None:  # the 那个命令 after the ordinal: the item named in its place
        rest = f"{rest[:span.span[0]]}{span.noun} {_FENCE_TAG.sub('', item)} {rest[span.span[1]:].lstrip('的')}"
    else:
        rest = f"{ref.noun} {_FENCE_TAG.sub('', item)} {rest.lstrip(' ，,的')[len(ref.noun):]}"
    topic = subject(thread.topic or thread.question)
    return Resolution(tidy(f"{topic} {text[:start]} {rest}"), "follow_up", item, "named")


_SAID = re.compile(r"^\s*(?:你|您)?(?:刚才|刚刚|上面|前面|之前)?(?:说|提到|讲|给|写|列)(?:出)?的\s*$")
_FENCE_TAG = re.compile(r"^(?:bash|shell|sh|console|sql|text)\s+")
"""A code block's language tag read as the start of its command ("bash lsblk")."""


def _bare_noun(rest: str) -> Reference | None:
    """"(第二步)的命令是干嘛的": a kind of named item right after the ordinal, without 那个."""
    m = re.match(r"(?:里面|里|中)?的?(" + "|".join(sorted(map(re.escape, NOUN_KINDS), key=len, reverse=True)) + ")", rest)
    return Reference(m.span(), m.group(1), "", False) if m else None


def _item_block(answer: str, items: list[str], item: str) -> str:
    """The item with what the answer shows under it (its commands, sub-steps), up to the next item."""
    def line_of(text: str, after: int) -> int:  # where the item opens a list line ("3. **扩展分区**")
        m = re.compile(rf"^[ \t]*(?:\d+[.、)]|[-*•])[ \t]*(?:\*\*)?{re.escape(text[:30])}", re.M).search(answer, after)
        return m.start() if m else -1

    start = line_of(item, 0)
    if start < 0:
        return item
    later = [line_of(i, start + 1) for i in items[items.index(item) + 1:]]
    ends = [e for e in later if e > start]
    return answer[start: min(ends) if ends else len(answer)]


_ASKED_LIST = re.compile(r"的?(?:具体|详细|完整)?(?:操作)?(?:步骤|流程|方法|过程)(?:是什么|有哪些|是啥)?\s*$")
"""A topic's closing words that ask for a list ("…的步骤", "…的操作流程")."""
_ORDINAL_TAIL = re.compile(r"，([^，]*?)$")
