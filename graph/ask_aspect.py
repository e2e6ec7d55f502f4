"""Every ask of a question gets its line: the command, log, place, prevention or first fix it asks for.

A message often asks two things of one page ("…怎么确认？眼下先怎么止血", "怎么看状态，日志又咋看") or
asks one thing the page does not lead with ("命令行怎么弄" on a page whose section opens with
console steps). The composed answer then gives the page's lead and misses the asked line though
the page has it. Here each ask (a clause carrying an asking word) gets its ASPECT from its own
cue words:

- command: "用啥命令", "命令行", "怎么看/查/确认" -> a command block or an inline command;
- log: "日志", "log" -> a command or path naming logs;
- where: "在哪", "哪个面板/文件" -> a console path (A > B, A → B) or a file path;
- prevent: "避免", "防止", "以后怎么" -> a line of a prevention section, or one saying what to avoid;
- fix_now: "止血", "眼下", "临时", "先怎么恢复" -> a line of an emergency section, or a stop-gap.

Value asks (多少, 几天) are graph/value_fact.py's. For each aspect the page's units of that shape are
scored by the ask's own words beyond the page title (what the ask names, not the message's topic:
that matches everything on the page), read with their heading and the lead-in before them. The
best one the answer does not show yet is what the ask wants (`asked_line`). Used by
graph/aspect_lines.py; tested in tests/graph/test_ask_aspect.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, Sequence

from graph.doc_units import Unit, merge_texts, parse_units, sections_in_order
from graph.doc_sections import MAX_SECTION_CHUNKS, SKIP_HEAD
from graph.step_outline import STEP_PREFIX as _STEP_PREFIX
from graph.relevance import QuestionTerms, coverage
from graph.sample_output import samples

Aspect = Literal["command", "log", "where", "prevent", "fix_now"]

_CUES: list[tuple[Aspect, re.Pattern[str]]] = [
    ("fix_now", re.compile(r"止血|眼下|临时|应急|紧急|先(怎么|咋|如何)(办|处理|恢复|弄)|(怎么|咋|如何)(先)?恢复")),
    ("prevent", re.compile(r"避免|防止|预防|杜绝|以后(怎么|咋|如何|该|要)|下次(怎么|咋|如何|该|要)")),
    ("log", re.compile(r"日志|\blogs?\b|报错记录|错误记录", re.I)),
    ("where", re.compile(r"在哪|哪里|去哪|哪儿|哪个(面板|文件|页面|目录|菜单|监控|位置)|什么(面板|位置|地方)")),
    ("command", re.compile(r"(什么|啥|哪个|哪条)(命令|指令|语句|sql|工具)|命令行|\bcli\b|"
                           r"(怎么|咋|如何|用什么|用啥)(能)?(看|查|确认|判断|过滤|调试)", re.I)),
]
"""Cue words per aspect, the first that matches wins (a log ask is a command ask naming logs)."""
_ASKS = re.compile(r"[？?]|怎么|怎样|如何|为什么|为啥|什么|哪|吗|能否|是否|有没有|能不能|啥|咋")
_CLAUSE = re.compile(r"[，,；;？?。！!]|(?:还有|另外|此外|以及)|(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")
_INLINE_CMD = re.compile(r"`[a-z][\w.-]*(?<![:：]) [^`\n]+`")
"""An inline command (`kubectl get pods -n x`): a lower-case program name and its arguments in backticks
(not a header or setting: `Cache-Control: max-age=…`)."""
_CONSOLE_PATH = re.compile(r"\S\s*(?:>|→|->|›|＞)\s*\S")
_FILE_PATH = re.compile(r"(?<![\w/])/[\w.-]+/[\w.*/-]+")
"""A file path of two parts or more (/var/log/kubelet.log)."""
_LOOK = re.compile(r"看|查|确认|判断|检查")
_SHOWS = re.compile(r"(?<![\w-])(get|describe|logs?|show|status|list|query|inspect|cat|tail|grep|top|ps|ss|df|du|free|"
                    r"dmesg|journalctl|lsof|select|explain)(?!\w)", re.I)
"""Verbs of commands that show something (kubectl get, SHOW, cdc cli changefeed list), not change it."""
_PRINTED = re.compile(r"输出|示例|结果如下|output", re.I)
_LOG_WORDS = re.compile(r"日志|\blogs?\b|journalctl|dmesg|\.log\b|syslog|messages", re.I)
_PREVENT_HEAD = re.compile(r"预防|避免|建议|最佳实践|根本|长期|注意事项")
_FIX_HEAD = re.compile(r"解决|处理|修复|恢复|应对|方案")
"""A fixes section: what prevents the cause, or stops the harm, when the page has no section for that."""
_CHECK_HEAD = re.compile(r"排查|诊断|定位|确认|检查|查看|调试|获取|troubleshoot|debug", re.I)
"""A diagnosis section: its first command is what "先用啥命令看" asks when no command names more."""
_PREVENT_TEXT = re.compile(r"避免|防止|预防|建议|定期|尽早|不要|而不是|应当|应该|务必")
_FIX_NOW_HEAD = re.compile(r"紧急|止血|临时|应急|快速恢复")
_FIX_NOW_TEXT = re.compile(r"临时|止血|立即|紧急|先(重启|结束|恢复|停止|释放)|恢复服务|使服务恢复")
_ASPECT_WORDS = re.compile(r"以后|下次|避免|防止|预防|杜绝|再|(怎么|咋|如何)(弄|办|做|整|搞|操作)?|该|要|命令行?|cli|指令|工具|用啥|用什么|先用|看到|看看|看下|查看|"
                           r"止血|眼下|临时|应急|紧急|恢复|先", re.I)
"""Words that say which aspect is asked, not what it is about ("命令行怎么弄" names no command)."""

MAX_LINE = 520
"""Characters an added line (with its lead-in) may take: a long script stays on the source card."""
TIE = 0.2
"""Weight of the whole ask's words (the message's topic, which most of the page names) in a line's score."""
MIN_FOCUS = 0.25
"""Share of the ask's own words (beyond the page title) the line, read where it sits, must name."""


@dataclass
class Ask:
    """One ask of a question: its text and aspect."""

    text: str
    """The asking clause with the statements before it ("java 进程没了 怀疑被 OOM 杀了 怎么确认")."""
    aspect: Aspect
    clause: str = ""
    """The asking clause alone ("怎么确认"): what it names picks the line, not the statement's topic."""


def asks_of(question: str) -> list[Ask]:
    """The question's clauses that ask for a command, log, place, prevention or first fix (not a value)."""
    out: list[Ask] = []
    pending = ""
    for clause in _CLAUSE.split(question or ""):
        clause = (clause or "").strip()
        if not clause:
            continue
        if not _ASKS.search(clause):
            pending = f"{pending} {clause}".strip()  # a statement reads with the ask after it
            continue
        text, pending = f"{pending} {clause}".strip(), ""
        aspect = next((a for a, cue in _CUES if cue.search(clause)), None)
        if aspect is not None:
            out.append(Ask(text, aspect, clause))
    return out


@dataclass
class Line:
    """A line of the page answering an ask: its section (heading path, passage text) and units."""

    path: list[str]
    chunks: list[dict]
    units: list[Unit]
    score: float
    order: int
    fallback: bool = False
    """The diagnosis's first command, not a line naming the ask: only for an answer showing no command."""


_RUN_FENCE = re.compile(r"^\s*(```|~~~)\s*(bash|shell|sh|zsh|console|sql|powershell|ps1|cmd|)\s*$", re.I)
_NOT_RUN = re.compile(r"^\s*[\[{<]|^[A-Z][A-Z_]+(\s{2,}|\t)")
"""A block that is data, not something to run: JSON, markup, a table of output ("NAME   STATUS")."""


def _runs(code: str) -> bool:
    """A code block holding something to run (a shell or SQL block), not a file, output or data."""
    fence, _, body = code.partition("\n")
    return bool(_RUN_FENCE.match(fence)) and not _NOT_RUN.match(body)


def _shape(aspect: Aspect, unit: Unit, lead: str, path: str, looks: bool = False) -> bool:
    """The unit has the shape the aspect asks for."""
    text = unit.text
    command = (unit.kind == "code" and _runs(text)) or ("```" in text and unit.kind != "code") or bool(_INLINE_CMD.search(text))
    if aspect == "command":
        return command
    if aspect == "log":
        return (command or bool(_FILE_PATH.search(text))) and bool(_LOG_WORDS.search(f"{lead} {text}"))
    if aspect == "where":  # "去哪看": a console or file path, or the command that shows it
        return (unit.kind != "code" and bool(_CONSOLE_PATH.search(text) or _FILE_PATH.search(text))) or \
            (looks and command)
    if unit.kind in ("code", "leadin"):
        return False
    if aspect == "prevent":
        return bool(_PREVENT_HEAD.search(path) or _FIX_HEAD.search(path) or _PREVENT_TEXT.search(text))
    return bool(_FIX_NOW_HEAD.search(path) or _FIX_HEAD.search(path) or _FIX_NOW_TEXT.search(text))


def _aspect_weight(aspect: Aspect, unit: Unit, path: str) -> float:
    """How plainly a prevention or first-fix line is one: in its own section (预防, 紧急止血) most, a
    line saying it ("临时止血：…", "避免…") next, a line of a fixes section least."""
    if aspect not in ("prevent", "fix_now"):
        return 0.0
    head, text = (_PREVENT_HEAD, _PREVENT_TEXT) if aspect == "prevent" else (_FIX_NOW_HEAD, _FIX_NOW_TEXT)
    return 1.0 if head.search(path) else 0.6 if text.search(unit.text) else 0.3 if _FIX_HEAD.search(path) else 0.0


def _lead(units: list[Unit], i: int) -> list[Unit]:
    """The lead-in or sentence right before a command block (what it does); a bare "例如：" with the
    sentence before it ("可以使用 `cdc cli` 查询同步任务的状态。例如：")."""
    if not (i > 0 and units[i - 1].kind in ("leadin", "sentence", "item") and units[i - 1].text.rstrip().endswith(("：", ":"))):
        return []
    if len(units[i - 1].text.strip()) <= 5 and i > 1 and units[i - 2].kind == "sentence":
        return [units[i - 2], units[i - 1]]
    return [units[i - 1]]


def _beyond_aspect(terms: QuestionTerms) -> QuestionTerms:
    """Without the words that only say which aspect is asked."""
    return QuestionTerms({t: w for t, w in terms.weights.items() if not _ASPECT_WORDS.fullmatch(t)},
                         terms.expanded, terms.entities, terms.aliases)


def asked_line(ask: Ask, terms: QuestionTerms, own: QuestionTerms, title: str, doc_chunks: list[dict],
               named_only: bool = False, near: Sequence[str] = ()) -> Line | None:
    """The page's line of the ask's aspect that names most of what the asking clause names (`own`)
    beyond the page title, read with its heading and lead-in; the whole ask's `terms` break ties
    a little, then page order. None when none names enough of it. `named_only`: a line must name the
    ask (`MIN_FOCUS`), its aspect alone does not do (nothing else of the page was given). A clause
    naming only its aspect ("命令行怎么弄") asks it of what the answer gives: the line of that shape
    first under the top section the answer cites (`near`: its heading path)."""
    focus = _beyond_aspect(own.without(title))
    bare = focus.total <= 0
    looks = bool(_LOOK.search(ask.clause or ask.text))
    best: Line | None = None
    first: Line | None = None
    order = 0
    for path, chunks in sections_in_order(doc_chunks):
        heads = " ".join(path)
        if SKIP_HEAD.search(heads):
            continue
        units = parse_units(merge_texts([c["text"] for c in chunks[:MAX_SECTION_CHUNKS]]), chunks[0].get("kind") or "doc")
        printed = samples(units)
        for i, u in enumerate(units):
            order += 1
            if i in printed:
                continue
            leads = _lead(units, i) if u.kind == "code" else []
            if u.kind == "code" and not leads and path and i == 0:  # a block opening its section: the heading says what it does
                leads = [Unit("leadin", f"{_STEP_PREFIX.sub('', path[-1]).strip()}：")]
            lead_text = " ".join(x.text for x in leads)
            if u.kind == "code" and _PRINTED.search(lead_text):
                continue  # "输出示例：" announces what a command prints, not a command
            after = units[i + 1] if u.kind == "sentence" and i + 1 < len(units) and units[i + 1].kind == "sentence" \
                and units[i + 1].para == u.para >= 0 else None  # "运行 `kubectl describe …`。通常能在事件中看到…原因。"
            if after is not None:
                lead_text = f"{lead_text} {after.text}"
            reads = units[i + 1].text if u.kind == "code" and i + 1 < len(units) and units[i + 1].kind == "sentence" else ""
            # (what a command's output is read for: "如果 istiod Pod 或 endpoint 尚未准备就绪…" names the ask too)
            if not _shape(ask.aspect, u, lead_text, heads, looks):
                continue
            context = f"{heads} {lead_text} {u.text} {reads}"
            named = coverage(focus, context) if not bare else float(bool(near) and path[:1] == list(near[:1]))
            weight = _aspect_weight(ask.aspect, u, heads)
            first_check = ask.aspect in ("command", "log") and first is None and bool(_CHECK_HEAD.search(heads))
            if named < MIN_FOCUS and (named_only or (weight <= 0 and not first_check)):
                continue
            picked = [*leads, u, *([after] if after is not None else [])]
            if u.kind == "leadin":  # "在控制台 A > B 中查看；或：" stands with the command it offers
                if i + 1 >= len(units) or units[i + 1].kind not in ("code", "item"):
                    continue
                picked.append(units[i + 1])
            if sum(len(x.text) for x in picked) > MAX_LINE:
                continue
            placed = coverage(focus, f"{heads} {lead_text}") if not bare else 0.0
            # a command block before a command named inside prose; to look, a command that shows, not one that changes
            block = 0.5 if ask.aspect in ("command", "log") and (u.kind == "code" or "```" in u.text) else 0.0
            block += 0.5 if looks and _SHOWS.search(u.text) else 0.0
            score = 2 * named + placed + (TIE * coverage(terms, context) if named > 0 and not bare else 0.0) + weight + block
            line = Line(list(path), chunks, picked, score, order)
            if named < MIN_FOCUS and weight <= 0:
                first = Line(line.path, chunks, picked, line.score, order, fallback=True)
                continue
            if best is None or line.score > best.score + 1e-9:
                best = line
    return best or first
