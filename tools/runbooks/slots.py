"""Validating the agent's answers into slot values, and spotting them in the first question.

Every check here runs on text a user typed, so lengths are checked before any pattern and
every pattern is linear: host names are split into labels instead of matched by one
nested-quantifier expression (`(label\\.?)+` backtracked exponentially on `"a"*27 + "!"`),
domains in a question are found by scanning runs of host characters, and a slot's own
`pattern` (runbook data) runs on RE2 (tools.patterns). tests/hardening/test_patterns.py
feeds these functions adversarial input; benchmarks/redos_bench.py times them.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any
from urllib.parse import urlsplit

from tools.patterns import compile_linear
from tools.runbooks.schema import Slot

MAX_ANSWER_CHARS = 2000
"""Longest slot answer looked at (the app's message limit); longer answers are refused unread."""
MAX_HOST_CHARS = 253
URL = re.compile(r"https?://[^\s，。；、\"'<>）)]+", re.I)
IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")
HOST_RUN = re.compile(r"[A-Za-z0-9.-]+")  # one character class: linear scan for domain candidates
LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")  # bounded: at most 63 characters
TOP_LABEL = re.compile(r"[A-Za-z][A-Za-z0-9-]{1,62}")
PORT_PATTERNS = (  # most explicit first
    re.compile(r"(?:端口|port)\s*(?:[:：号]\s*)?(\d{1,5})(?!\d)", re.I),  # never two \s* side by side
    re.compile(r"(?<![\d.])(\d{1,5})\s*端口"),
    re.compile(r"(?<=[\w\]]):(\d{2,5})(?!\d)"),
)


def validate(slot: Slot, answer: str) -> tuple[bool, Any, str]:
    """(ok, value, problem in Chinese)."""
    text = answer.strip()
    if not text:
        return False, None, "回答为空"
    if len(text) > MAX_ANSWER_CHARS:
        return False, None, f"回答太长（{len(text)} 字，最多 {MAX_ANSWER_CHARS} 字）"
    ok, value, problem = _typed(slot, text)
    if ok and slot.pattern and not compile_linear(slot.pattern).fullmatch(str(value)):
        return False, None, "格式不符合要求"
    return ok, value, problem


def is_host(text: str) -> bool:
    """A DNS name (labels of 1-63 characters, optional final dot) or an IP literal; linear time."""
    if not text or len(text) > MAX_HOST_CHARS:
        return False
    if ":" in text:  # only an IPv6 address has colons here (a URL was reduced to its host)
        try:
            ipaddress.IPv6Address(text.strip("[]").split("%", 1)[0])
        except ValueError:
            return False
        return True
    labels = (text[:-1] if text.endswith(".") else text).split(".")
    return all(LABEL.fullmatch(label) for label in labels)


def find_domain(text: str) -> str | None:
    """The first domain name (two or more labels, alphabetic top label) in free text."""
    for m in HOST_RUN.finditer(text):
        token = m.group(0).strip(".-")
        labels = token.split(".")
        if len(token) <= MAX_HOST_CHARS and len(labels) >= 2 and TOP_LABEL.fullmatch(labels[-1]) \
                and all(LABEL.fullmatch(label) for label in labels):
            return token
    return None


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
        if not is_host(text):
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
    """A value for host/url/port slots found in the question, or None."""
    if slot.type == "url":
        m = URL.search(question)
        return m.group(0) if m else None
    if slot.type == "host":
        m = URL.search(question)
        if m:
            return urlsplit(m.group(0)).hostname
        m = IPV4.search(question)
        return m.group(0) if m else find_domain(question)
    if slot.type == "port":
        for pattern in PORT_PATTERNS:
            for m in pattern.finditer(question):
                if 1 <= int(m.group(1)) <= 65535:
                    return int(m.group(1))
    return None
