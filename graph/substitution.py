"""Ellipsis "那 X 呢": the previous question about X, with X put where its counterpart stood.

    substitute("Linux 云服务器远程登录默认用什么端口", "Windows", terms)
        -> "Windows 云服务器远程登录默认用什么端口"

The counterpart is the span of the previous question most like X: the previous turn's own
substituted item (consecutive "…呢" replace the same slot), a word of the same facet
(operating systems, billing modes, disk types…), the same shape (instance specs 8核16G,
error codes, CamelCase error names, English phrases sharing their first word), a span
or a span sharing characters with X (SSD / 极速 SSD).
Without any, a domain term X takes the place of the previous question's subject ("那 CDN 呢"), unless
both are words of different facets (Windows is no counterpart of 数据盘: it is a condition on it);
anything else is reported as no counterpart (the caller asks about the X case of it). Tests:
tests/graph/test_followup.py.
"""

from __future__ import annotations

import re
from typing import Any

from graph.subject import DomainTerms, subject_of

_FAMILIES = {"标准型", "通用型", "计算型", "内存型", "突发性能型", "高主频型", "大数据型", "gpu 型", "gpu 计算型", "本地 ssd 型"}
"""Instance families: the counterpart of one is an instance type of another (S5.2xlarge for 内存型)."""
# Sets of alternatives a user swaps in "那 X 呢" (cloud support vocabulary, lower-case).
FACETS: tuple[frozenset[str], ...] = tuple(frozenset(f) for f in (
    {"linux", "windows", "ubuntu", "centos", "debian", "mac", "macos", "rocky", "alinux", "windows server", "安卓",
     "android", "ios"},
    {"按量付费", "包年包月", "按带宽计费", "按流量计费", "预付费", "后付费", "按需"},
    {"免费", "付费", "收费"},
    {"dv", "ov", "ev", "dv 证书", "ov 证书", "ev 证书", "通配符证书"},
    {"ssd", "极速 ssd", "高效云盘", "普通云盘", "高性能云盘", "essd", "ssd 云盘", "极速 ssd 云盘"},
    {"公网", "内网", "私网"}, {"入方向", "出方向"}, {"tcp", "udp", "icmp"}, {"http", "https"},
    {"四层", "七层"}, {"主实例", "只读实例", "主库", "从库", "备库"},
    {"安全组", "网络 acl", "防火墙", "iptables", "firewalld"},
    {"url 刷新", "目录刷新", "预热", "刷新"}, {"a", "aaaa", "cname", "mx", "txt", "ns"},
    {"mysql", "redis", "postgresql", "mongodb", "rds"}, {"nginx", "apache", "tomcat", "iis", "node.js", "caddy"},
    {"java", "python", "go", "node.js", "php", "c#", ".net"}, {"ssh", "rdp", "vnc", "远程桌面"},
    {"上传", "下载"}, {"读", "写"}, {"扩容", "缩容"}, {"开机", "关机", "重启"},
    {"ext4", "xfs", "btrfs", "ntfs"}, {"ipv4", "ipv6"}, {"系统盘", "数据盘"},
    {"pending", "imagepullbackoff", "errimagepull", "crashloopbackoff", "containercreating", "evicted", "oomkilled",
     "terminating", "notready", "running"},
    {"502", "503", "504", "500", "404", "403", "401"},
    _FAMILIES,
))
_FAMILY = frozenset(_FAMILIES)
_CONDITIONS = frozenset(f for f in FACETS if f & {"linux", "按量付费", "免费", "公网", "入方向", "tcp", "http", "ipv4"})
"""Facets that say in which case (an OS, a billing mode, a direction), never what about: "Windows 的话" after a
certificate question is the certificate on Windows, not Windows instead of the certificate."""
# An instance type name: family letters, generation, size (S5.2xlarge, ecs.c6.large, m5.xlarge, t3.medium)
_INSTANCE_TYPE = re.compile(r"\b(?:[a-z]+\.)?[a-z]{1,3}\d[a-z0-9-]*\.(?:\d*x?large|medium|small|micro|nano)\b", re.I)
_SHAPES = (
    re.compile(r"(?<!\d)\d+\s*核\s*\d+\s*g(?:b|ib)?", re.I),  # entered at a number's start: one scan per run
    re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b"),
    re.compile(r"(?:error\s*)?\b\d{3,5}\b", re.I),
    re.compile(r"\b[A-Z][a-z]+(?:[A-Z][a-z]+)+\b"),
)
_ERROR_CODE = _SHAPES[2]
_ERROR_TAIL = re.compile(r"\s?(?:\(\w+\)\s?)?:[^\u4e00-\u9fff]*|\s[A-Z][a-z]+(?: [A-Za-z]{1,20}){1,6}")
"""What an error code's own message looks like after it: "(28000): Access denied for user…" (a colon
starts it) or "Bad Gateway" / "Too many connections" (English words, the first capitalised)."""


def _error_tail(rest: str) -> int:
    m = _ERROR_TAIL.match(rest)
    return len(m.group(0).rstrip()) if m else 0


_ASCII_PHRASE = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*(?:\s+[A-Za-z][A-Za-z0-9_.-]*)*")
# 同样/一样: "the same as before" — the shared constraint follows it ("同样 8 核的内存型")
_KEPT = re.compile(r"\s*(?:同样|一样|也是|还是)的?\s*(\S.*)$")
_WHAT_IF_LEAD = re.compile(r"(?:那么|那|如果是|如果|要是|假如|换成|改成|是|同样|一样的?)\s*")


def clean_item(text: str) -> str:
    """"那 Windows 的话" -> "Windows": every leading 那/如果是… and trailing 的/的话 removed, in one
    pass over the text (removing one at a time and re-reading the rest was quadratic)."""
    text = text.strip()
    start = 0
    while (lead := _WHAT_IF_LEAD.match(text, start)) is not None:
        start = lead.end()
    end = len(text)
    while end > start:
        if text[end - 1].isspace():
            end -= 1
        elif text.endswith("的话", start, end):
            end -= 2
        elif text.endswith("的", start, end):
            end -= 1
        else:
            break
    return text[start:end].strip()


def without_kept(item: str, previous: str) -> str:
    """"换成极速ssd 同样500G" -> "极速ssd": what follows 同样/一样/也是/还是 inside the swapped item is the
    previous question's own constraint, kept as it stands there (added to the item only when the
    previous question lacks it)."""
    kept = _KEPT.search(item)
    if kept is None or kept.start() == 0 or not clean_item(item[:kept.start()]):
        return item
    constraint, swapped = kept.group(1).strip(), clean_item(item[:kept.start()])
    held = constraint.replace(" ", "").lower() in previous.replace(" ", "").lower()
    return swapped if held else f"{swapped} {constraint}"


def _facet(text: str) -> frozenset[str] | None:
    """The facet of a word, or of the facet word inside a phrase ("Node.js 写的后端")."""
    low = text.lower().strip()
    exact = next((f for f in FACETS if low in f), None)
    if exact is not None or len(low) <= 2:
        return exact
    return next((f for f in FACETS for w in f if len(w) >= 2 and re.search(rf"(?<![a-z]){re.escape(w)}(?![a-z])", low)),
                None)


def _spans(previous: str, terms: DomainTerms) -> list[tuple[int, int]]:
    """Candidate spans of the previous question: facet words, shaped tokens, English phrases, domain terms."""
    low = previous.lower()
    spans: set[tuple[int, int]] = set()
    for facet in FACETS:
        for word in facet:
            for m in re.finditer(re.escape(word), low):
                if not (word.isascii() and _inside_word(low, m.start(), m.end())):
                    spans.add(m.span())
    for pattern in (*_SHAPES, _ASCII_PHRASE, _INSTANCE_TYPE):
        spans |= {m.span() for m in pattern.finditer(previous)}
    for term in terms.terms:
        for m in re.finditer(re.escape(term), low):
            if not (term.isascii() and _inside_word(low, m.start(), m.end())):
                spans.add(m.span())
    return sorted(spans)


def _inside_word(text: str, start: int, end: int) -> bool:
    return (start > 0 and text[start - 1].isalnum() and text[start - 1].isascii()) or (
        end < len(text) and text[end].isalnum() and text[end].isascii())


def _score(span_text: str, new: str, vocab: Any) -> float:
    a, b = span_text.lower().strip(), new.lower().strip()
    if not a or a == b:
        return 0.0
    facet = _facet(b)
    if facet is not None and a in facet:
        return 4.0
    if facet == _FAMILY and _INSTANCE_TYPE.fullmatch(span_text.strip()):
        return 4.0  # "同样 8 核的内存型呢" after "S5.2xlarge 是几核几G": another family's type
    for shape in _SHAPES:
        if shape.fullmatch(span_text.strip()) and shape.fullmatch(new.strip()):
            return 4.0
    if a.isascii() and b.isascii() and " " in a and a.split()[0] == b.split()[0]:
        return 4.0  # "Connection refused" / "Connection timed out"
    if a in b or b in a:
        return 3.0
    if any(a[i:i + 2] in b for i in range(len(a) - 1) if not a[i:i + 2].isascii()):
        return 2.0  # two Chinese characters in common; two letters ("wn" of grown / Windows) say nothing
    return 0.0


def substitute(previous: str, new: str, terms: DomainTerms, vocab: Any = None, focus: str = "") -> tuple[str, bool]:
    """The previous question with `new` in place of its counterpart (see the module doc), and whether
    one was found; without one, the previous question unchanged and False."""
    new = clean_item(new)
    if not new:
        return previous, False
    scored = [(_score(previous[a:b], new, vocab), _facet(previous[a:b]) is not None, b - a, -a, a, b)
              for a, b in _spans(previous, terms)]
    best = max((s for s in scored if s[0] > 0), default=None)  # score; a facet word; the longest; the earliest
    if best is not None and best[0] >= 4:  # same facet or shape: the obvious counterpart
        start, end = best[-2], best[-1]
        code = _ERROR_CODE.fullmatch(previous[start:end].strip())
        if code:
            end += _error_tail(previous[end:])  # "1045 (28000): Access denied…" is all of the old error
            said = re.match(r"error\s*", code.group(0), re.I)
            if said and new.isdigit():  # "那 1040 呢" after "ERROR 1045": still an ERROR
                new = said.group(0) + new
        return _replace(previous, start, end - start, new), True
    if focus and focus.lower() in previous.lower() and focus.lower() != new.lower():
        return _replace(previous, previous.lower().index(focus.lower()), len(focus), new), True
    if best is not None:
        return _replace(previous, best[-2], best[-1] - best[-2], new), True
    entity = terms.phrase(subject_of(previous)) or terms.first(previous)
    if _facet(new) is not None and _facet(entity) != _facet(new) and (
            _facet(entity) is not None or _facet(new) in _CONDITIONS):
        # "如果是 Windows 呢" after a data-disk (or certificate) question: the data disk on Windows
        return previous, False
    if new.lower() in terms.entities and entity and entity.lower() in previous.lower() and new.lower() != entity.lower():
        return _replace(previous, previous.lower().index(entity.lower()), len(entity), new), True  # 那 CDN 呢
    return previous, False


_QUALIFIER = re.compile(r"[\u4e00-\u9fff]{1,4}的\s*$")
"""A qualifier said before a thing ("新建的" of 新建的安全组)."""


def _replace(text: str, start: int, length: int, new: str) -> str:
    before, after = text[:start], text[start + length:]
    span = text[start:start + length].strip().lower()
    if span and new.lower().endswith(span) and len(new.strip()) > len(span):
        # "那默认安全组呢" after "新建的安全组…": X brings its own qualifier in place of the previous one
        before = _QUALIFIER.sub("", before)
    if before and before[-1].isascii() and before[-1].isalnum():
        before += " "
    if after and after[0].isascii() and after[0].isalnum() and new[-1:].isascii():
        after = " " + after
    return f"{before}{new}{after}"
