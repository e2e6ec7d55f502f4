"""What a follow-up can point at in the assistant's previous answer: its list items and named items.

    answer_items(answer)            # ["在控制台确认实例处于运行中…", "检查安全组…", …] (1. / 方法一 / 一是 / - / ：…；…)
    ordinal_of("第二个方法呢")       # Ordinal(index=1, span=(0, 5)); 最后那步 / 后面那个 / 前一种 -> -1 / 0
    demonstrative_of("这个参数在哪改")  # Reference(span, noun="参数", modifier="")
    pick_named(answer, ref)         # "long_query_time" (a config key, command, header… named in the answer)

Pure text functions, no model, no KB. Tests: tests/graph/test_references.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.prompts import sources_headings

_CN = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_NUM = r"[一二两三四五六七八九十]|\d{1,2}"
_UNIT = r"(?:个方法|种方法|个办法|个原因|个步骤|个选项|个|步|条|种|点|项|类|招|种做法|个做法|个命令)"
_ORDINAL = re.compile(rf"第\s*({_NUM})\s*{_UNIT}?|(?:方法|步骤)\s*({_NUM})")
_LAST = re.compile(r"最后(?:那|一|的)?\s*(?:个|步|条|种|点|项)?(?:方法|办法|做法|原因|步骤)?|后面(?:那|这)?(?:个|种|条|步)|"
                   r"后(?:一|边那|面那)(?:个|种|条|步)|后者")
_FIRST = re.compile(r"前面(?:那|这)?(?:个|种|条|步)|前(?:一|边那|面那)(?:个|种|条|步)|前者")
_CITATION = re.compile(r"\[\d+\]")
# Entered at the start of a run of newlines, or of stars not after a newline: the same leftmost match
# as `\n*\**参考来源…`, which rescanned every run from each of its characters (quadratic).
# The heading is each reply language's (graph/prompts), bold or not.
_HEADINGS = "|".join(map(re.escape, sources_headings()))
_SOURCES = re.compile(rf"(?:(?<!\n)\n+|(?<![\n*]))\**(?:{_HEADINGS}).*\Z", re.S)  # its closing ** is in .*
# Item markers, from the most explicit: "1. " "2、"; "方法一，" "方法二："; "一是" "二是"; "①".
_MARKERS = (
    re.compile(r"(?:^|(?<=[\s：:；;。，,]))(\d{1,2})\s*[.、)）](?!\d)\s*"),
    re.compile(r"(?:方法|步骤|第)([一二三四五六七八九十])(?:步)?[，,：:、\s]\s*"),
    re.compile(r"(?:^|(?<=[：:；;。，,\s]))([一二三四五六七八九十])是"),
    re.compile(r"([①②③④⑤⑥⑦⑧⑨⑩])\s*"),
)
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"
_BULLET = re.compile(r"^\s*[-*•·]\s+")


def number(token: str) -> int:
    if token in _CIRCLED:
        return _CIRCLED.index(token) + 1
    return int(token) if token.isdigit() else _CN.get(token, 0)


_NOTES = re.compile(r"^.*(?:如需按排障流程|⏸ 排障流程|直接回复即可继续).*$", re.M)
_PRODUCT = re.compile(r"[A-Z][a-z]+[A-Z]{2,}")
"""MySQL, CentOS: product names, never the setting a "这个参数" points at."""


def clean_answer(answer: str) -> str:
    """The answer without citations, bold marks, its sources list and the notes about runbooks."""
    return _NOTES.sub("", _CITATION.sub("", _SOURCES.sub("", answer or "")).replace("**", ""))


def _line_indent(text: str, at: int) -> int | None:
    """How far a marker is indented when only spaces precede it on its line, else None."""
    before = text[text.rfind("\n", 0, at) + 1:at]
    return len(before.replace("\t", "    ")) if not before.strip() else None


def _split_on(text: str, marker: re.Pattern) -> tuple[str, list[str]]:
    """(lead-in, items) when the markers count 1, 2, 3… in order; else ("", [])."""
    hits = [m for m in marker.finditer(text)]
    indents = [_line_indent(text, m.start()) for m in hits]
    if sum(i is not None for i in indents) >= 2:  # a nested list counts on its own: the outer one is meant
        top = min(i for i in indents if i is not None)
        hits = [m for m, i in zip(hits, indents) if i == top]
    items: list[str] = []
    expected, starts = 1, []
    for m in hits:
        if number(m.group(1)) == expected:
            starts.append(m)
            expected += 1
    if len(starts) < 2:
        return "", []
    for i, m in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(text)
        items.append(text[m.end():end].strip(" \n；;，,。"))
    return text[: starts[0].start()].strip(" \n：:，,"), items


_TOP_LEVEL = re.compile(r"(?m)^(\d{1,2})[.、)）]\s+")


def answer_items(answer: str) -> tuple[str, list[str]]:
    """(lead-in sentence, items) of the list an answer gives; items are cut at their sentence end.
    A list laid out one item per line (a procedure's steps with their own numbered sub-steps and
    commands indented under them) is its unindented lines: each item is its first line."""
    text = clean_answer(answer)
    lead, items = _split_on(text, _TOP_LEVEL)
    if items and any("\n" in i for i in items):
        lead = re.split(r"[。！？!?]", lead)[-1].strip() if lead else ""
        return lead, [i.split("\n", 1)[0].strip(" 。；;，,") for i in items if i.split("\n", 1)[0].strip(" 。；;，,")]
    for marker in _MARKERS:
        lead, items = _split_on(text, marker)
        if items:
            break
    else:
        lead, items = _bullet_items(text)  # one line each: nothing after the list to cut
        if items:
            return re.split(r"[。！？!?]", lead)[-1].strip(), [i.strip(" 。；;，,") for i in items if i.strip(" 。；;，,")]
        lead, items = _semicolon_items(text)
    if items:  # the text after the list is no part of its last item
        items[-1] = re.split(r"(?<=[。！？!?])\s*|\n", items[-1], maxsplit=1)[0]
    lead = re.split(r"[。！？!?]", lead)[-1].strip() if lead else ""
    return lead, [i.strip(" 。；;，,") for i in items if i.strip(" 。；;，,")]


def _bullet_items(text: str) -> tuple[str, list[str]]:
    """Markdown bullets ("- …" lines, at least two in a row) and the text before them."""
    lines = text.splitlines()
    bullets = [i for i, line in enumerate(lines) if _BULLET.match(line)]
    if len(bullets) < 2:
        return "", []
    run = [bullets[0]]
    for i in bullets[1:]:
        if i != run[-1] + 1:
            break
        run.append(i)
    if len(run) < 2:
        return "", []
    return "\n".join(lines[: run[0]]), [_BULLET.sub("", lines[i]).strip() for i in run]


def _semicolon_items(text: str) -> tuple[str, list[str]]:
    """"有两种计费方式：A，…；B，…。" -> the parts after the colon."""
    m = re.search(r"[：:]", text)
    if not m:
        return "", []
    body = re.split(r"(?<=[。！？!?])", text[m.end():], maxsplit=1)[0]
    parts = [p.strip() for p in re.split(r"[；;]", body) if p.strip(" 。")]
    return (text[: m.start()], parts) if len(parts) >= 2 else ("", [])


@dataclass(frozen=True)
class Ordinal:
    """A reference to the n-th item of a list (index 0-based; -1: the last)."""

    index: int
    span: tuple[int, int]


def ordinal_of(message: str) -> Ordinal | None:
    m = _ORDINAL.search(message)
    if m:
        n = number(m.group(1) or m.group(2))
        return Ordinal(n - 1, m.span()) if n else None
    m = _LAST.search(message)
    if m:
        return Ordinal(-1, m.span())
    m = _FIRST.search(message)
    return Ordinal(0, m.span()) if m else None


def pick_item(items: list[str], ordinal: Ordinal) -> str | None:
    if not items:
        return None
    index = ordinal.index if ordinal.index >= 0 else len(items) - 1
    return items[index] if index < len(items) else None


# -- named items ------------------------------------------------------------------------------

# noun -> the kinds of named item it can mean
NOUN_KINDS: dict[str, tuple[str, ...]] = {
    "参数": ("key", "camel"), "配置项": ("key", "camel"), "配置": ("key", "camel", "header"), "选项": ("key", "camel"),
    "变量": ("key",), "值": ("key", "camel", "value"), "超时": ("key",), "阈值": ("key",), "上限": ("key",), "限制": ("key",),
    "字段": ("key", "camel"), "属性": ("key", "camel"), "命令": ("command",), "指令": ("command",), "语句": ("command",),
    "工具": ("command", "tool"), "脚本": ("command", "tool"), "请求头": ("header",), "头": ("header",),
    "header": ("header",), "字符串": ("camel", "key"), "错误码": ("code",), "错误": ("code", "camel"),
    "报错": ("code", "camel"), "文件": ("path",), "路径": ("path",),
}
_NOUNS = "|".join(sorted(NOUN_KINDS, key=len, reverse=True))
_DEMONSTRATIVE = re.compile(rf"(?:这个|那个|上面那个|刚才那个)([^，,。？?\s]{{0,8}}?)的?({_NOUNS})"
                            rf"|(?:这|那|该|此|上面的|刚才的)((?:[^，,。？?\s]{{0,8}}?)的)?({_NOUNS})"
                            rf"|(它|它们|其)的?({_NOUNS})", re.IGNORECASE)
_PATTERNS = {
    "key": re.compile(r"(?<![\w.-])[a-z][a-z0-9]*(?:[._][a-z0-9]+)*_[a-z0-9]+(?:[._][a-z0-9]+)*(?![\w-])"),
    "camel": re.compile(r"(?<![\w-])(?:[A-Z]+[a-z0-9]+(?:[A-Z][a-z0-9]*)+|[a-z]+(?:[A-Z][a-z0-9]+)+)(?![\w-])"),
    "header": re.compile(r"(?<![\w-])(?:[A-Z][A-Za-z0-9]*-)+[A-Z][A-Za-z0-9]+(?![\w-])"),
    "tool": re.compile(r"(?<![\w/.-])[a-z][a-z0-9]+(?:-[a-z0-9]+){1,3}(?![\w/.-])"),
    "code": re.compile(r"(?:ERROR\s*)?\b\d{3,5}\b|\b[A-Z][a-z]+(?:[A-Z][a-z]+)+\b"),
    "path": re.compile(r"(?<![\w])/(?:[\w.-]+/)*[\w.-]+"),
}
# a command word is ASCII and entered at its start only, so a long word is scanned once, not from every letter
_COMMAND = re.compile(r"`([^`]{2,80})`|((?<![A-Za-z0-9_.-])(?:sudo\s+)?[a-z][A-Za-z0-9_.-]*(?:\s+(?:-{1,2}[A-Za-z][\w-]*|\+[A-Za-z0-9]+|[a-z][\w.-]*"
                      r"|/[\w./-]+))+)|\b((?:SHOW|KILL|EXPLAIN|SELECT|SET)\b[A-Z_ ]*|[A-Z]{3,}(?:\s+[A-Z]{3,})+)\b")
# "参数 maxclients", "命令 `df -i`": an identifier right after the noun that names it.
_NAMED_AFTER = re.compile(rf"({_NOUNS})\s*[`“\"']?([A-Za-z][\w.-]*(?:\s+[A-Za-z+-][\w.+-]*)?)", re.IGNORECASE)


@dataclass(frozen=True)
class Named:
    text: str
    kind: str
    start: int


@dataclass(frozen=True)
class Reference:
    """"这个参数" / "那个检查语法的命令" / "它的上限": where it is, its noun and modifier."""

    span: tuple[int, int]
    noun: str
    modifier: str
    pronoun: bool


def demonstrative_of(message: str) -> Reference | None:
    m = _DEMONSTRATIVE.search(message)
    if not m:
        return None
    if m.group(2):
        return Reference(m.span(), m.group(2), (m.group(1) or "").rstrip("的"), False)
    if m.group(4):
        return Reference(m.span(), m.group(4), (m.group(3) or "").rstrip("的"), False)
    return Reference(m.span(), m.group(6), "", True)


def named_items(answer: str) -> list[Named]:
    """Config keys, CamelCase names, headers, tools, commands, codes and paths named in the answer."""
    text = clean_answer(answer)
    found: list[Named] = []
    for kind, pattern in _PATTERNS.items():
        found += [Named(m.group(0).strip(), kind, m.start()) for m in pattern.finditer(text)]
    for m in _COMMAND.finditer(text):
        value = next(g for g in m.groups() if g)
        if m.group(2) and not re.search(r"\s(?:-{1,2}\w|\+\w|/\w)", value) and not value.startswith("sudo"):
            continue  # plain English words, not a command line
        found.append(Named(value.strip(), "command", m.start()))
    for m in _NAMED_AFTER.finditer(text):
        kinds = NOUN_KINDS.get(m.group(1).lower(), ())
        if kinds and not any(n.start == m.start(2) for n in found):
            word = m.group(2).split()[0] if kinds[0] != "command" else m.group(2)
            # "需要警惕的值 ALL": what follows 值 is a value, never the 参数 a later "这个参数" means
            kind = "value" if m.group(1) == "值" else kinds[0]
            found.append(Named(word.strip(), kind, m.start(2)))
    return sorted(found, key=lambda n: n.start)


def pick_named(answer: str, ref: Reference) -> Named | None:
    """The named item the reference means: of a kind its noun allows, nearest its noun or modifier."""
    kinds = NOUN_KINDS.get(ref.noun.lower(), ())
    candidates = [n for n in named_items(answer) if n.kind in kinds and not _PRODUCT.fullmatch(n.text)]
    if not candidates:
        return None
    text = clean_answer(answer)
    spans = {word: [m.span() for m in re.finditer(re.escape(word), text)] for word in _anchor_words(ref)}
    if not any(spans.values()):
        return min(candidates, key=lambda n: (kinds.index(n.kind), n.start))  # the noun's first kind first

    def gap(n: Named, span: tuple[int, int]) -> int:  # characters between the item and an anchor word
        return max(span[0] - (n.start + len(n.text)), n.start - span[1], 0)

    def closeness(n: Named) -> tuple[int, int, int]:
        near = sum(any(gap(n, sp) <= NEAR for sp in found) for found in spans.values())
        nearest = min((gap(n, sp) for found in spans.values() for sp in found), default=10**6)
        return -near, nearest, n.start

    return min(candidates, key=closeness)


NEAR = 12
"""Characters within which a word of the reference counts as said about the item."""


def _anchor_words(ref: Reference) -> list[str]:
    """The reference's noun and the words of its modifier ("检查语法的命令" -> 命令, 检查, 语法)."""
    from knowledge.text import tokenize

    words = [ref.noun] if len(ref.noun) >= 2 else []
    modifier = re.sub(r"^(?:用来|用于|负责|能|可以)", "", ref.modifier)
    words += [w for w in tokenize(modifier) if len(w) >= 2] if modifier else []
    return list(dict.fromkeys(words))


def context_of(answer: str, item: Named) -> str:
    """The clause that says what the item does, when its own clause says little ("刷新本地 DNS 缓存")."""
    text = clean_answer(answer)
    start = text.find(item.text)
    if start < 0:
        return ""
    head = re.split(r"[。；;！!？?\n]", text[:start])[-1]
    tail = re.split(r"[。；;！!？?\n，,：:]", text[start + len(item.text):])[0]
    clauses = [c for c in re.split(r"[，,：:]", head)]
    own = (clauses[-1] if clauses else "") + tail
    if len(re.findall(r"[\u4e00-\u9fff]", own)) >= 6 or len(clauses) < 2:
        return ""
    return re.sub(r"^(?:然后|再|先|并且?|接着|之后|最后)", "", clauses[-2].strip())
