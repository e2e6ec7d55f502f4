"""What kind of detail a follow-up asks about a part of the previous answer, and which units give it.

    kind = detail_kind("growpart 后面的参数怎么写")     # "command"
    gives(kind, "```bash\\ngrowpart /dev/vdb 1\\n```")  # True

A follow-up pointing at a step, a command or a field asks for one of a few things: what to type (a
command, an argument, a file's format: a unit with code or a quoted value gives it), what something
means (a unit saying it in words, not a code block alone) or where it is done (a unit with a console
path). How to do a whole task is not a part's detail: the page's steps answer it. The cues are Chinese question forms, not any base's terms; asking for a value (多久, 多少钱…) is
graph/asked_kind.py's. Used by graph/pointed_unit.py; tested in tests/graph/test_pointed_unit.py.
"""

from __future__ import annotations

import re
from typing import Literal

from graph.console_path import PATH, PLACE_WORDS
from graph.question_type import asks_place

Detail = Literal["command", "meaning", "place", "requirement", ""]

_COMMAND = re.compile(r"命令|指令|语句|怎么(?:写|敲|填|跑)|咋(?:写|敲|填)|(?:敲|填)(?:啥|什么)|长(?:啥|什么)样|格式|示例|例子|参数")
_MEANING = re.compile(r"(?:啥|什么)意思|干(?:嘛|啥|什么)(?:用)?的?|(?:有)?(?:啥|什么)用|说明(?:啥|什么|了什么)|代表(?:啥|什么)|是(?:啥|什么)(?:东西)?[吗呢啊]?\s*$")
# "新的有啥要求", "那个字段有啥格式限制", "名字能用中文吗": a rule the part must follow, not how to type it;
# asked as a question ("安全组规则我刚加上" names rules, asks none)
_ASKED_RULE = r"(?:要求|限制|规则|规定|规范|讲究|约束|条件)"
_REQUIREMENT = re.compile(r"(?:啥|什么|哪些|有没有|有|没)[^，,。？?\s]{0,4}?" + _ASKED_RULE + r"|" + _ASKED_RULE
                          + r"(?:是)?(?:啥|什么|吗|么|没|不)|(?:能|可以)(?:用|带|包含|含|有)(?:中文|汉字|大写|小写|下划线|空格|特殊字符|符号|数字|字母)")
_RULE = re.compile(r"长度|字符|必须|须|不能|不可|不得|不允许|不支持|至少|最多|最少|只能|仅|不超过|不小于|不低于|不大于|以内|之间"
                   r"|开头|结尾|一致|要求|限制|以上|以下|\d+\s*[-~～到至]\s*\d+")
"""Words stating a rule (a length, characters allowed, must / must not, a range): a unit holding several states one."""
RULE_CUES = 1
"""A unit states a requirement when it holds at least this many distinct rule words."""
_CODE = re.compile(r"```|`[^`\n]+`")
_CJK = re.compile(r"[\u4e00-\u9fff]")
FENCED = re.compile(r"```.*?(?:```|$)", re.S)
"""A fenced code block (to its end, or the text's end when a chunk cut it open)."""


def detail_kind(message: str) -> Detail:
    """The kind of detail the message asks for ("" when it asks none of these)."""
    if asks_place(message):
        return "place"
    if _REQUIREMENT.search(message):
        return "requirement"
    if _MEANING.search(message):
        return "meaning"
    if _COMMAND.search(message):
        return "command"
    return ""


def without_cues(message: str) -> str:
    """The message less the words asking for a kind of detail (what is left names the part)."""
    return PLACE_WORDS.sub(" ", _COMMAND.sub(" ", _MEANING.sub(" ", _REQUIREMENT.sub(" ", message))))


def rule_strength(text: str) -> int:
    """How many distinct rule words a unit's text holds (a requirement stated, not a step mentioning one)."""
    return len({m.group(0) if not m.group(0)[0].isdigit() else "range" for m in _RULE.finditer(text)})


def gives(kind: Detail, text: str) -> bool:
    """Does a unit's text give the kind of detail (any unit does when no kind is asked)?"""
    if kind == "command":
        return bool(_CODE.search(text))
    if kind == "meaning":
        return len(_CJK.findall(FENCED.sub(" ", text))) >= 6
    if kind == "place":
        return bool(PATH.search(text))
    if kind == "requirement":
        return rule_strength(FENCED.sub(" ", text)) >= RULE_CUES
    return True
