"""Room for a long procedure: what its steps give up before the answer loses a step or a command (issue 12).

The outline (graph/step_outline.py) shares its budget equally among the steps. A long how-to
("新买的数据盘挂上了…怎么初始化") then spent its room on a file-system comparison table and a
`blkid` sample output and lost the last step's fstab line — the step that makes the fix stick.
When the outline leaves out a command of a step it shows, or a step, `fitted` builds the answer
again from what a support agent cannot drop. Each step first gives up (`trimmed`):

- example output (a lead-in naming output with its block; comment lines closing a command
  block that show output, not say why: `# /dev/vdb1: UUID="…"`);
- table rows beside a command (a comparison or a field list) unless a row names what is asked or
  the table is what an instruction says to enter ("在 **路由表** 中添加：");
- a conditional alternative after the step's command ("如果系统没有 pidstat：" + its install
  command, "系统盘同理：") unless its condition names what is asked;
- explanations (sentences with no action and no command) where the step has commands or items;
- the command line doing what the step's console items just did (a command block with no lead-in
  right after a numbered list of console clicks: "sscli disk attach-disk …" after "点击 **挂载**");

then, still too long, the largest step is cut to its core (`core`: its commands and list items with
the lines leading into them; a step without a command keeps its first instruction). Only when the cores do
not fit are steps left out: the first and the last steps stay, those dropped
from the middle are named in one line with the page to open (graph/step_outline takes that only for
a checklist of checks, or where the outline itself had left those steps out). Every step shown keeps its commands.
Used by graph/step_outline.outline; tested in tests/graph/test_step_room.py.
"""

from __future__ import annotations

import re
from typing import Callable

from graph.asked_step import step_whole
from graph.doc_units import Unit, space_taken
from graph.relevance import QuestionTerms, coverage
from graph.unit_fit import blocks, usable

BOLD_PATH = r"\*\*[^*]*[>→][^*]*\*\*"
"""A console path in bold ("**更多 > 扩容**"): where to click (also graph/step_outline)."""
_ACTION = re.compile(BOLD_PATH + r"|→|控制台|执行|点击|单击|进入|修改|添加|打开|运行|登录|下载|安装|勾选|填写|提交|"
                     r"输入|开启|关闭|编辑|追加|新增")
"""A line that says what to do (not why)."""
_CONSOLE = re.compile(BOLD_PATH + r"|控制台|点击|单击")
"""Numbered items that click through the console."""
_CONDITION = re.compile(r"^(如果|若|假如|要是|对于|如需|如要|没有|未安装|或者?|也可以)|同理[：:]?\s*$")
"""A lead-in for another case or another way ("如果系统没有 pidstat：", "系统盘同理：")."""
_CJK = re.compile(r"[\u4e00-\u9fff]")
_FENCE = re.compile(r"^\s*(```|~~~)")


def has_command(unit: Unit) -> bool:
    """A command block, or a list item carrying one."""
    return unit.kind == "code" or (unit.kind == "item" and "```" in unit.text)


def without_output(text: str) -> str:
    """A text whose command block ends in comment lines showing example output (no Chinese: `# /dev/vdb1:
    UUID=…`, not `# 或`) without them; a block of comments only stays as it is."""
    lines = text.split("\n")
    out: list[str] = []
    block: list[str] | None = None
    for line in lines:
        if _FENCE.match(line) and block is None:
            block = []
            out.append(line)
            continue
        if _FENCE.match(line) and block is not None:
            kept = list(block)
            while kept and kept[-1].strip().startswith("#") and not _CJK.search(kept[-1]):
                kept.pop()
            if not any(x.strip() and not x.strip().startswith("#") for x in kept):
                kept = block
            out += kept + [line]
            block = None
            continue
        (block if block is not None else out).append(line)
    if block is not None:
        out += block
    return "\n".join(out)


NAMED = 0.3
"""Share of what is asked a part a step could give up must name to stay (one shared word like "系统" is not enough)."""


def _names(terms: QuestionTerms | None, block: list[Unit]) -> bool:
    return terms is not None and terms.total > 0 and coverage(terms, " ".join(u.text for u in block)) >= NAMED


def _by_command_line(units: list[Unit], i: int) -> bool:
    """Unit i is a command block right after a numbered list clicking through the console: the same
    action by command line."""
    if units[i].kind != "code" or not i or units[i - 1].kind != "item" or units[i - 1].number is None:
        return False
    start = i - 1
    while start and units[start - 1].kind == "item" and units[start - 1].number is not None:
        start -= 1
    return i - start >= 2 and bool(_CONSOLE.search(" ".join(u.text for u in units[start:i])))


def trimmed(body: list[Unit], terms: QuestionTerms | None = None) -> list[Unit]:
    """A step's body without what a support agent can drop (module docstring), in order."""
    units = [u for u in step_whole(body) if usable(u)]
    units = [u for i, u in enumerate(units) if not (_by_command_line(units, i) and not _names(terms, [u]))]
    commands = any(has_command(u) for u in units)
    acts = commands or any(u.kind == "item" for u in units)
    out: list[Unit] = []
    for block in blocks(units):
        named = _names(terms, block)
        entered = block[0].kind == "leadin" and bool(_ACTION.search(block[0].text))  # "…中添加：" + what to enter
        rows_go = commands and not entered and not named  # a table beside the command: a comparison, a field list
        if rows_go and all(u.kind in ("row", "leadin") for u in block) and any(u.kind == "row" for u in block):
            continue
        if any(has_command(u) for u in out) and _CONDITION.search(block[0].text) and not named:
            continue  # an alternative for another case, after the step's own command
        if acts and all(u.kind == "sentence" for u in block) and not _ACTION.search(block[0].text) and not named:
            continue  # an explanation
        kept = [u for u in block if u.kind != "row" or not rows_go or _names(terms, [u])]
        if kept and kept[0].kind == "leadin" and any(u.kind == "row" for u in block) \
                and not any(u.kind == "row" for u in kept):
            kept = kept[1:]  # the lead-in of the rows left out
        out += [Unit(u.kind, without_output(u.text) if has_command(u) else u.text, number=u.number, depth=1,
                     heading=u.heading) for u in kept]
    return [u for i, u in enumerate(out) if u.kind != "leadin" or (i + 1 < len(out) and out[i + 1].kind != "leadin")]


def core(body: list[Unit]) -> list[Unit]:
    """A trimmed step at its least: its commands and list items with what leads into them; without
    either, its first instruction."""
    parts = blocks(body)
    kept = [b for b in parts if any(has_command(u) or u.kind == "item" for u in b)]
    if not kept:
        return parts[0] if parts else []
    return [u for b in kept for u in b]


LEAST_LEAD = 24
"""Characters at most of a lead-in kept before a step's first command when the step is at its least."""


_PATH = re.compile(BOLD_PATH + r"|[^\s→]\s*→\s*[^\s→]")
"""A console path ("日志管理 → 慢日志", "**更多 > 扩容**"): where to click is as much the step as a command."""


def least(body: list[Unit]) -> list[Unit]:
    """A cored step at its very least: its first action (a command with the short line leading into it, or
    a list of console clicks), and the console paths it names elsewhere; without either, its first instruction."""
    parts = blocks(body)
    first = next((k for k, part in enumerate(parts) if any(has_command(u) or u.kind == "item" for u in part)), None)
    if first is None:
        return parts[0][:1] if parts else []
    part = list(parts[first])
    for more in parts[first + 1:]:  # a numbered list of clicks is one action, item after item
        if not (part[0].kind == "item" and part[0].number is not None and more[0].kind == "item"
                and more[0].number is not None):
            break
        part += more
    at = next((k for k, u in enumerate(part) if has_command(u)), None)
    kept = part if at is None or any(u.kind == "item" for u in part[:at + 1]) else \
        [u for u in part[:at] if len(u.text) <= LEAST_LEAD] + [part[at]]  # a long lead-in explains
    out: list[Unit] = []
    for other in parts:
        if other[0] is part[0]:
            out += kept
            continue
        for u in (x for x in other if x not in part):
            if u.kind != "code" and _PATH.search(u.text):
                text = u.text.rstrip("：: ") + "。" if u.kind == "leadin" else u.text
                out.append(Unit("sentence" if u.kind == "leadin" else u.kind, text, number=u.number, depth=u.depth,
                                heading=u.heading))
    return out


def commands_lost(steps: list[tuple[str, list[Unit]]], shown: list[Unit], terms: QuestionTerms | None) -> bool:
    """The outline left out a step, or a command a shown step's trimmed body has."""
    texts = {u.text for u in shown}
    heads = [u.text for u in shown if u.kind == "step"]
    if len(heads) < len(steps):
        return True
    for _, body in steps:
        if any(has_command(u) and u.text not in texts and without_output(u.text) not in texts
               for u in trimmed(body, terms)):
            return True
    return False


def fitted(steps: list[tuple[str, list[Unit]]], budget: int, heads: list[str], title: str,
           terms: QuestionTerms | None = None) -> list[Unit]:
    """The procedure within the budget, each step trimmed, then cut to its core largest first, then
    middle steps left out (module docstring); `heads` are the steps' headings as shown."""
    full = [trimmed(body, terms) for _, body in steps]
    bodies = [list(b) for b in full]
    sizes = [len(h) + 4 + space_taken(b) for h, b in zip(heads, bodies)]
    _shrink_largest(bodies, sizes, heads, budget, lambda i: core(full[i]))
    cores = [list(b) for b in bodies]
    # before any step is left out, each gives up all but its first command, largest first
    _shrink_largest(bodies, sizes, heads, budget, lambda i: least(cores[i]))
    carry = [i for i, b in enumerate(bodies) if b]
    ends = {carry[0], carry[-1]} if carry else set()
    left: list[int] = []
    while sum(sizes[i] for i in range(len(steps)) if i not in left) + 40 * bool(left) > budget:
        middle = [i for i in range(len(steps)) if i not in ends and i not in left and bodies[i]]
        if not middle:
            break
        # a step without a command says least when left out, then the largest
        left.append(max(middle, key=lambda k: (not any(has_command(u) for u in bodies[k]), sizes[k])))
    out: list[Unit] = []
    for i, (head, body) in enumerate(zip(heads, bodies)):
        if i in left or not body:
            continue
        out.append(Unit("step", head, number=sum(u.kind == "step" for u in out) + 1))
        out += body
    if left:
        names = "、".join(heads[i] for i in sorted(left))
        page = f"《{title}》" if title else "原文"
        out.append(Unit("sentence", f"（另有 {len(left)} 步未列出：{names}，完整步骤见{page}。）"))
    return out


def _shrink_largest(bodies: list[list[Unit]], sizes: list[int], heads: list[str], budget: int,
                    smaller: Callable[[int], list[Unit]]) -> None:
    """Replace the largest step not yet shrunk by `smaller(i)` until the procedure fits (in place)."""
    done: set[int] = set()
    while sum(sizes) > budget and len(done) < len(bodies):
        i = max((k for k in range(len(bodies)) if k not in done), key=lambda k: sizes[k])
        done.add(i)
        bodies[i] = smaller(i)
        sizes[i] = len(heads[i]) + 4 + space_taken(bodies[i])
