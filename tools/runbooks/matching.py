"""Scoring a question against runbook triggers: keyword hits and example similarity.

No tokenizer dictionary needed: Chinese is compared by character bigrams, other text
by lower-cased words, so matching is cheap and deterministic. URLs, IPs and host names
are left out (they name the target, not the problem).
"""

from __future__ import annotations

import re
from functools import lru_cache

from tools.runbooks.schema import Runbook

WORD = re.compile(r"[a-z0-9][a-z0-9._-]*|[\u4e00-\u9fff]+")


def features(text: str) -> set[str]:
    grams: set[str] = set()
    for token in WORD.findall(text.lower()):
        if "\u4e00" <= token[0] <= "\u9fff":
            grams.update(token[i:i + 2] for i in range(max(1, len(token) - 1)))
        else:
            grams.add(token)
    return grams


def similarity(a: str, b: str) -> float:
    """Dice coefficient of the two texts' features (0..1)."""
    fa, fb = features(a), features(b)
    if not fa or not fb:
        return 0.0
    return 2 * len(fa & fb) / (len(fa) + len(fb))


def keyword_hit(keyword: str, text: str) -> bool:
    """Chinese keywords match as substrings; ASCII ones as whole words ("dig" is not in "digital")."""
    key = keyword.lower()
    if not key.isascii():
        return key in text
    return re.search(rf"(?<![a-z0-9]){re.escape(key)}(?![a-z0-9])", text) is not None


def keyword_score(question: str, keywords: list[str]) -> float:
    text = question.lower()
    hits = sum(1 for k in keywords if keyword_hit(k, text))
    return (0.0, 0.5, 0.7)[hits] if hits < 3 else 0.85


# Addresses say where to check, not what is wrong: "https" in a URL is no certificate problem.
_TARGET = re.compile(r"https?://\S+|(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])(?::\d+)?|"
                     r"(?<![\w.-])(?:[a-z0-9-]+\.)+[a-z]{2,}(?![\w-])", re.IGNORECASE)


# Asking for help says nothing about which problem: left out too ("帮我排查一下网站打不开").
_REQUEST = re.compile(r"请|麻烦|帮我|帮忙|带我|一步步|逐步|排查一下|排查下|排查|诊断|检查一下|查一下|查下|查查|看看|一下|吧|"
                      r"\b(?:please|help me|troubleshoot|diagnose|walk me through|step by step|for me)\b", re.IGNORECASE)


def _about_problem(text: str) -> str:
    """The text without its addresses and requests for help: what it says about the problem."""
    return _REQUEST.sub(" ", _TARGET.sub(" ", text))


def score(question: str, runbook: Runbook) -> float:
    """0..1: how well the question fits the runbook (addresses and requests for help left out)."""
    question = _about_problem(question)
    kw = keyword_score(question, runbook.triggers.keywords)
    sim = max((similarity(question, ex) for ex in runbook.triggers.examples), default=0.0)
    return round(min(1.0, max(kw, sim) + 0.15 * min(kw, sim)), 4)


# An error code among the triggers ("502", "1040") or an error identifier in the question
# ("COMMON_NAME_INVALID", "SignatureDoesNotMatch") names a problem, not a product.
_CODE = re.compile(r"\d{3,4}")
# (no nested or overlapping adjacent quantifiers: linear; three humps spelled out)
_IDENTIFIER = re.compile(r"(?<![\w.])(?:[A-Z][A-Z0-9]*_[A-Z0-9_]+|[A-Z][a-z0-9]+[A-Z][a-z0-9]+[A-Z][A-Za-z0-9]*)(?![\w.])")


# Asking and filler words say nothing about which problem ("怎么办", "咋整", "一直", "提示").
_ASKING = re.compile(r"(?:怎么|如何|咋)(?:处理|解决|弄|搞|整)|怎么办|怎么回事|咋回事|什么原因|原因|怎么|怎样|如何|为什么|为啥|什么|咋整|咋办|咋|吗|呢|啊|了|的|是|还|能否|是否|有没有|"
                     r"一直|总是|经常|突然|已经|提示|显示|出现|报错")


def _content(text: str) -> set[str]:
    """Features of at least two characters, asking words and addresses left out."""
    text = _ASKING.sub(" ", _about_problem(text.lower()))
    return {f for f in features(text) if len(f) > 1}


# How a problem shows, by kind: a runbook is about some of them (its title, examples and problem
# triggers say which); a question states one. Literals only, lower case (linear).
PROBLEMS: dict[str, re.Pattern[str]] = {
    "connect": re.compile(r"连不上|连接不上|连不了|登不上|登录不上|登陆不上|登不进|进不去|无法连接|无法登录|无法远程|"
                          r"连接失败|超时|timed out|timeout|refused|拒绝连接|连接被拒绝|不通|unreachable|can't connect|"
                          r"cannot connect|connection reset|handshake"),
    "full": re.compile(r"满(?![足意])|不足|耗尽|用完|用尽|no space|too many|过多|100%|爆了"),
    "slow": re.compile(r"很卡|卡顿|卡死|卡住|慢(?!查询|日志|sql)|转圈|飙升|飙高|很高|负载高|load average"),
    "expired": re.compile(r"过期|到期|expired|date_invalid"),
    "mismatch": re.compile(r"不匹配|不一致|mismatch|doesnotmatch|does not match|name_invalid"),
    "untrusted": re.compile(r"不受信任|不信任|不安全|不是私密|untrusted|authority_invalid"),
    "unreachable": re.compile(r"打不开|访问不了|无法访问|不能访问|访问失败|挂了|不可用|白屏|bad gateway|gateway timeout"),
    "not_effective": re.compile(r"不生效|没生效|未生效|没有生效|解析不到|无法解析|解析失败|解析到旧|还是旧|could not resolve|"
                                r"nxdomain|not known|no such host"),
    "killed": re.compile(r"被杀|杀掉|杀死|killed|oom|out of memory|泄漏|泄露|越来越高"),
    "denied": re.compile(r"403|denied|forbidden|拒绝访问|无权限|没有权限|被拒"),
    "not_freed": re.compile(r"未释放|没释放|没有释放|不释放|没回来"),
    "failed": re.compile(r"失败|fail"),
    "error": re.compile(r"错误|不工作"),  # a dialog's message ("出现了内部错误", "您的凭据不工作"), not an error code
}


_STATUS = re.compile(r"(?<![\w.:-])[1-5]\d{2}(?![\w.:%-])")
"""An HTTP-style status code in prose ("走 cdn 就 502"), not part of a time, size or version."""


def problems(text: str) -> set[str]:
    """The kinds of problem a text states ("SSH 连接超时" -> {"connect"}, "就 502 了" -> {"502"}; "MX 和
    CNAME 冲突" -> none known)."""
    low = text.lower()
    return {kind for kind, pattern in PROBLEMS.items() if pattern.search(low)} | set(_STATUS.findall(low))


def _states_problem(keyword: str) -> bool:
    """A trigger that is itself a problem ("证书过期", "no space left", "1040"), not a thing a problem is of
    ("https", "cdn", "df -h", "证书")."""
    return bool(_CODE.search(keyword) or problems(keyword))


def runbook_problems(runbook: Runbook) -> set[str]:
    """The kinds of problem a runbook is about: what its title, examples and problem triggers state
    (computed once per runbook text, not per question)."""
    return set(_problems_of(runbook.title, tuple(runbook.triggers.examples), tuple(runbook.triggers.keywords)))


@lru_cache(maxsize=256)
def _problems_of(title: str, examples: tuple[str, ...], keywords: tuple[str, ...]) -> frozenset[str]:
    return frozenset().union(*(problems(t) for t in [title, *examples, *(k for k in keywords if _states_problem(k))]))


def names_symptom(question: str, runbook: Runbook) -> bool:
    """Whether the question states the runbook's problem, not only a word it shares with it.

    A trigger that is an error code ("1040", "502") or the runbook's own error name in the question
    ("SignatureDoesNotMatch", "ERR_CERT_…") states it; so do two triggers that are problems
    ("Out of memory" + "Killed process"). One problem trigger ("磁盘满", "access denied") next to
    other words needs those words to be about the runbook too (a word of its title, examples or
    triggers, or a problem of its kind): "Access denied for user … 密码" is a database's. A trigger
    that names a thing ("https", "cdn", "df -h", "证书", "MySQL") — or several — states nothing:
    the question must state a problem of the kind the runbook is about ("SSH 连接超时" for the
    connection runbook; not "ERR_TOO_MANY_REDIRECTS … https" for the certificate one, "cname 到 cdn
    … MX 记录冲突" for the CDN one, "扩容后 df -h 看不到新空间" for the disk-full one).
    """
    text = _about_problem(question).lower()
    hits = [k.lower() for k in runbook.triggers.keywords if keyword_hit(k, text)]
    distinct = [k for k in hits if not any(k != other and k in other for other in hits)]
    identifiers = [i.lower() for i in _IDENTIFIER.findall(question)]
    if any(_CODE.fullmatch(k) or any(k in i for i in identifiers) for k in distinct):
        return True
    besides = text
    for key in distinct:
        besides = besides.replace(key, " ")
    kinds = problems(besides) & runbook_problems(runbook)
    stated = [k for k in distinct if _states_problem(k)]
    if len(stated) >= 2 or kinds:
        return True
    if not stated:
        return False
    rest = _content(question) - set().union(*(_content(k) for k in distinct))
    described = [runbook.title, *runbook.triggers.examples, *runbook.triggers.keywords]
    return not rest or bool(rest & set().union(*(_content(t) for t in described)))
