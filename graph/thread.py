"""What the conversation is about before a message: the thread follow-ups are resolved against.

    thread = thread_of(history, resolver)

Built from the history's messages; assistant messages carry `questions` (the standalone
questions answered), `decision` and `focus` (what each follow-up pointed at, as
"kind:text" — named item, swapped item of "那 X 呢", or an item of a list). Messages without
them (a seeded history) are resolved in order with the resolver. Tests: tests/graph/test_followup.py.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from graph.references import answer_items, ordinal_of

_SOURCE_TITLE = re.compile(r"^\[\d+\]\s+(?:〔[^〕\n]*〕)?《([^》\n]+)》\s+`", re.M)  # compose's sources_block


def cited_titles(answer: str) -> list[str]:
    """The titles of the pages a reply cites, in the order of its source list; none for a reply that
    said it found nothing that fits (its sources are a guess, not what the conversation is about)."""
    from graph.prompts import replies

    texts = replies("zh")
    hedge = os.path.commonprefix([texts["not_covered"], texts["partial_match"]]).strip()
    if hedge and answer.lstrip().startswith(hedge):
        return []
    return list(dict.fromkeys(m.group(1).strip() for m in _SOURCE_TITLE.finditer(answer)))


_LATIN = re.compile(r"[a-z][a-z0-9_.+-]+|\d{3,}")


def _shared(title: str, question: str) -> int:
    """How many of a title's words (Latin words, Chinese character pairs) the question writes too."""
    low, asked = title.lower(), question.lower()
    pairs = {low[i:i + 2] for i in range(len(low) - 1) if all("\u4e00" <= c <= "\u9fff" for c in low[i:i + 2])}
    return sum(p in asked for p in pairs) + sum(w in asked for w in set(_LATIN.findall(low)))


def subject_titles(answer: str, question: str) -> list[str]:
    """cited_titles, those naming more of the question first (else in the source list's order): what the
    reply answered is the page on the user's problem, not a table or formula page its first line cited
    ("云盘类型与性能" before "云盘 IOPS 不达标" for "ssd 云盘 iops 才一千多")."""
    return sorted(cited_titles(answer), key=lambda t: -_shared(t, question))


FOCUS_KINDS = ("named", "swap", "item", "unit")
"""named: an item the answer named (这个参数 -> long_query_time); swap: X of "那 X 呢"; item: a list item;
unit: a part of the previous answer's page the message's own words selected (graph/referent.py)."""


def encode_focus(kind: str, text: str) -> str:
    return f"{kind}:{text}" if kind else ""


def decode_focus(value: str) -> tuple[str, str]:
    kind, _, text = (value or "").partition(":")
    return (kind, text) if kind in FOCUS_KINDS else ("", "")


@dataclass
class Thread:
    """What the conversation is about before this message."""

    question: str = ""
    """The last standalone question."""
    topic: str = ""
    """The question that opened the current topic."""
    answer: str = ""
    """The assistant's last reply (also a runbook's cards)."""
    focus: str = ""
    """The last follow-up's referent."""
    focus_kind: str = ""
    """What kind of referent: named | swap | item (FOCUS_KINDS); "" when none."""
    pending: str = ""
    """A message the assistant asked to clarify (its answer completes it)."""
    earlier: list[str] = field(default_factory=list)
    """The assistant's replies before the last one, newest first (a named item may be two answers back)."""
    listed: str = ""
    """The answer whose list ordinals point into (stays while the user walks through it: 第三个… 那第四个呢)."""
    asked: str = ""
    """The user's message behind `question` (what the last follow-up added to what it leaned on)."""

    @property
    def empty(self) -> bool:
        return not (self.question or self.topic)

    @property
    def said(self) -> str:
        """What the conversation has said so far (question, topic, reply), lowercased: a word in it is not new."""
        return f"{self.question} {self.topic} {self.answer}".lower()


def thread_of(history: Sequence[Mapping[str, Any]], resolver: Any = None) -> Thread:
    """The thread after `history` (`{"role","content"}` plus `questions`/`decision`/`focus` on assistant
    messages); messages without them (a seeded history) are resolved in order with `resolver`."""
    thread = Thread()
    for i, msg in enumerate(history):
        if msg.get("role") != "assistant":
            continue
        user = history[i - 1].get("content", "") if i and history[i - 1].get("role") == "user" else ""
        questions, decision = msg.get("questions"), msg.get("decision")
        if questions is None and decision is None and user:  # no record: resolve it now
            if resolver is None:
                questions, decision, focus = [user], "new_topic", []
            else:
                found = resolver.resolve(user, thread)
                questions, decision, focus = [found.standalone], found.decision, [found.encoded]
        else:
            focus = msg.get("focus") or []
        answer = msg.get("content", "")
        earlier = ([thread.answer] if thread.answer else []) + thread.earlier[:2]
        walking = ordinal_of(user) is not None and answer_items(thread.listed or thread.answer)[1]
        listed = (thread.listed or thread.answer) if walking else answer
        if decision == "clarify":
            thread = Thread(pending=user)
        elif decision in ("runbook_reply", "control"):
            thread.answer, thread.pending = answer, ""
        elif not questions:  # a greeting or a refusal: nothing to follow up on
            thread = Thread()
        else:
            last = questions[-1]
            if decision in ("new_topic", "runbook_start", "new_question") or not thread.topic:
                thread.topic = last
            thread.question, thread.answer, thread.pending, thread.asked = last, answer, "", user
            thread.focus_kind, thread.focus = decode_focus(focus[-1] if focus else "")
        thread.listed, thread.earlier = listed, earlier
    return thread


