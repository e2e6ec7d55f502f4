"""Validating the agent's answers into slot values, and spotting them in the first question."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from tools.runbooks.schema import Slot

URL = re.compile(r"https?://[^\s，。；、\"'<>）)]+", re.I)
IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")
DOMAIN = re.compile(r"(?<![\w.-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{1,62}(?![\w-])", re.I)
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
# Labels joined by dots (an optional trailing one); each dot is required between labels, so matching stays
# linear ("(?:label\.?)+" backtracked exponentially on a long word ending in another character).
HOST = re.compile(rf"^{_LABEL}(?:\.{_LABEL})*\.?$|^\[?[0-9A-Fa-f:.]+\]?$")
PORT_PATTERNS = (  # most explicit first
    re.compile(r"(?:端口|port)\s*[:：号]?\s*(\d{1,5})(?!\d)", re.I),
    re.compile(r"(?<![\d.])(\d{1,5})\s*端口"),
    re.compile(r"(?<=[\w\]]):(\d{2,5})(?!\d)"),
)


def validate(slot: Slot, answer: str) -> tuple[bool, Any, str]:
    """(ok, value, problem in Chinese); a host, URL or port is also taken out of a sentence
    ("机器 IP 是 203.0.113.10"), a choice from a phrase that names one option ("应该是 Linux")."""
    text = answer.strip()
    if not text:
        return False, None, "回答为空"
    try:
        ok, value, problem = _typed(slot, text)
        if not ok and slot.type in ("host", "url", "port"):
            found = from_question(slot, text)
            if found is not None:
                ok, value, problem = _typed(slot, str(found))
    except ValueError:  # urlsplit rejects odd netlocs ("CLB 空闲超时默认多久？"): not an address
        ok, value, problem = False, None, _PROBLEMS.get(slot.type, "格式不符合要求")
    if ok and slot.pattern and not re.fullmatch(slot.pattern, str(value)):
        return False, None, "格式不符合要求"
    return ok, value, problem


_PROBLEMS = {"host": "没有识别出域名或 IP 地址", "url": "没有识别出网址", "port": "没有识别出端口号"}


def default_value(slot: Slot) -> Any:
    """The slot's default converted to its type (None without a default)."""
    if slot.default is None:
        return None
    ok, value, _ = validate(slot, slot.default)
    return value if ok else slot.default


_YES = ("是", "是的", "对", "嗯", "解决了", "已解决", "好了", "恢复了", "正常了", "可以了", "yes", "y", "ok")
_NO = ("否", "不是", "没有", "没", "还没", "没解决", "未解决", "还没解决", "不行", "还是不行", "没好", "no", "n")
_CHOICE_TRIM = " \t\n，,。.！!？?、；;：:“”\"'（）()"


def _variants(choice: str) -> list[str]:
    """"认证失败（Permission denied / 凭据不工作）" -> the whole text and its parts."""
    parts = [p.strip() for p in re.split(r"[（）()/／]", choice) if len(p.strip()) >= 2]
    return [choice, *parts]


def match_choice(choices: list[str], text: str) -> str | None:
    """The option a reply names: its text or number, a part of it, or yes/no for 是/否; None if unclear."""
    reply = text.strip().strip(_CHOICE_TRIM).lower()
    if not reply:
        return None
    for i, choice in enumerate(choices, 1):
        if reply == choice.lower() or reply == str(i):
            return choice
    hits = [c for c in choices if any(v.lower() in reply for v in _variants(c))]
    hits += [c for c in choices if len(reply) >= 2 and c not in hits and reply in c.lower()]
    if len(hits) == 1:
        return hits[0]
    if hits:  # the most specific option named ("其他规格" over a bare "其他")
        best = max(hits, key=lambda c: max(len(v) for v in _variants(c) if v.lower() in reply or reply in v.lower()))
        return best
    lowered = {c.lower() for c in choices}
    if {"是", "否"} <= lowered:
        if reply in _NO or reply.startswith(("没", "不", "未", "还没")):
            return next(c for c in choices if c.lower() == "否")
        if reply in _YES:
            return next(c for c in choices if c.lower() == "是")
    return None


def _typed(slot: Slot, text: str) -> tuple[bool, Any, str]:
    if slot.type == "host":
        if "://" in text:
            text = urlsplit(text).hostname or ""
        text = text.strip().strip("[]") if text.count(":") > 1 else text.strip()
        if not HOST.match(text) or len(text) > 253:
            return False, None, "没有识别出域名或 IP 地址"
        return True, text, ""
    if slot.type == "url":
        if not re.match(r"^https?://", text, re.I):
            text = "https://" + text
        parts = urlsplit(text)
        if not parts.hostname or " " in text or not (DOMAIN.fullmatch(parts.hostname) or IPV4.fullmatch(parts.hostname)
                                                    or parts.hostname == "localhost"):
            return False, None, "没有识别出网址"
        return True, text, ""
    if slot.type in ("port", "int"):
        if not re.fullmatch(r"\d{1,9}", text):
            return False, None, "没有识别出数字"
        number = int(text)
        if slot.type == "port" and not 1 <= number <= 65535:
            return False, None, "端口应在 1-65535 之间"
        return True, number, ""
    if slot.type == "choice":
        choice = match_choice(slot.choices, text)
        if choice is not None:
            return True, choice, ""
        return False, None, f"请从以下选项中选择：{' / '.join(slot.choices)}"
    return True, text, ""


def from_question(slot: Slot, question: str) -> Any:
    """A value for host/url/port slots found in the question (a text slot takes the whole question), or None."""
    if slot.type == "text":
        return question.strip() or None
    if slot.type == "url":
        m = URL.search(question)
        return m.group(0) if m else None
    if slot.type == "host":
        m = URL.search(question)
        if m:
            return urlsplit(m.group(0)).hostname
        m = IPV4.search(question) or DOMAIN.search(question)
        return m.group(0) if m else None
    if slot.type == "port":
        for pattern in PORT_PATTERNS:
            for m in pattern.finditer(question):
                if 1 <= int(m.group(1)) <= 65535:
                    return int(m.group(1))
    return None
