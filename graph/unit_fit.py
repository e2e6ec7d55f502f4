"""Which units of a section an extractive answer can show, and how they fit a budget.

`usable`: not a heading, a FAQ question line, a sentence about the document, a pointer to a step
not shown, raw HTML or a diagram's source. `attach`: chosen units with what they need — the lead-in
before an item, the command after a sentence, the sentence a "否则…" goes on from, the paragraph a
"遇到此问题" refers to (`problem_before`), the rule an example sentence illustrates (`illustrated`),
the block running a command a sentence names (`runs_named`), the command lead-in after a sentence
saying what to do (`command_after`). `fit` / `fit_whole` / `fit_chosen` / `fit_ranked`: whole units
within the budget (never a sentence cut; a long section's best match kept before its first ones).
`blocks`: units grouped so a lead-in stays with what it leads into.
Used by graph/section_answer.py and graph/step_outline.py; tested through tests/graph/test_extractive.py
and tests/graph/test_long_sections.py.
"""

from __future__ import annotations

from dataclasses import replace

import re

from graph.doc_units import Unit, space_taken
from graph.paragraphs import illustrated, says_what_to_do

ABOUT_DOCUMENT = re.compile(r"^(本文|本节|本页|本章|本指南|本任务|下文|以下(内容|章节|各节|几节|介绍)|下面(几节|各节|的章节))|"
                   r"(本文|本节|本页|本任务|本指南)(按|将|介绍|列出|说明|面向|覆盖|描述|演示)")
"""A sentence about the document itself ("本文按…的顺序介绍…", "本页面向值班同学…"): it tells the reader nothing to do."""


_CROSS_REF = re.compile(r"(按|见|参考|参照|跳到|转到|回到|同)\s*(?:(上面|下面|前面|后面)\s*)?第\s*[0-9一二三四五六七八九十]+\s*(步|节|条)|"
                        r"上一步|下一步|上述步骤|以上步骤")


OUTPUT_LEAD = re.compile(r"输出|示例|结果如下|output", re.I)


# a sentence whose subject or object is "它" names nothing itself ("用它创建新实例时…")
GOES_ON = re.compile(r"^((用|把|对|让|给|将|通过)?它们?|否则|因此|所以|这样|此时|这时|那么|于是|为此|对此|也就是说|换句话说|这种情况|这些|这个|这类|这种|此类|"
                      r"这可以|这是因为|这意味着|这表示|这表明|这说明|这会|这将|该(问题|错误|参数|设置|值|命令)|(此|上述|以上|这条)命令)")


_HTML = re.compile(r"</?(?:td|tr|th|table|tbody|thead|div|span)\b[^>]*>|\{\{[{%<]?\s*[.\w]", re.I)
"""Raw HTML table markup or an unrendered site template ("{{{ .company }}}"): a sentence cut out of it
reads as junk (the page renders it)."""


_DIAGRAM = re.compile(r"^(?:graph|flowchart)\s+(?:TB|BT|LR|RL|TD)\b|^(?:subgraph|classDef|sequenceDiagram)\s|-->|-\.->"
                      r"|^图\s*\d+[.．。]?\s*$")
"""A diagram's source (mermaid: "graph BT", "a --> b", "classDef …") or the bare figure caption under it:
the page draws it; as text it is junk."""


QUESTION_LINE = re.compile(r"^\**\s*(Q|问)\s*[：:]|^\*\*[^*\n]{2,60}[？?][”\"]?\*\*$|^[“\"]*[^。\n]{2,40}[？?][”\"]*$")


def usable(unit: Unit) -> bool:
    """Not a heading, a FAQ question line, a sentence about the document, or a pointer to a step
    that is not shown."""
    if unit.kind == "heading" or ABOUT_DOCUMENT.search(unit.text) or _CROSS_REF.search(unit.text) \
            or QUESTION_LINE.match(unit.text) or _HTML.search(re.sub(r"`[^`]*`", "", unit.text)) \
            or (unit.kind != "code" and _DIAGRAM.search(unit.text)):
        return False
    return bool(unit.text.strip(" *：:。"))


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
                and GOES_ON.match(units[i].text):
            keep.add(i - 1)
        if units[i].kind == "sentence" and i > 0 and units[i - 1].kind == "code" and GOES_ON.match(units[i].text):
            keep |= command_before(units, i)  # "这将从…移除该污点。" says what the command before it does
        if units[i].kind == "sentence" and i + 1 < len(units) and units[i + 1].kind == "sentence" \
                and GOES_ON.match(units[i + 1].text):
            keep.add(i + 1)
    for i in sorted(keep):
        keep |= problem_before(units, i) | illustrated(units, i)
    named: set[int] = set()
    for i in sorted(keep):
        named |= (runs_named(units, i) - keep) | command_after(units, i)  # a fix's command: judged with the fix
    keep |= named
    named |= {i + 1 for i in named if units[i].kind == "leadin" and i + 1 < len(units) and units[i + 1].kind == "code"}
    for i in sorted(keep):
        u = units[i]
        if u.kind in ("item", "row") and i > 0 and units[i - 1].kind == "leadin":
            keep.add(i - 1)
        if u.kind in ("leadin", "item", "sentence") and i + 1 < len(units) and units[i + 1].kind == "code" \
                and not OUTPUT_LEAD.search(u.text):
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


_FIX_SENTENCE = re.compile(r"(为了?|要)解决|请.{0,12}(重新|重启|修改|执行|运行|设置|删除|更新|添加)")
_COMMAND_LEAD = re.compile(r"(以下|如下|下面的?)(命令|指令)|命令如下")


def command_after(units: list[Unit], i: int) -> set[int]:
    """A sentence saying what to do ("为了解决这个问题，请重新启动您的 Pod。") brings the lead-in right
    after it that gives the command for it ("例如，可以使用以下命令重新启动 Pod：", its command follows
    the lead-in): the answer shows how, not only what."""
    if units[i].kind != "sentence" or not _FIX_SENTENCE.search(units[i].text) or i + 2 >= len(units):
        return set()
    lead = units[i + 1]
    if lead.kind != "leadin" or not _COMMAND_LEAD.search(lead.text) or OUTPUT_LEAD.search(lead.text) \
            or units[i + 2].kind != "code":
        return set()
    return {i + 1}


def command_before(units: list[Unit], i: int) -> set[int]:
    """The command a sentence going on from it ("这将…") follows, with the lead-in that asks to run
    it; example output between them (after "输出看起来像：") is left out. Looks back four units."""
    for j in range(i - 1, max(-1, i - 5), -1):
        if units[j].kind not in ("code", "leadin"):
            return set()
        if units[j].kind == "leadin" and not OUTPUT_LEAD.search(units[j].text):
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
            if out and out[-1].kind == "leadin" and says_what_to_do(out[-1].text):
                lead = out.pop()  # the fix it introduces stays, as a statement ("…改用 `EnvoyFilter` 注入故障。")
                out.append(replace(lead, kind="sentence", text=closed(lead.text)))
            elif out and out[-1].kind == "leadin":
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
    kept = list(units)
    for i, u in enumerate(units):
        if space_taken(kept) <= budget:
            break
        if u.kind != "code":
            continue
        kept.remove(u)
        if i and units[i - 1].kind == "leadin" and units[i - 1] in kept:
            at = kept.index(units[i - 1])  # a fix's lead-in stays as a statement; an example's goes with it
            if says_what_to_do(units[i - 1].text):
                kept[at] = replace(units[i - 1], kind="sentence", text=closed(units[i - 1].text))
            else:
                del kept[at]
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
            if space_taken(attach(units, picked | piece)) <= budget:
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
        elif out and u.kind == "sentence" and out[-1][-1].kind in ("sentence", "code") and GOES_ON.match(u.text):
            out[-1].append(u)  # "否则…" reads only after the sentence it goes on from
        else:
            out.append([u])
    return out
