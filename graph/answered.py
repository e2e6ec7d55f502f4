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
from graph.thread import Thread, cited_titles, subject_titles

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
    """The title and the things the user named (see `answered_parts`), as one subject."""
    title, things = answered_parts(thread, terms, named)
    return " ".join([title, *things]) if title else ""


def answered_thing(thread: Thread, terms: DomainTerms, question: str) -> str:
    """The shortest words naming what the last reply was about, for a follow-up asking about one of the
    things its page's title names ("带宽最大能调多少" after "eip 解绑了…会扣钱不" answered from "弹性公网 IP
    绑定与带宽"): the title's first thing and the names the user gave it ("弹性公网 IP eip"), not the rest
    of the title (the page's other topics, 绑定, dilute the follow-up's own) nor the user's action words
    (解绑). "" when the follow-up's thing is not in the title ("白名单在哪改" after "无法连接数据库": the
    whole title says the problem it is asked for) or as `answered_subject`."""
    title, things = answered_parts(thread, terms)
    head = terms.first(title) if title else ""
    low = title.lower()
    if not head or not any(t in low and t not in head.lower() for t in terms.all_in(question)):
        return ""
    names = [t for t in things if t.isascii() and t.lower() not in head.lower()]
    return " ".join([head, *names])


_JOINED = re.compile(r"\s*(?:与|和|及|、)\s*")
"""What joins the topics of a title ("CDN 缓存规则与刷新")."""


def asked_part(title: str, question: str, head: str) -> str:
    """Of a title that joins topics ("CDN 缓存规则与刷新"), the one topic a follow-up's words share
    characters with ("这个一天能刷多少次": 刷新), with the title's head thing ("CDN 刷新"); the title itself
    when its topics are not joined, or the words share characters with none or with more than one."""
    parts = [p for p in _JOINED.split(title) if p.strip()]
    mine = {c for c in question if "\u4e00" <= c <= "\u9fff" and c not in _FUNCTION_CHARS}
    shared = [p for p in parts if mine & set(p)]
    if len(parts) < 2 or len(shared) != 1:
        return title
    part = shared[0].strip()
    if head and head.lower() not in part.lower():
        part = f"{head} {part.replace(head, '').strip()}" if head in title else part
    return part


COLLECTION_TITLE = re.compile(r"常见问题|问题解答|问答|手册|汇总|合集|大全|速查|\bFAQs?\b|Q\s*&\s*A|handbook|cheat\s*sheet",
                              re.IGNORECASE)
"""The title of a page that collects questions or scenarios (a FAQ, an on-call handbook): what the reply answered is
the entry, not the page ("值班手册：数据库故障应急 - SRE 运维空间" would pull the handbook's preamble into "白名单在哪配")."""


def answered_parts(thread: Thread, terms: DomainTerms, named: bool = True) -> tuple[str, list[str]]:
    """The title of the first page the last reply cites that names a thing, when the last question only
    described a problem ("java 调接口报 PKIX path building failed…" -> "证书链不完整"), with the things the
    question named when `named` ("t5 实例"); "" after a question that asks with a subject short
    enough to name it, after a follow-up (its standalone says what it is about), or when no cited title
    names a thing."""
    question = thread.question or thread.topic
    probe = _INDEFINITE.sub("都", question)
    if thread.focus_kind or (thread.question and thread.question != thread.topic):
        return "", []  # after a follow-up: its standalone question already says what it is about
    if len(subject_of(probe)) <= DESCRIBED and ASKS.search(probe):
        return "", []  # (a statement asks nothing: "cdn 上的文件更新了 用户打开还是旧的" describes)
    for title in subject_titles(thread.answer, question):
        low = title.lower()
        if title.isascii() and " " not in title and ("-" in title or "_" in title):
            continue  # "error-codes": a table's file name, not what the answer was about
        if COLLECTION_TITLE.search(title):
            continue  # "SQL 操作常见问题": a page of many questions names none of them
        if any(t in low and t not in ATTRIBUTES for t in terms.entities):
            # the things the user named stay ("t5 实例" of a page on CPU at 100% in general), unless
            # `named` is off: "nginx 那边" names the side asked about instead (not "java" of the symptom);
            # not the words of a quoted error, an address or a code ("HY000", "3306" say how it failed)
            quiet = cues.TARGETS.sub(" ", ERROR_PHRASE.sub(" ", question))
            words = PRODUCT.findall(question) + terms.phrase(quiet).split()  # MySQL even inside the error
            things = [w for w in words if w.lower() not in low and not _CODE_WORD.fullmatch(w)] if named else []
            return title, list(dict.fromkeys(things))
    return "", []


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


_OWN_CASE = re.compile(r"^我们?(?:这边|这里|这)?(?:用的|装的)?是\s*(?P<case>[A-Za-z][\w.+-]*)(?:\s*的)?"
                       r"(?:\s*(?:电脑|机器|系统|服务器|主机|环境|实例|版本))?\s*[，,]\s*(?P<rest>\S.*)$")
""""我是 windows 电脑，咋查 NS": the user's own case (a name), then the ask."""


def own_case(text: str) -> tuple[str, str]:
    """The case the user says they are in and the ask after it ("windows", "咋查 NS"): the conversation's
    ask for that case — the generic noun (电脑, 机器) left out, it would pull the search to pages about
    machines; ("", "") when the message does not open with one."""
    found = _OWN_CASE.match(text.strip())
    return (found.group("case"), found.group("rest").strip()) if found else ("", "")

