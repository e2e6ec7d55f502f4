"""What the previous answer was about, for follow-ups that lean on it without saying it.

    answered_subject(thread, terms)             # "证书链不完整" after "java 调接口报 PKIX …" answered from that page
    other_case("那 Windows 的机器扩了盘要咋弄", thread, entities)   # "windows": the same action, another case
    without_cases("Linux 云盘 扩容", entities)   # "云盘 扩容": the subject without the case being left

A question that only describes a problem (a statement, or a subject longer than DESCRIBED) does not
name what a follow-up is about; the reply's first cited page that names a domain thing does (its
title, plus the products the user named, not the codes of a quoted error). A hedged reply ("知识库中
没有与问题完全对应的内容…") names nothing (graph/thread.py `cited_titles`). "那 X …" naming a product
or system the thread never named, sharing the thread's action words, moves that action to X.
Used by graph/followup.py; tests: tests/graph/test_followup_turns.py.
"""

from __future__ import annotations

import re
from typing import Callable

from graph import cues  # (its patterns by module: the hardening audit names each pattern where it is made)
from graph.cues import ASKS, ATTRIBUTES, PRODUCT
from graph.subject import DomainTerms, subject_of
from graph.thread import Thread, cited_titles

DESCRIBED = 10
"""A question whose subject runs longer than this describes a problem rather than naming it."""
# An error the user quoted: a capitalised English phrase of 3+ words ("Too many connections"; not
# "ip yum install"), a lower-case one of 4+, or an error code (ERROR 1040)
ERROR_PHRASE = re.compile(r"\b[A-Z][A-Za-z']+(?:\s+[A-Za-z][A-Za-z']+){2,}|\b[a-z][a-z']+(?:\s+[a-z][a-z']+){3,}|"
                          r"\b(?:ERROR|Error|error)\s*\d{3,5}\b")
_INDEFINITE = re.compile(r"(?:啥|什么|哪儿|哪里|哪|谁|怎么)都")
"""An asking word before 都 means "any…" ("写啥都失败", "怎么都连不上"): a statement, not a question."""
_CODE_WORD = re.compile(r"[A-Za-z]*\d{3}\w*")
"""A port, an error number or code (3306, HY000): how something failed, not a thing of its own."""
_FUNCTION_CHARS = frozenset("的了要吗呢是在把被我你他她它这那个么什怎咋啥弄办做搞呀啊吧还也都就会能可以得着过和与跟及或不没有")
"""Characters that carry no action or thing: two messages sharing them share nothing."""


def answered_subject(thread: Thread, terms: DomainTerms, named: bool = True) -> str:
    """The title of the first page the last reply cites that names a thing, when the last question only
    described a problem ("java 调接口报 PKIX path building failed…" -> "证书链不完整"), with the things the
    question named when `named` ("t5 实例"); "" after a question that asks with a subject short
    enough to name it, after a follow-up (its standalone says what it is about), or when no cited title
    names a thing."""
    question = thread.question or thread.topic
    probe = _INDEFINITE.sub("都", question)
    if thread.focus_kind or (thread.question and thread.question != thread.topic):
        return ""  # after a follow-up: its standalone question already says what it is about
    if len(subject_of(probe)) <= DESCRIBED and ASKS.search(probe):
        return ""  # (a statement asks nothing: "cdn 上的文件更新了 用户打开还是旧的" describes)
    for title in cited_titles(thread.answer):
        low = title.lower()
        if title.isascii() and " " not in title and ("-" in title or "_" in title):
            continue  # "error-codes": a table's file name, not what the answer was about
        if any(t in low and t not in ATTRIBUTES for t in terms.entities):
            # the things the user named stay ("t5 实例" of a page on CPU at 100% in general), unless
            # `named` is off: "nginx 那边" names the side asked about instead (not "java" of the symptom);
            # not the words of a quoted error, an address or a code ("HY000", "3306" say how it failed)
            quiet = cues.TARGETS.sub(" ", ERROR_PHRASE.sub(" ", question))
            words = PRODUCT.findall(question) + terms.phrase(quiet).split()  # MySQL even inside the error
            things = [w for w in words if w.lower() not in low and not _CODE_WORD.fullmatch(w)] if named else []
            return " ".join([title, *dict.fromkeys(things)])
    return ""


def other_case(text: str, thread: Thread, entities: Callable[[str], list[str]]) -> str:
    """"那 X …" naming a product or system X the thread never named, with the rest sharing the thread's
    action words (two content characters of its questions or of the reply's page titles): X, the case
    the message moves the thread to; "" otherwise. `entities`: the names a text holds."""
    said = f"{thread.question} {thread.topic} {' '.join(cited_titles(thread.answer))}".lower()
    named = entities(text)
    new = [e for e in named if e.isascii() and not e.isdigit() and e.lower() not in said]
    if not new:
        return ""
    rest = text.lower()
    for e in named:
        rest = rest.replace(e.lower(), " ")
    shared = {c for c in rest if "\u4e00" <= c <= "\u9fff" and c not in _FUNCTION_CHARS and c in said}
    return new[0] if len(shared) >= 2 else ""


def without_cases(subject: str, entities: Callable[[str], list[str]]) -> str:
    """The subject without the products or systems it named (the case being left)."""
    kept = [w for w in subject.split() if not (w.isascii() and entities(w))]
    return " ".join(kept) or subject
