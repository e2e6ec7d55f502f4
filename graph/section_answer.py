"""What one evidence section contributes to an extractive answer, by question type.

- a procedure (meta.procedure): the one step the question asks about, whole
  (graph/asked_step.py), else each step's heading, renumbered, with its first
  instructions and command, the budget shared by the steps (`outline`);
- a causes section, for a cause or symptom question: a list is given whole (the causes
  list); a table keyed by symptom gives the rows naming what is asked;
- value / define / compare: the unit carrying the asked terms (a comparison table whole);
- otherwise: the units covering what is asked beyond the section's own title and
  heading (its FOCUS), each with the lead-in before it and the command after it; when
  nothing matches the focus, the whole section.
Whole units only, in document order, within the budget; a lead-in never ends a piece.
Symptom sections ("现象") restate the question and answer nothing; link lists are skipped.
Used by graph/extractive.py; tested through tests/graph/test_extractive.py.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Mapping, Sequence

import re

from graph.doc_units import Unit, parse_units
from graph.asked_step import asked_step, matched_step, routed_away, step_units, step_whole, steps_of
from graph.paragraphs import opens_with_error, past_restatement, through_fix, without_echo
from graph.relevance import QuestionTerms, context_of, coverage, title_context

_META = re.compile(r"^(本文|本节|本页|本章|本指南|本任务|下文|以下(内容|章节|各节|几节|介绍)|下面(几节|各节|的章节))|"
                   r"(本文|本节|本页|本任务|本指南)(按|将|介绍|列出|说明|面向|覆盖|描述|演示)")
_CROSS_REF = re.compile(r"(按|见|参考|参照|跳到|转到|回到|同)\s*(?:(上面|下面|前面|后面)\s*)?第\s*[0-9一二三四五六七八九十]+\s*(步|节|条)|"
                        r"上一步|下一步|上述步骤|以上步骤")
_SKIP_SECTIONS = re.compile(r"相关文档|相关链接|参考文档|参考资料|延伸阅读|更多信息|see also|related", re.I)
SYMPTOM_SECTION = re.compile(r"^(现象|症状|问题现象|故障现象|问题描述|典型报错|symptoms?)$", re.I)
CAUSES_SECTION = re.compile(r"原因|causes?\b", re.I)
_OUTPUT_LEAD = re.compile(r"输出|示例|结果如下|output", re.I)
_STEP_PREFIX = re.compile(r"^(第[一二三四五六七八九十\d]+步[：:]?\s*|\d{1,2}[.、]\s*|步骤\s*\d+[：:]?\s*)")
_COMMAND_HINT = re.compile(r"\*\*[^*]*[>→][^*]*\*\*|→|控制台|执行|点击|进入|修改|添加|打开|运行|登录|下载|安装|勾选|填写|提交")
_GOES_ON = re.compile(r"^(否则|因此|所以|这样|此时|这时|那么|于是|为此|对此|也就是说|换句话说|这种情况|这些|这个|这类|这种|此类|"
                      r"这可以|这是因为|这意味着|这会|这将|该(问题|错误|参数|设置|值|命令)|(此|上述|以上|这条)命令)")
_EXPLAIN = re.compile(r"^(可以看到|如图|例如|比如|示例|注意：|现象)")


_HTML = re.compile(r"</?(?:td|tr|th|table|tbody|thead|div|span)\b[^>]*>|\{\{[{%<]?\s*[.\w]", re.I)
"""Raw HTML table markup or an unrendered site template ("{{{ .company }}}"): a sentence cut out of it
reads as junk (the page renders it)."""
_DIAGRAM = re.compile(r"^(?:graph|flowchart)\s+(?:TB|BT|LR|RL|TD)\b|^(?:subgraph|classDef|sequenceDiagram)\s|-->|-\.->"
                      r"|^图\s*\d+[.．。]?\s*$")
"""A diagram's source (mermaid: "graph BT", "a --> b", "classDef …") or the bare figure caption under it:
the page draws it; as text it is junk."""
_LINK_ITEM = re.compile(r"^\s*(?:(?:[-*•]|\d+[.、)])\s*)?\[[^\]]+\]\([^)]+\)\s*(?:[。；;，,]\s*)?$")
_QUESTION_LINE = re.compile(r"^\**\s*(Q|问)\s*[：:]|^\*\*[^*\n]{2,60}[？?][”\"]?\*\*$|^[“\"]*[^。\n]{2,40}[？?][”\"]*$")


def usable(unit: Unit) -> bool:
    """Not a heading, a FAQ question line, a sentence about the document, or a pointer to a step
    that is not shown."""
    if unit.kind == "heading" or _META.search(unit.text) or _CROSS_REF.search(unit.text) \
            or _QUESTION_LINE.match(unit.text) or _HTML.search(re.sub(r"`[^`]*`", "", unit.text)) \
            or (unit.kind != "code" and _DIAGRAM.search(unit.text)):
        return False
    return bool(unit.text.strip(" *：:。"))


def section_units(passage: Mapping[str, Any]) -> list[Unit]:
    """A section's units; one that opens with a command gets its heading as the lead-in
    ("2. 找到消耗 CPU 的进程" -> "找到消耗 CPU 的进程：")."""
    heads = passage.get("heading_path") or []
    lines = [x for x in (passage.get("text") or "").splitlines() if x.strip()]
    if _SKIP_SECTIONS.search(" ".join(heads)) or (lines and all(_LINK_ITEM.match(x) for x in lines)):
        return []  # a list of links answers nothing
    units = parse_units(passage.get("text") or "", passage.get("kind") or "doc")
    if units and units[0].kind == "code" and heads and not (passage.get("meta") or {}).get("procedure"):
        units.insert(0, Unit("leadin", f"{_STEP_PREFIX.sub('', heads[-1]).strip()}："))
    return units


def qa_parts(units: list[Unit]) -> list[list[Unit]]:
    """A "常见问题" section as its question-and-answer pairs (the question line first)."""
    parts: list[list[Unit]] = []
    for u in units:
        if _QUESTION_LINE.match(u.text) or not parts:
            parts.append([])
        parts[-1].append(u)
    return parts


def attach(units: list[Unit], chosen: set[int]) -> list[Unit]:
    """Chosen units in order, with the lead-in before a chosen item / row, the command after a
    chosen unit, and everything a chosen lead-in leads into."""
    keep = set(chosen)
    for i in sorted(chosen):  # a nested item never shows without the item it belongs to
        depth = units[i].depth if units[i].kind == "item" else 0
        for j in range(i - 1, -1, -1):
            if depth <= 0 or units[j].kind not in ("item", "code"):
                break
            if units[j].kind == "item" and units[j].depth < depth:
                keep.add(j)
                depth = units[j].depth
    for i in sorted(keep):  # a sentence and the one going on from it ("否则…", "这可以…") come together
        if units[i].kind == "sentence" and i > 0 and units[i - 1].kind == "sentence" \
                and _GOES_ON.match(units[i].text):
            keep.add(i - 1)
        if units[i].kind == "sentence" and i > 0 and units[i - 1].kind == "code" and _GOES_ON.match(units[i].text):
            keep |= command_before(units, i)  # "这将从…移除该污点。" says what the command before it does
        if units[i].kind == "sentence" and i + 1 < len(units) and units[i + 1].kind == "sentence" \
                and _GOES_ON.match(units[i + 1].text):
            keep.add(i + 1)
    for i in sorted(keep):
        keep |= problem_before(units, i)
    named: set[int] = set()
    for i in sorted(keep):
        named |= runs_named(units, i) - keep
    keep |= named
    for i in sorted(keep):
        u = units[i]
        if u.kind in ("item", "row") and i > 0 and units[i - 1].kind == "leadin":
            keep.add(i - 1)
        if u.kind in ("leadin", "item", "sentence") and i + 1 < len(units) and units[i + 1].kind == "code" \
                and not _OUTPUT_LEAD.search(u.text):
            keep.add(i + 1)
        if u.kind == "leadin":
            j = i + 1
            while j < len(units) and units[j].kind in ("item", "row", "code"):
                keep.add(j)
                j += 1
    # the block running a command a kept sentence names is judged with that sentence
    return [replace(units[i], whole=True) if i in named else units[i] for i in sorted(keep)]


_BACK_REF = re.compile(r"(遇到|出现|发生|解决|处理|针对|避免)(此|该|这个|这类|这种|上述|以上)(问题|错误|报错|情况|现象)")
BACK_REF_SENTENCES = 4
"""Sentences of the paragraph before that a sentence referring back to "此问题" brings at most."""


def problem_before(units: list[Unit], i: int) -> set[int]:
    """A sentence that refers back to the problem ("如果在虚拟机上部署时遇到此问题，…") brings the
    paragraph (or list item) before it, which says what the problem is ("CPU 必须支持 AVX2 指令集。
    确保命令 `grep avx2 /proc/cpuinfo` 有输出。")."""
    u = units[i]
    if u.kind != "sentence" or i == 0 or not _BACK_REF.search(u.text):
        return set()
    prev = units[i - 1]
    if prev.kind == "item":
        return {i - 1}
    if prev.kind != "sentence" or prev.para < 0 or prev.para == u.para:
        return set()
    out = set()
    for k in range(i - 1, max(-1, i - 1 - BACK_REF_SENTENCES), -1):
        if units[k].kind != "sentence" or units[k].para != prev.para:
            break
        out.add(k)
    return out


_INLINE_COMMAND = re.compile(r"`([a-z][\w.-]* [\w$./= -]+)`")
NAMED_RUN_AHEAD = 6
"""Units after a sentence naming a command searched for the block that runs it."""


def runs_named(units: list[Unit], i: int) -> set[int]:
    """A sentence naming a command ("…使用 `etcdctl snapshot save` 命令…") brings the first block after it
    (within NAMED_RUN_AHEAD units) that runs that command, with the lead-in before the block: the
    answer shows the command, not only its name."""
    if units[i].kind not in ("sentence", "item"):
        return set()
    named = [m.split() for m in _INLINE_COMMAND.findall(units[i].text)]
    for j in range(i + 1, min(len(units), i + 1 + NAMED_RUN_AHEAD)):
        if units[j].kind == "heading":
            break
        code = units[j].text.lower()
        if units[j].kind == "code" and any(all(w.lower() in code for w in words) for words in named):
            return {j, j - 1} if units[j - 1].kind == "leadin" else {j}
    return set()


def command_before(units: list[Unit], i: int) -> set[int]:
    """The command a sentence going on from it ("这将…") follows, with the lead-in that asks to run
    it; example output between them (after "输出看起来像：") is left out. Looks back four units."""
    for j in range(i - 1, max(-1, i - 5), -1):
        if units[j].kind not in ("code", "leadin"):
            return set()
        if units[j].kind == "leadin" and not _OUTPUT_LEAD.search(units[j].text):
            return {j, j + 1} if j + 1 < i and units[j + 1].kind == "code" else set()
    return set()


def closed(text: str) -> str:
    """A line whose command was left out, ending as a statement ("…为 30 秒：" -> "…为 30 秒。")."""
    body = text.rstrip()
    return body[:-1].rstrip() + "。" if body[-1:] in "：:" and body[:-1].strip() else body


def fit(units: list[Unit], budget: int) -> list[Unit]:
    """Whole units in order while they fit; no trailing lead-in, no command without its text."""
    out: list[Unit] = []
    used = 0
    for u in units:
        if len(u.text) > budget and u.kind == "item" and "\n```" in u.text:
            u = Unit(u.kind, closed(u.text.split("\n```", 1)[0]), number=u.number, depth=u.depth, heading=u.heading)
        size = len(u.text) + 4
        if size > budget and u.kind == "code":
            if out and out[-1].kind == "leadin":
                used -= len(out.pop().text) + 4  # its lead-in introduced only this command
            continue  # a command longer than the whole answer is left to the source card
        if used + size > budget and out:
            break
        out.append(u)
        used += size
    while out and (out[-1].kind == "leadin" or (out[-1].kind == "code" and len(out) == 1)):
        out.pop()
    return out


def fit_whole(units: list[Unit], budget: int) -> list[Unit]:
    """A whole section within the budget: when it does not fit, its code blocks go first, earliest
    first, each with the lead-in that only introduces it — the examples before a fix ("以下表为例：")
    take the room of the fix itself; the prose and the last commands stay."""
    size = lambda us: sum(len(u.text) + 4 for u in us)  # noqa: E731
    kept = list(units)
    for i, u in enumerate(units):
        if size(kept) <= budget:
            break
        if u.kind != "code":
            continue
        kept.remove(u)
        if i and units[i - 1].kind == "leadin" and units[i - 1] in kept:
            kept.remove(units[i - 1])
    return [replace(u, whole=True) for u in fit(kept, budget)]


def fit_chosen(units: list[Unit], chosen: set[int], budget: int) -> list[Unit]:
    """The chosen units with what they need (`attach`) within the budget; when that leaves every
    chosen unit out (its lead-in or the sentence it goes on from took the room), the chosen alone."""
    shown = fit(attach(units, chosen), budget)
    if chosen and not any(units[i] in shown for i in chosen):
        shown = fit([units[i] for i in sorted(chosen)], budget)
    return shown


def _runs(units: list[Unit], chosen: set[int]) -> list[list[int]]:
    """Chosen unit numbers as runs of neighbours (a sentence with what follows it, a command between)."""
    runs: list[list[int]] = []
    for i in sorted(chosen):
        if runs and all(units[j].kind == "code" for j in range(runs[-1][-1] + 1, i)):
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


LONG_SECTION = 2400
"""Characters from which a section (three times the longest answer) is read by match, not from its top."""


def fit_ranked(units: list[Unit], chosen: set[int], scores: dict[int, float], budget: int) -> list[Unit]:
    """`fit_chosen`, but when that cuts the best-matching unit of a long section, the best-matching pieces (runs of
    neighbouring units, by their best unit's score) are kept before the earlier ones: on a long
    section the budget must not go to the first matches and cut the best one at the end."""
    shown = fit_chosen(units, chosen, budget)
    best = max(chosen, key=lambda i: (scores.get(i, 0.0), -i), default=None)
    if best is None or units[best] in shown or sum(len(u.text) for u in units) < LONG_SECTION:
        return shown  # a short section's first matches sit next to its best one
    picked: set[int] = set()
    for run in sorted(_runs(units, chosen), key=lambda r: (-max(scores.get(i, 0.0) for i in r), r[0])):
        top = max(run, key=lambda i: (scores.get(i, 0.0), -i))
        for piece in (set(run), {top}):  # the whole run, else its best unit
            if sum(len(u.text) + 4 for u in attach(units, picked | piece)) <= budget:
                picked |= piece
                break
    return fit_chosen(units, picked or chosen, budget)


def blocks(units: list[Unit]) -> list[list[Unit]]:
    """Units grouped so a lead-in stays with what it leads into (a list, rows, a command), and a
    sentence that goes on from the one before ("否则…", "因此…") with that one."""
    out: list[list[Unit]] = []
    for u in units:
        if out and out[-1][0].kind == "leadin" and (u.kind in ("item", "row") or
                                                    (u.kind == "code" and len(out[-1]) == 1)):
            out[-1].append(u)
        elif out and u.kind == "code" and out[-1][-1].kind in ("sentence", "item"):
            out[-1].append(u)
        elif out and u.kind == "sentence" and out[-1][-1].kind in ("sentence", "code") and _GOES_ON.match(u.text):
            out[-1].append(u)  # "否则…" reads only after the sentence it goes on from
        else:
            out.append([u])
    return out


def outline(units: list[Unit], budget: int, terms: QuestionTerms | None = None) -> list[Unit]:
    """A procedure: each step's heading (renumbered) with its first instructions and command;
    steps that mention what is asked get a double share (explanations and example output left out)."""
    steps = steps_of(units)
    away = routed_away(steps, terms) if terms is not None else set()
    steps = [step for i, step in enumerate(steps) if i not in away]  # steps for another symptom
    if not steps:
        return []
    weights = [2.0 if terms is not None and coverage(terms, " ".join(x.text for x in body)) > 0 else 1.0
               for _, body in steps]
    whole: dict[int, list[Unit]] = {}  # the step the question matches, completed (its action after its check)
    matched = matched_step(steps, terms) if terms is not None else None
    if matched is not None:
        body = [u for u in step_whole(steps[matched][1]) if usable(u)]
        if sum(len(u.text) + 4 for u in body) <= budget * 0.6:
            whole[matched] = body
            weights[matched] = 0.0
    room = budget - sum(len(u.text) + 4 for body in whole.values() for u in body)
    unit_share = max(60.0, room / max(sum(weights), 1.0) - 12)
    while True:  # the shares may run over (a first block, a command): narrower until the last step fits
        out: list[Unit] = []
        extra = 0  # the ends of numbered lists, shown beyond the budget (LIST_REST)
        for n, ((head, body), weight) in enumerate(zip(steps, weights), 1):
            out.append(Unit("step", _STEP_PREFIX.sub("", head).strip() or head, number=n))
            if whole:  # the matched step, whole; the others name themselves only (where it sits in the procedure)
                out += whole.get(n - 1, [])
                continue
            shown = _step_body(body, unit_share * weight) or _first_command(body, unit_share * weight)
            rest = list_rest(body, shown)
            out += shown + rest
            extra += sum(len(u.text) + 4 for u in rest)
        if sum(len(u.text) + 4 for u in out) - extra <= budget or unit_share <= 60.0:
            return out
        unit_share = max(60.0, unit_share * 0.85)


LIST_REST = 120
"""Characters the last items of a numbered list begun in a step may take beyond the outline's budget."""


def list_rest(body: list[Unit], shown: list[Unit]) -> list[Unit]:
    """The items after the last one shown of a numbered list inside a step ("3. 点击 更多 > 扩容" after
    "1." and "2."): the action is often the last item, so a list once begun is shown to its end when
    the rest is short (LIST_REST), without taking room from the later steps."""
    if not shown or shown[-1].kind != "item" or shown[-1].number is None:
        return []
    at = next((k for k, u in enumerate(body) if u.kind == "item" and u.text == shown[-1].text), None)
    if at is None:
        return []
    rest, number = [], shown[-1].number
    for u in body[at + 1:]:
        if u.kind != "item" or u.number != number + 1 or u.depth != body[at].depth:
            break
        rest.append(Unit("item", u.text, number=u.number, depth=1, whole=True))  # whole: beyond the budget
        number += 1
    return rest if sum(len(u.text) + 4 for u in rest) <= LIST_REST else []


def _first_command(body: list[Unit], share: float) -> list[Unit]:
    """A step whose instructions did not fit its share still shows its first command (with the
    words that lead into it) when that is at most twice the share: the command is the step."""
    for k, u in enumerate(body):
        if u.kind == "code" and len(u.text) <= share * 2:
            lead = [body[k - 1]] if k and body[k - 1].kind == "leadin" and len(body[k - 1].text) <= share else []
            return [Unit(x.kind, x.text, number=x.number, depth=1) for x in [*lead, u]]
    return []


def _step_body(body: list[Unit], share: float) -> list[Unit]:
    """One step of an outline: its instructions in order within the share, then the commands
    that still fit (an instruction whose command does not fit stays, as a sentence)."""
    picked: list[list[Unit]] = []
    used = 0
    candidates = blocks(body)
    has_action = any(b[0].kind != "sentence" or _COMMAND_HINT.search(b[0].text) for b in candidates)
    for block in candidates:
        first = block[0]
        if _EXPLAIN.match(first.text) or (first.kind == "leadin" and (_OUTPUT_LEAD.search(first.text)
                                                                       or len(block) == 1)):
            continue
        if first.kind == "sentence" and len(block) == 1 and not _COMMAND_HINT.search(first.text) \
                and (used or has_action):
            continue  # an explanation; the step's actions and commands come first
        prose = [u for u in block if u.kind != "code"]
        size = sum(len(u.text) for u in prose)
        if prose and used + size > (share * 1.5 if not used else share):
            break  # never skip an earlier instruction to show a later one
        picked.append(block)
        used += size
    out: list[Unit] = []
    for block in picked:
        code = [u for u in block if u.kind == "code"]
        extra = sum(len(u.text) for u in code)
        if code and used + extra <= share * 1.2:
            used += extra
            out += [Unit(u.kind, u.text, number=u.number, depth=1) for u in block]
            continue
        for u in block:
            if u.kind == "code":
                continue
            if u.kind == "leadin" and len(block) > 1 and all(x.kind == "code" for x in block[1:]):
                # an instruction whose command does not fit stays only when it says something itself
                if _SUB_HEADING.match(u.text) or (len(u.text) < 20 and not _COMMAND_HINT.search(u.text)) \
                        or (len(u.text) <= 24 and _ONLY_LEADS.search(u.text)):
                    continue
                out.append(Unit("sentence", u.text.rstrip("：: ") + "。", depth=1))
                continue
            out.append(Unit(u.kind, u.text, number=u.number, depth=1))
    return [u for i, u in enumerate(out) if not (_SUB_HEADING.match(u.text) and
                                                 (i + 1 >= len(out) or _SUB_HEADING.match(out[i + 1].text)))]


def focus_of(terms: QuestionTerms, passage: Mapping[str, Any], units: list[Unit]) -> QuestionTerms:
    """What is asked beyond the section's title and heading, without words most of its units share."""
    focus = terms.without(context_of(passage, via=False))
    prose = [u.text.lower() for u in units if u.kind != "code"]
    if len(prose) >= 3:
        common = {t for t in focus.weights if sum(t in p for p in prose) > 0.75 * len(prose)}
        focus = QuestionTerms({t: w for t, w in focus.weights.items() if t not in common}, focus.expanded,
                              focus.entities)
    return focus


def _ranked(units: list[Unit], terms: QuestionTerms, focus: QuestionTerms) -> list[tuple[float, int]]:
    scored = []
    for i, u in enumerate(units):
        if u.kind == "code":
            continue
        score = coverage(focus, u.text) * 2 + coverage(terms, u.text) if focus.total else coverage(terms, u.text)
        scored.append((score, i))
    return sorted(scored, key=lambda s: (-s[0], s[1]))


_SUB_HEADING = re.compile(r"^\*\*[^*]+\*\*[：:]$")
_ONLY_LEADS = re.compile(r"^(如果|若|当|假如|要是)[^，,。]{0,20}[：:]\s*$|(执行|运行|输入|如下|以下|下面的?命令|命令)[：:]\s*$")
"""A lead-in that only introduces its command ("如果 sshd 没有运行：", "…在实例内执行："): without the
command it says nothing."""


def _matching_parts(units: list[Unit], terms: QuestionTerms) -> list[Unit]:
    """A section made of sub-sections (bold lead-ins from graph/evidence.subtree): the parts that
    cover the most of the question ("504" picks the 504 causes; all of them on a tie)."""
    parts: list[list[Unit]] = [[]]
    for u in units:
        if u.kind == "leadin" and _SUB_HEADING.match(u.text) and parts[-1]:
            parts.append([])
        parts[-1].append(u)
    if len(parts) < 2 or not terms.total:
        return units
    # a part's own words: a table closing the last part (a summary of every part) names them all;
    # of such a table, the rows naming the most of the question stay ("502 | … | 首先检查 健康检查")
    scores = [coverage(terms, " ".join(u.text for u in p if u.kind != "row")) for p in parts]
    best = max(scores)
    rows = [coverage(terms, u.text) for u in units if u.kind == "row"]
    top_row = max(rows, default=0.0)
    return [u for p, sc in zip(parts, scores) for u in p
            if sc >= best - 1e-9 or (u.kind == "row" and top_row > 0 and coverage(terms, u.text) >= top_row - 1e-9)]


ONE_CAUSE = 0.75
"""Share of the best cause's score another cause of the list must reach to be shown with it (a
question naming one cause of a causes section it is not asking about as a whole)."""
TITLED_PROBLEM = 0.5
"""Share of the question (codes weighted up) a section's heading must name to be the problem's own entry."""
# "执行时间：为什么配置了规则还没生效": the question may follow a topic and a colon
_ASKED = re.compile(r"[？?]\s*$|(^|[：:]\s*)(如何|怎么|怎样|为什么|为何)|(怎么办|如何处理|如何解决)")


PROCEDURE_ASKED = 0.5
"""Share of the question a section's title and headings must name for its numbered procedure to be
what is asked (not a detail of one of its steps)."""
_ACTION = re.compile(r"^(\*\*)?(进入|登录|打开|点击|单击|选择|填写|输入|提交|执行|运行|确认|检查|查看|在|到|使用|用|将|把|修改|"
                     r"添加|设置|开启|关闭|勾选|创建|新建|下载|安装|上传|等待|重启|删除|绑定|解绑|复制|配置|切换|返回|保存|"
                     r"申请|购买|启用|停用|停止|启动|挂载|卸载|扩容|刷新|清理|备份|恢复|导出|导入)")


def ordered_list(units: list[Unit], i: int) -> list[int]:
    """The numbered list (two items or more, with what is nested in them) unit `i` is a top-level
    item of; [] when it is not one."""
    if units[i].kind != "item" or units[i].depth or units[i].number is None:
        return []
    start = i
    while start > 0 and units[start - 1].kind in ("item", "code") and not (
            units[start - 1].kind == "item" and units[start - 1].depth == 0 and units[start - 1].number is None):
        start -= 1
    end = i + 1
    while end < len(units) and units[end].kind in ("item", "code") and not (
            units[end].kind == "item" and units[end].depth == 0 and units[end].number is None):
        end += 1
    while start < i and not (units[start].kind == "item" and units[start].depth == 0):
        start += 1  # a command before the list is not part of it
    numbered = [j for j in range(start, end) if units[j].kind == "item" and units[j].depth == 0]
    acts = sum(1 for j in numbered if _ACTION.match(units[j].text))  # steps say what to do; causes do not
    return list(range(start, end)) if len(numbered) >= 2 and 2 * acts >= len(numbered) else []


def _asked_heading(passage: Mapping[str, Any]) -> str:
    """The section's own heading, or the page title for a page with one section."""
    heads = passage.get("heading_path") or []
    return heads[-1] if heads else (passage.get("title") or "")


def from_section(passage: Mapping[str, Any], qtype: str, terms: QuestionTerms, budget: int,
                 question: str = "") -> list[Unit]:
    """The units of one evidence section that answer the question, by type (module docstring);
    `question` as written (a sentence only restating it brings what follows it)."""
    units = section_units(passage)
    heads = passage.get("heading_path") or []
    if not units or (heads and SYMPTOM_SECTION.match(heads[-1]) and qtype in ("howto", "symptom", "cause")):
        return []
    if (passage.get("meta") or {}).get("procedure") and qtype in ("howto", "symptom", "cause"):
        steps = steps_of(units)
        asked = asked_step(steps, terms, " ".join([title_context(passage), *(passage.get("heading_path") or [])]))
        if asked is not None:  # "第二步具体怎么写", an error one step handles: that step, whole
            return step_units(steps[asked], budget, usable)
        return outline(units, budget, terms.without(context_of(passage, via=False)))
    pairs = qa_parts(units)
    if len(pairs) >= 2 and all(_QUESTION_LINE.match(p[0].text) for p in pairs[1:]):
        pair = max(pairs, key=lambda p: coverage(terms, p[0].text) + 0.3 * coverage(terms, " ".join(u.text for u in p)))
        units = [u for u in pair[1:]] if _QUESTION_LINE.match(pair[0].text) else pair
        return fit([u for u in units if usable(u)], budget)
    units = [u for u in units if usable(u)]
    if not units:
        return []
    if qtype in ("howto", "symptom", "cause") and (_ASKED.search(_asked_heading(passage)) or (
            heads and coverage(terms.codes_first(), heads[-1]) >= TITLED_PROBLEM)):
        return fit_whole(units, budget)  # a section titled with a question (or the very problem asked) answers it, whole
    if qtype in ("howto", "symptom", "cause") and opens_with_error(units, question):
        return fit_whole(units, budget)  # the entry of the very error pasted: its causes and fixes, whole
    focus = focus_of(terms, passage, units)
    ranked = _ranked(units, terms, focus)
    top = ranked[0][0] if ranked else 0.0
    if qtype in ("value", "define", "compare"):
        if top <= 0:
            return []
        best = ranked[0][1]
        if qtype == "compare" and units[best].kind == "row":  # the comparison table, whole
            picks = {i for i, u in enumerate(units) if u.kind == "row" and u.heading == units[best].heading}
        else:
            picks = {best} | {i for s, i in ranked[1:3] if s >= top * 0.8 and qtype == "compare"}
        return fit_chosen(units, picks, budget)
    causes = bool(heads and CAUSES_SECTION.search(heads[-1])) and qtype in ("cause", "symptom")
    rows = [i for i, u in enumerate(units) if u.kind == "row"]
    matched = {i for s, i in ranked if focus.total and s >= max(top * 0.5, 1e-9) and coverage(focus, units[i].text) > 0}
    if causes and not (rows and len(rows) >= len(units) - 1):
        return fit(_matching_parts(units, terms), budget)  # the causes list, whole
    if causes and rows:
        picks = {i for i in rows if i in matched} or set(sorted(rows, key=lambda i: -coverage(terms, units[i].text))[:3])
        return fit_chosen(units, picks, budget)
    if matched and heads and CAUSES_SECTION.search(heads[-1]):
        # a causes list read for one cause ("空 Referer 被拒绝"): the causes close to the best, not one
        # sharing only the symptom's word ("显式拒绝") shown before it
        matched = {i for s, i in ranked if i in matched and s >= ONE_CAUSE * top}
    if matched and qtype == "howto" and coverage(terms, context_of(passage)) >= PROCEDURE_ASKED:
        # a matched step of a numbered procedure doing what is asked: the procedure, whole (when it fits)
        whole_list = matched | {j for i in matched for j in ordered_list(units, i)}
        shown = fit_chosen(units, through_fix(units, whole_list, whole=True), budget)
        if whole_list != matched and all(units[i] in shown for i in matched):
            return shown
    if matched:  # a matched sentence with the rest of its paragraph: what it says to do
        chosen = without_echo(units, past_restatement(units, through_fix(units, matched, whole=True), question),
                              question)
        return fit_ranked(units, chosen, {i: s for s, i in ranked}, budget)
    return fit(units, budget)
