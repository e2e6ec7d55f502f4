"""A procedure shown as an outline: each step's heading (renumbered) with its first instructions and command.

`outline` shares the budget among the steps (steps mentioning what is asked get a double share; the
step the question matches is shown whole and the others are left out, a bare heading reads as a
broken answer — but when that step is a check in a task, not a checklist of causes, the steps after
it do the work and keep their instructions: "在系统内确认新容量" goes on to "扩展分区"); a numbered list begun
in a step is shown to its end (`list_rest`, beyond the budget); a step none of whose instructions fit
shows its first line (a lead-in with its first item) or is left out — never a bare heading. Used by
graph/section_answer.py; tested through tests/graph/test_extractive.py, test_answer_composition.py
and test_step_outline.py.
"""

from __future__ import annotations

import re

from graph.asked_step import matched_step, routed_away, step_whole, steps_of
from graph.doc_units import Unit, space_taken
from graph.relevance import QuestionTerms, coverage
from graph.done_steps import done_step
from graph.step_room import BOLD_PATH, commands_lost, fitted, has_command
from graph.unit_fit import OUTPUT_LEAD, blocks, usable

STEP_PREFIX = re.compile(r"^(第[一二三四五六七八九十\d]+步[：:]?\s*|\d{1,2}[.、]\s*|步骤\s*\d+[：:]?\s*)")


_COMMAND_HINT = re.compile(BOLD_PATH + r"|→|控制台|执行|点击|进入|修改|添加|打开|运行|登录|下载|安装|勾选|填写|提交")


_EXPLAIN = re.compile(r"^(可以看到|如图|例如|比如|示例|注意：|现象)")


def outline(units: list[Unit], budget: int, terms: QuestionTerms | None = None, title: str = "",
            said: str = "") -> list[Unit]:
    """A procedure: each step's heading (renumbered) with its first instructions and command;
    steps that mention what is asked get a double share (explanations and example output left out).
    When that loses a step or a command, the steps give up what an agent can drop first
    (graph/step_room.py; `title` names the page for the steps left out). The step the message
    `said` is done is skipped (graph/done_steps.py)."""
    steps = steps_of(units)
    away = routed_away(steps, terms) if terms is not None else set()
    done = done_step([_head(h) for h, _ in steps], said)
    done_head = steps[done][0] if done is not None else ""
    away |= {done} if done is not None else set()
    steps = [step for i, step in enumerate(steps) if i not in away]  # steps for another symptom
    if not steps:
        return []
    weights = [2.0 if terms is not None and coverage(terms, " ".join(x.text for x in body)) > 0 else 1.0
               for _, body in steps]
    whole: dict[int, list[Unit]] = {}  # the step the question matches, completed (its action after its check)
    matched = matched_step(steps, terms) if terms is not None else None
    if matched is not None:
        body = [u for u in step_whole(steps[matched][1]) if usable(u)]
        if space_taken(body) <= budget * 0.6:
            whole[matched] = body
            weights[matched] = 0.0
    # a task's check step ("在系统内确认新容量") is not where it ends: the steps after it do the work and
    # come with their instructions; a checklist's steps each test one cause and stand alone
    goes_on = matched in whole and _CHECK_HEAD.match(_head(steps[matched][0])) is not None \
        and not checklist(steps)
    after = set(range(matched + 1, len(steps))) if goes_on and matched is not None else set()
    weights = [w if not whole or i in after else 0.0 for i, w in enumerate(weights)]
    room = budget - space_taken(u for body in whole.values() for u in body)
    unit_share = max(60.0, room / max(sum(weights), 1.0) - 12)
    while True:  # the shares may run over (a first block, a command): narrower until the last step fits
        out: list[Unit] = []
        extra = 0  # the ends of numbered lists, shown beyond the budget (LIST_REST)
        for i, ((head, body), weight) in enumerate(zip(steps, weights)):
            if whole and i not in whole and i not in after:  # it would name itself only: a bare heading
                continue
            shown_steps = sum(u.kind == "step" for u in out)  # renumbered from 1 as shown
            out.append(Unit("step", STEP_PREFIX.sub("", head).strip() or head, number=shown_steps + 1))
            if i in whole:
                out += whole[i]
                continue
            shown = _step_body(body, unit_share * weight) or _first_command(body, unit_share * weight) \
                or _first_line(body, unit_share * weight)
            if not shown:  # a heading with nothing under it reads as a broken answer: the step is left out
                out.pop()
                continue
            rest = list_rest(body, shown)
            out += shown + rest
            extra += space_taken(rest)
        if space_taken(out) - extra <= budget or unit_share <= 60.0:
            if not whole and len(steps) > 1 and commands_lost(steps, out, terms):
                out = _roomier(out, fitted(steps, budget, [_head(h) or h for h, _ in steps], title, terms), steps)
            if done is not None and sum(u.kind == "step" for u in out) > 1:  # said done: acknowledged, not repeated
                out = [Unit("sentence", f"「{_head(done_head)}」已完成，接下来："), *out]
            return out if sum(u.kind == "step" for u in out) > 1 else _alone(out)
        unit_share = max(60.0, unit_share * 0.85)


def _roomier(out: list[Unit], refit: list[Unit], steps: list[tuple[str, list[Unit]]]) -> list[Unit]:
    """The refitted procedure when it shows more commands and leaves out no step the outline showed:
    a task's steps build on each other (a console step with no command is a step all the same); a
    checklist's checks stand alone and may go."""
    def commands(units: list[Unit]) -> int:
        return sum(has_command(u) for u in units)
    kept = {u.text for u in refit if u.kind == "step"}
    shown = {u.text for u in out if u.kind == "step"}
    if commands(refit) > commands(out) and (checklist(steps) or not shown - kept):
        return refit
    return out


def _alone(out: list[Unit]) -> list[Unit]:
    """One step left: its heading as the lead-in of its body ("重启：…"), not a list of one."""
    return [Unit("leadin", f"{u.text}：") if u.kind == "step" else Unit(u.kind, u.text, number=u.number, heading=u.heading)
            for u in out]


_CHECK_HEAD = re.compile(r"^.{0,6}?(确认|检查|查看|看|找到|找出|排查|判断|观察|测试|诊断|定位|对比|深入)")
CHECKLIST = 0.5
"""Share of a procedure's step headings that must name a check for it to be a troubleshooting checklist
(each step tests one cause) rather than a task (each step builds on the one before)."""


def _head(head: str) -> str:
    return STEP_PREFIX.sub("", head).strip()


def checklist(steps: list[tuple[str, list[Unit]]]) -> bool:
    """The procedure checks causes one by one ("1. 确认哪个分区满了" … "3. 检查…") rather than doing a task."""
    return sum(1 for head, _ in steps if _CHECK_HEAD.match(_head(head))) >= CHECKLIST * len(steps)


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
    return rest if space_taken(rest) <= LIST_REST else []


def _first_command(body: list[Unit], share: float) -> list[Unit]:
    """A step whose instructions did not fit its share still shows its first command (with the
    words that lead into it) when that is at most twice the share: the command is the step."""
    for k, u in enumerate(body):
        if u.kind == "code" and len(u.text) <= share * 2:
            lead = [body[k - 1]] if k and body[k - 1].kind == "leadin" and len(body[k - 1].text) <= share else []
            return [Unit(x.kind, x.text, number=x.number, depth=1) for x in [*lead, u]]
    return []


def _first_line(body: list[Unit], share: float) -> list[Unit]:
    """A step whose instructions did not fit its share still shows its first line (a lead-in with
    its first item: "常见的信号有：" alone says nothing) when that is at most twice the share."""
    for block in blocks([u for u in body if usable(u)]):
        prose = [u for u in block if u.kind != "code"]
        if not prose or _EXPLAIN.match(prose[0].text):
            continue
        line = prose[:2] if prose[0].kind == "leadin" and len(prose) > 1 else prose[:1]
        if line[-1].kind == "leadin" or sum(len(u.text) for u in line) > share * 2:
            return []
        return [Unit(u.kind, u.text, number=u.number, depth=1) for u in line]
    return []


def _step_body(body: list[Unit], share: float) -> list[Unit]:
    """One step of an outline: its instructions in order within the share, then the commands
    that still fit, in order — the first up to twice the share (the command is the step), none after
    one left out (an instruction whose command does not fit stays, as a sentence)."""
    picked: list[list[Unit]] = []
    used = 0
    candidates = blocks(body)
    has_action = any(b[0].kind != "sentence" or _COMMAND_HINT.search(b[0].text) for b in candidates)
    for block in candidates:
        first = block[0]
        if _EXPLAIN.match(first.text) or (first.kind == "leadin" and (OUTPUT_LEAD.search(first.text)
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
    skipped = False  # a command left out: a later one (an alternative, "系统盘同理：") does not take its place
    for block in picked:
        code = [u for u in block if u.kind == "code"]
        extra = sum(len(u.text) for u in code)
        opening = not any(u.kind == "code" for u in out)
        if code and not skipped and used + extra <= share * (2.0 if opening else 1.2):  # the first command is the step
            used += extra
            out += [Unit(u.kind, u.text, number=u.number, depth=1) for u in block]
            continue
        skipped = skipped or bool(code)
        for u in block:
            if u.kind == "code":
                continue
            if u.kind == "leadin" and len(block) > 1 and all(x.kind == "code" for x in block[1:]):
                # an instruction whose command does not fit stays only when it says something itself
                if SUB_HEADING.match(u.text) or (len(u.text) < 20 and not _COMMAND_HINT.search(u.text)) \
                        or (len(u.text) <= 24 and _ONLY_LEADS.search(u.text)):
                    continue
                out.append(Unit("sentence", u.text.rstrip("：: ") + "。", depth=1))
                continue
            out.append(Unit(u.kind, u.text, number=u.number, depth=1))
    return [u for i, u in enumerate(out) if not (SUB_HEADING.match(u.text) and
                                                 (i + 1 >= len(out) or SUB_HEADING.match(out[i + 1].text)))]


SUB_HEADING = re.compile(r"^\*\*[^*]+\*\*[：:]$")


_ONLY_LEADS = re.compile(r"^(如果|若|当|假如|要是)[^，,。]{0,20}[：:]\s*$|(执行|运行|输入|如下|以下|下面的?命令|命令)[：:]\s*$")
"""A lead-in that only introduces its command ("如果 sshd 没有运行：", "…在实例内执行："): without the
command it says nothing."""
