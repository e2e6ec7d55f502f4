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
ERROR_WORDS = re.compile(r"error|exception|denied|refused|timed out|killed|fail|fatal|no space|too many|"
                         r"unable to|cannot|can't|\(\d{2,5}\)", re.I)
"""Words of a pasted error or log line (one alternation of literals: linear)."""
# endings of file names that free text names far more often than a country's top-level domain
FILE_ENDINGS = frozenset("conf cnf cfg ini yaml yml json log txt md sh py xml csv sql pem crt key html htm js css "
                         "php jar war tar gz tgz zip bak service sock pid out err repo".split())
PORT_PATTERNS = (  # most explicit first
    re.compile(r"(?:端口|port)\s*(?:[:：号]\s*)?(\d{1,5})(?!\d)", re.I),  # never two \s* side by side
    re.compile(r"(?<![\d.])(\d{1,5})\s*端口"),
    re.compile(r"(?<=[\w\]]):(\d{2,5})(?!\d)"),
)


def validate(slot: Slot, answer: str) -> tuple[bool, Any, str]:
    """(ok, value, problem in Chinese); a host, URL or port is also taken out of a sentence
    ("机器 IP 是 203.0.113.10"), a choice from a phrase that names one option ("应该是 Linux")."""
    text = answer.strip()
    if not text:
        return False, None, "回答为空"
    if len(text) > MAX_ANSWER_CHARS:
        return False, None, f"回答太长（{len(text)} 字，最多 {MAX_ANSWER_CHARS} 字）"
    try:
        ok, value, problem = _typed(slot, text)
        if not ok and slot.type in ("host", "url", "port"):
            found = from_question(slot, text)
            if found is not None:
                ok, value, problem = _typed(slot, str(found))
    except ValueError:  # urlsplit rejects odd netlocs ("CLB 空闲超时默认多久？"): not an address
        ok, value, problem = False, None, _PROBLEMS.get(slot.type, "格式不符合要求")
    if ok and slot.pattern and not compile_linear(slot.pattern).fullmatch(str(value)):
        return False, None, "格式不符合要求"
    return ok, value, problem


_PROBLEMS = {"host": "没有识别出域名或 IP 地址", "url": "没有识别出网址", "port": "没有识别出端口号"}


def is_host(text: str) -> bool:
    """A DNS name (labels of 1-63 characters, optional final dot) or an IP address; linear time."""
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


def is_domain(token: str) -> bool:
    """Two or more valid labels with an alphabetic top label (`shop.example.cn`)."""
    labels = token.split(".")
    return (len(token) <= MAX_HOST_CHARS and len(labels) >= 2 and TOP_LABEL.fullmatch(labels[-1]) is not None
            and all(LABEL.fullmatch(label) for label in labels))


def find_domain(text: str) -> str | None:
    """The first domain name in free text, by a linear scan of runs of host characters; a file
    name (`my.cnf`) or an error code (`CLB.PortConflict`) is not one."""
    for m in HOST_RUN.finditer(text):
        token = m.group(0).strip(".-")
        top = token.rsplit(".", 1)[-1]
        if top.lower() in FILE_ENDINGS or (top != top.lower() and top != top.upper()):
            continue
        if is_domain(token):
            return token
    return None


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
        if not is_host(text):
            return False, None, "没有识别出域名或 IP 地址"
        return True, text, ""
    if slot.type == "url":
        if not re.match(r"^https?://", text, re.I):
            text = "https://" + text
        parts = urlsplit(text)
        if not parts.hostname or " " in text or not (is_domain(parts.hostname) or IPV4.fullmatch(parts.hostname)
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
    """A value for host/url/port slots found in the question (a text slot takes the whole question,
    a log slot the question when it quotes an error or log line), or None."""
    if slot.type == "text":
        return question.strip() or None
    if slot.type == "log":
        return question.strip() if ERROR_WORDS.search(question) else None
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
