"""The language of a user's message: "en" when the user wrote English, else "zh" (the default).

Decided once per message (the guard node records it in the state as `lang`; routing passes it on); the
fixed reply texts (graph.prompts.replies) and cross-lingual retrieval (graph/crosslingual.py)
follow it. A message counts as English when it has (almost) no Chinese characters and reads as
an English sentence: two common English function words ("how", "is", "my"; "hello"), or one
and a question mark. A pasted error or log line ("ERROR 2003 (HY000): Can't connect to MySQL
server on '10.0.1.8:3306'") is the machine's English, not the user's: Chinese, unless the user
asks about it in English ("MySQL reports ERROR 1040, what should I do?"). Guard, retrieval, selection
and relevance each ask about the same text: the answer is cached per text, worked out once.
Tests: tests/graph/test_english.py.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

Lang = Literal["zh", "en"]

_CJK = re.compile(r"[\u4e00-\u9fff]")
_WORD = re.compile(r"[A-Za-z]+(?:'[a-z]+)?")
FUNCTION_WORDS = frozenset("""
a an the is are was were be been am do does did can could should would will shall may might must
how what why when where which who whose whom my our your i we you it its this that these those
there here of to for with from on in at by about after before into not no please help me us
any some have has had get got if or and but than then so just also still why's what's how's
hello hi hey thanks thank
""".split())
_MACHINE = re.compile(r"\b(?:ERROR|FATAL|WARN(?:ING)?|Exception|Traceback)\b|\b[a-z]+\.[a-z]+\.[A-Za-z]+"
                      r"|\d{1,3}(?:\.\d{1,3}){3}|\d{2}:\d{2}:\d{2}")
"""Marks of pasted machine output: log levels, exceptions, dotted class names, IP addresses, times."""
ASKING_START = frozenset("how what why when where which who can could is are does do should i my we our please "
                         "hello hi hey".split())
MAX_CJK = 2
"""Chinese characters an English message may hold (a product name such as 星栈云 makes it mixed)."""


@lru_cache(maxsize=512)
def message_language(text: str) -> Lang:
    """"en" for an English sentence, "zh" otherwise (Chinese is the default)."""
    if len(_CJK.findall(text)) > MAX_CJK:
        return "zh"
    words = [w.lower() for w in _WORD.findall(text)]
    english = sum(1 for w in words if w in FUNCTION_WORDS)
    asks = text.rstrip().endswith("?")
    if _MACHINE.search(text) and not asks and (not words or words[0] not in ASKING_START):
        return "zh"  # a pasted log or error line is the machine's English, not the user's
    return "en" if english >= 2 or (english and (asks or len(words) == 1)) else "zh"
