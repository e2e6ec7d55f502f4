"""What a message means while a runbook waits: a reply, a command word, or a question.

    verdict = classify(message, waiting, runbook)     # waiting: the interrupt value

- `control`: the whole message is command words (跳过、退出、算了不查了、批准、同意，重启吧、
  拒绝、skip、exit…); the runbook gets approve / reject / skip / leave;
- `runbook_reply`: a plausible value for the pending slot (an IP for a host, a pasted log
  for a log, an option of a choice…), or anything that is not a question (the runbook then
  re-asks, storing nothing);
- `step_question`: a question about the step that waits ("IP 在哪里看？", "df -i 是看啥的？"):
  it shares words with the step's prompt, or asks where/how to get the value;
- `new_question`: any other question ("那默认端口是多少？", "顺便问下，对象存储 403 怎么办？").

Questions are answered as normal turns while the runbook stays paused. A message that fails
the slot's validation and reads as a question is a question. Pure functions (no model);
tests: tests/graph/test_waiting.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal, Mapping, Sequence

from graph.questions import ASKING
from tools.runbooks.replies import command_of
from tools.runbooks.schema import Runbook, Slot
from tools.runbooks.slots import validate

Decision = Literal["runbook_reply", "control", "step_question", "new_question"]

QUESTION_LIKE = re.compile(ASKING.pattern + r"|啥|咋|呢|是指|干嘛|区别|是几|几[行秒分钟小时]|\bwhat\b|\bhow\b|\bwhy\b"
                           r"|\bwhere\b|\bwhich\b|\bcan i\b|\bshould\b", re.IGNORECASE)
# Asking how to obtain or give the value the step wants.
_META = re.compile(r"在哪|哪里|怎么看|怎么查|如何查看|怎么找|是指|指的是|什么意思|啥意思|干嘛|干什么|看啥|看什么|"
                   r"要带|要不要带|全贴|贴哪|填什么|填哪|还是|格式|哪几|是什么")
SWITCH = re.compile(r"^(换个问题|换个话题|另外问一下|另外问下|另外|对了|顺便问一下|顺便问下|顺便|再问一个|再问个|"
                    r"新问题|还有个问题|还有一个问题|题外话|by the way|btw)[，,：:\s]*", re.IGNORECASE)
# Signs of pasted output (timestamps, exception names, XML error bodies, kernel lines, tables).
_LOG = re.compile(
    # (?<![\w.]): a word or dotted name is scanned from its start only (from every position: quadratic)
    r"\b\d{4}-\d\d-\d\d\b|\d\d:\d\d:\d\d|(?<![\w.])\w+(?:\.\w+)+(?:exception|error)\b|(?<!\w)\w+exception:|traceback|"
    r"<error>|<code>|killed process|out of memory|\(hy\d+\)|errno|/dev/\w+|use%|load average|%cpu|http/\d",
    re.IGNORECASE)
_STOP = {"请", "提供", "粘贴", "填写", "回复", "例如", "或", "的", "是", "信息", "相关", "片段", "输出", "完整", "可选",
         "不需要", "skip", "一下", "需要", "哪个", "什么", "哪类", "哪种", "还是", "怎么", "一般", "这个", "那个"}


@dataclass(frozen=True)
class WaitingVerdict:
    """The decision and what the runbook receives (a command word or the message itself)."""

    decision: Decision
    reply: str


def question_like(text: str) -> bool:
    return bool(QUESTION_LIKE.search(text))


def looks_like_log(text: str) -> bool:
    """Pasted output rather than a sentence: log signals, or several lines."""
    return bool(_LOG.search(text)) or text.count("\n") >= 2


def plausible(slot: Slot, message: str) -> bool:
    """Is the message meant as this slot's value? Valid for the slot, and not a question about something else."""
    ok, value, _ = validate(slot, message)
    if not ok:
        return False
    asks = question_like(message)
    if slot.type in ("host", "url", "port"):
        rest = message.replace(str(value), "") if value is not None else message
        return not asks or len(re.sub(r"[\W\d_a-zA-Z]", "", rest)) <= 3
    if slot.type == "choice":
        return not asks or message.strip() in (*slot.choices, *map(str, range(1, len(slot.choices) + 1)))
    if slot.type == "log":
        return looks_like_log(message) or not asks
    if slot.type == "text" and not slot.pattern:
        return not asks
    return True


def _words(text: str) -> set[str]:
    from knowledge.text import tokenize

    words = {w for w in tokenize(text) if len(w) >= 2 or w.isascii() and len(w) >= 2}
    words |= {w.lower() for w in re.findall(r"[A-Za-z][\w.+-]*", text) if len(w) >= 2}
    return {w for w in words if w not in _STOP}


# Words that are about giving a value of the slot's type ("要带 https:// 吗" while a domain is asked).
TYPE_WORDS = {"host": "域名 ip 地址 http https www 端口 路径", "url": "网址 链接 地址 http https www 路径 域名 ip",
              "port": "端口 port", "log": "日志 报错 输出 粘贴 全贴 截图", "int": "数字"}


def about_step(question: str, waiting: Mapping[str, Any], slot: Slot | None = None) -> bool:
    """Does the question ask about the waiting step (its prompt, options) rather than something new?"""
    hints = TYPE_WORDS.get(slot.type, "") if slot is not None else ""
    context = " ".join([str(waiting.get("prompt") or ""), *map(str, waiting.get("options") or []), hints]).lower()
    shared = [w for w in _words(question) if w in context]
    if _META.search(question) and (shared or not _words(question)):
        return True
    return len(shared) >= 2 or any(len(w) >= 3 for w in shared)


def classify(message: str, waiting: Mapping[str, Any], runbook: Runbook | None) -> WaitingVerdict:
    """The decision for one message while `waiting` (the runbook's pending question) waits."""
    text = message.strip()
    kind = waiting.get("kind") or "ask"
    command = command_of(text, kind)
    if command:
        return WaitingVerdict("control", command)
    switched = SWITCH.match(text)
    if switched:
        return WaitingVerdict("new_question", text)
    slot = runbook.slots.get(str(waiting.get("slot"))) if runbook is not None and kind == "ask" else None
    if slot is not None and plausible(slot, text):
        return WaitingVerdict("runbook_reply", text)
    if not question_like(text):
        return WaitingVerdict("runbook_reply", text)  # the runbook re-asks; nothing invalid is stored
    return WaitingVerdict("step_question" if about_step(text, waiting, slot) else "new_question", text)


def resumed_turn(value: Any, reply_key: str) -> dict[str, Any]:
    """The state update of a turn that resumes a paused runbook or investigation (`reply_key`:
    the state field the reply goes to). The resume value is the reply text, or
    `{"reply", "decision", "message"}` from Copilot: the command word, what it was, and the message
    as the agent typed it (shown in the conversation)."""
    if isinstance(value, dict):
        reply = str(value.get("reply") or "")
        decision, shown = value.get("decision") or "runbook_reply", str(value.get("message") or reply)
    else:
        reply = str(value if value is not None else "")
        decision, shown = "runbook_reply", reply
    return {
        reply_key: reply,
        "sections": None,
        "searched": {},
        "sub_questions": [],
        "standalone": [],
        "decisions": [],
        "focus": [],
        "decision": decision,
        "unanswered": [],
        "routes": [],
        "guard": {"kind": "resume", "in_domain": True, "score": 1.0, "evidence": {}, "message": shown},
        "messages": [{"role": "user", "content": shown}],
        "trace": {"_reset": True, "resume": True},
    }
