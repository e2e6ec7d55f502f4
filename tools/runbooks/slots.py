"""Validating the agent's answers into slot values, and spotting them in the first question."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from tools.runbooks.schema import Slot

URL = re.compile(r"https?://[^\s，。；、\"'<>）)]+", re.I)
IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")
DOMAIN = re.compile(r"(?<![\w.-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{1,62}(?![\w-])", re.I)
HOST = re.compile(r"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.?)+$|^\[?[0-9A-Fa-f:.]+\]?$")
PORT_PATTERNS = (  # most explicit first
    re.compile(r"(?:端口|port)\s*[:：号]?\s*(\d{1,5})(?!\d)", re.I),
    re.compile(r"(?<![\d.])(\d{1,5})\s*端口"),
    re.compile(r"(?<=[\w\]]):(\d{2,5})(?!\d)"),
)


def validate(slot: Slot, answer: str) -> tuple[bool, Any, str]:
    """(ok, value, problem in Chinese)."""
    text = answer.strip()
    if not text:
        return False, None, "回答为空"
    ok, value, problem = _typed(slot, text)
    if ok and slot.pattern and not re.fullmatch(slot.pattern, str(value)):
        return False, None, "格式不符合要求"
    return ok, value, problem


def default_value(slot: Slot) -> Any:
    """The slot's default converted to its type (None without a default)."""
    if slot.default is None:
        return None
    ok, value, _ = validate(slot, slot.default)
    return value if ok else slot.default


def _typed(slot: Slot, text: str) -> tuple[bool, Any, str]:
    if slot.type == "host":
        if "://" in text:
            text = urlsplit(text).hostname or ""
        text = text.strip().strip("[]") if text.count(":") > 1 else text.strip()
        if not HOST.match(text) or len(text) > 253:
            return False, None, "请填写域名或 IP 地址，例如 www.example.com 或 203.0.113.10"
        return True, text, ""
    if slot.type == "url":
        if not re.match(r"^https?://", text, re.I):
            text = "https://" + text
        parts = urlsplit(text)
        if not parts.hostname or " " in text:
            return False, None, "请填写完整的网址，例如 https://www.example.com/"
        return True, text, ""
    if slot.type in ("port", "int"):
        if not re.fullmatch(r"\d{1,9}", text):
            return False, None, "请填写数字"
        number = int(text)
        if slot.type == "port" and not 1 <= number <= 65535:
            return False, None, "端口应在 1-65535 之间"
        return True, number, ""
    if slot.type == "choice":
        for i, choice in enumerate(slot.choices, 1):
            if text.lower() == choice.lower() or text == str(i):
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
