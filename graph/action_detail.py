"""How to do what the answer only names, from the unit of the same page that says it.

A page often names a fix in one place and says how in another: a table cell ("处理方法：
`docker system prune`，限制容器日志大小") over a "长期预防" bullet giving the file and the key
(`/etc/docker/daemon.json` … `"max-size": "100m"`); an overview line ("在监听器中修改检查路径")
over the command further down; "通过“刷新”让旧缓存失效" over the console path and the sscli call.
The composed answer quotes the naming line and a support agent has nothing to paste.

Here each clause of an answer unit (cut at "，；。（）" and "或") that names an action (an action verb,
`ACTION`, with an object after it) and carries no operable detail (`operable`: a command or code
block, an inline code span holding a path, flag, key or key=value, a console path) is looked up on
the page its unit cites: the unit of that page carrying operable detail (with its lead-in and
command, `unit_fit.attach`) whose own text shares most of the clause's words (character pairs and
Latin words, `keyed_fix.marks`), at least `MIN_ACTION` of them and `MIN_OWN` marks, read with its
heading and the question's words, joins the answer right after the naming unit and cites its section.
Printed output (`sample_output.samples`), units already shown and units over `MAX_ADDED` characters
are never added; at most `MAX_DETAILS` are, each only when the reply still fits in its room.
Used by graph/nodes/answer.py; tested in tests/graph/test_action_detail.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from graph.aspect_lines import ChunksOf, cite_section
from graph.console_path import PATH
from graph.doc_sections import MAX_SECTION_CHUNKS, SKIP_HEAD
from graph.doc_units import Unit, merge_texts, parse_units, sections_in_order, space_taken
from graph.keyed_fix import marks
from graph.sample_output import samples
from graph.section_answer import CAUSES_SECTION, SYMPTOM_SECTION
from graph.unit_fit import attach, fit, usable

ACTION = re.compile(r"清理|清除|删除|开启|启用|打开|关闭|禁用|配置|设置|修改|调整|调大|调小|调低|调高|限制|添加|增加|"
                    r"创建|新建|刷新|重启|升级|扩容|放行|绑定|解绑|更换|修正|修复|回收|导出|迁移|指定|改为|改用|切换|"
                    r"\b(?:enable|disable|set|configure|add|remove|restart|increase|decrease)\b", re.I)
"""A verb saying what to change (a fix, a setting), not what something is nor what to look at
("检查" is also a noun: "健康检查")."""
_CLAUSES = re.compile(r"[，,；;。！!？?：:]|或者|或")
"""Where one action of a line ends and the next begins (a bracket goes with its clause: "（如 `/health`…）")."""
_CODE_SPAN = re.compile(r"`(?=[^`\n]*[A-Za-z])[^`\n]*(?:[ =/_.:]|--|-[A-Za-z])[^`\n]*`")
"""An inline code span one can paste: a command, a path, a flag, a key or key=value (not a bare word)."""
MIN_ACTION = 0.25
"""Share of the clause's marks a unit (with its heading) must hold to say how to do that action."""
MIN_OWN = 2
"""Marks of the clause the unit's own text (not only its heading) must hold: another action's
detail under a heading sharing the words is not this action's."""
VERB = 2
"""Extra weight of the clause's verb, held by the unit's own text: "修改…" is done by the line saying
修改, not by the one saying 查看 about the same thing."""
MIN_ASKED = 2
"""Marks a clause must share with the question for its action to be the one asked about."""
MAX_ADDED = 360
"""Characters one added detail (with its lead-in and command) may take."""
MAX_DETAILS = 2
"""Details added to one answer at most."""


_DOING = re.compile(rf"{ACTION.pattern}|执行|运行|使用|输入|填写|进入|选择|点击|改成|设为|run|use", re.I)
"""A line saying to do something: its code span is what to paste, not a message it quotes."""
_NOT_INPUT = re.compile(r"^```(?:text|console|output|log)?\s*$", re.I)
"""The fence of a block that is printed text, not something to run (a bare fence: judged by its lines)."""
_DRAWN = re.compile(r"[→←─►▶│┌└]|-->|==>")
"""A drawing (a request's path through the layers), not a command."""


def pasteable(unit: Unit) -> bool:
    """A code block one runs or writes (a command, a config), not printed output or a drawing."""
    head, _, body = unit.text.partition("\n")
    return not _DRAWN.search(body) and not (_NOT_INPUT.match(head) and head.strip("`").strip() != "")


def operable(units: Sequence[Unit]) -> bool:
    """The units say how: a command or config block, a code span on a line saying to do something,
    or a console path."""
    return any(pasteable(u) if u.kind == "code" else
               bool(PATH.search(u.text)) or bool(_CODE_SPAN.search(u.text) and _DOING.search(u.text)) for u in units)


_NEGATED = re.compile(r"(?:未|没|没有|不|无法|忘记|忘了|会|已|已经|被|自动|可能)\s*$")
"""A negation or a report right before the verb: the clause names what was not done (a cause) or what
happens by itself ("会自动重启"), not a thing to do."""
_CONDITION = re.compile(r"^\s*(?:当|如果|若|假如|因为|由于|一旦|只要)")
"""A clause opening a condition or a reason ("当您配置重定向到某个 waypoint 时"): it sets the case."""
_STATE = re.compile(r"\s*(?:错误|不当|有误|失败|异常|不对|不合理|损坏|丢失)")
"""What a verb is followed by when the clause names a state ("配置错误"), not an action."""
_FUNCTION = re.compile(r"[在中把将让对为和与及的了到上下后前时]")
"""Function characters: a pair across one ("在监", "器中") names nothing of the action."""


def action_marks(text: str) -> set[str]:
    """The marks (`keyed_fix.marks`) of a clause's words, its Chinese runs cut at function characters."""
    return marks(_FUNCTION.sub(" ", text))


def vague_actions(text: str) -> list[str]:
    """The clauses of a line naming an action without its operable detail ("限制容器日志大小")."""
    out = []
    for clause in _CLAUSES.split(text):
        found = ACTION.search(clause)
        if found is None or "`" in clause or PATH.search(clause) or "=" in clause or re.search(r"\d", clause) \
                or _NEGATED.search(clause[:found.start()]) or _STATE.match(clause[found.end():]) \
                or _CONDITION.match(clause):
            continue  # a value given is a detail; "未配置证书", "配置错误" are causes found, not things to do
        if len(marks(clause[found.end():])) >= 1:  # an object after the verb: "刷新" alone names nothing
            out.append(clause.strip(" *-“”\""))
    return out


@dataclass
class Detail:
    """The page's unit saying how to do a named action: its section and the units to show."""

    path: list[str]
    chunks: list[dict]
    units: list[Unit]
    score: float


def _norm(text: str) -> str:
    return "".join((text or "").split()).lower()


def detail_for(action: str, question: str, doc_chunks: list[dict], shown: str) -> Detail | None:
    """The unit of the page (module docstring) saying how to do `action`, not in `shown` (normalised
    answer text); None when no unit carrying operable detail names enough of it."""
    want = action_marks(action)
    asked = action_marks(question)
    named = ACTION.search(action)
    verb = marks(named.group(0)) if named else set()
    if not want:
        return None
    best: Detail | None = None
    for path, chunks in sections_in_order(doc_chunks):
        heads = " ".join(path)
        if SKIP_HEAD.search(heads) or (path and (SYMPTOM_SECTION.match(path[-1]) or CAUSES_SECTION.search(path[-1]))):
            continue  # a symptom or causes section says what was seen or why, not what to do
        units = parse_units(merge_texts([c["text"] for c in chunks[:MAX_SECTION_CHUNKS]]), chunks[0].get("kind") or "doc")
        printed = samples(units)
        for i, u in enumerate(units):
            opens = u.kind == "code" and (i == 0 or units[i - 1].kind == "heading" or units[i - 1].heading != u.heading)
            if i in printed or u.kind == "heading" or (u.kind == "code" and not opens) or not usable(u):
                continue  # a command counts alone only where it opens its sub-section (its heading says what it does)
            pieces = [u] if u.kind in ("row", "code") else fit(attach(units, {i}), MAX_ADDED)  # a row stands alone
            pieces = [p for p in pieces if p not in [units[j] for j in printed]]  # printed output is no detail
            if u.kind == "code" and space_taken(pieces) > MAX_ADDED:
                continue
            if u not in pieces or not operable(pieces) \
                    or any(_norm(p.text)[:40] in shown or _norm(action) in _norm(p.text) for p in pieces):
                continue  # shown already, or the naming line itself (a lead-in bringing its table)
            own = marks(" ".join([p.text for p in pieces] + [u.heading or (path[-1] if len(path) > 1 else "")]))
            held = own | marks(f"{heads} {u.heading}")
            said = marks(" ".join(p.text for p in pieces))
            if not want & said or not asked & said \
                    or len(want & (held if len(path) > 1 or u.heading else own)) < MIN_OWN:
                # a sub-section's heading says what its lines do ("刷新：让旧缓存失效 > 控制台操作")
                continue
            share = (len(want & held) + VERB * len(verb & own)) / (len(want) + VERB * len(verb))
            if share < MIN_ACTION:
                continue
            score = share + len(asked & held) / max(len(asked), 1)
            if best is None or score > best.score + 1e-9:
                best = Detail(list(path), chunks, pieces, score)
    return best


def _page(unit: Mapping[str, Any], passages: Sequence[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """The document passage a unit cites first (None: it cites only FAQ entries or none)."""
    for n in unit.get("cites") or []:
        p = passages[n - 1] if 0 < n <= len(passages) else None
        if p is not None and p.get("kind") != "faq" and p.get("source"):
            return p
    return None


def with_action_details(question: str, units: list[dict], passages: list[dict], chunks_of: ChunksOf,
                        room: int) -> tuple[list[dict], list[dict]]:
    """(units, passages) with the detail of each action the answer names without it (module
    docstring), each right after its naming unit (and the rest of that unit's block); unchanged
    when none is named, found or fits in `room` characters."""
    out_units, out_passages = [dict(u) for u in units], list(passages)
    added = 0
    k = 0
    while k < len(out_units) and added < MAX_DETAILS:
        unit = out_units[k]
        page = _page(unit, out_passages)
        follows = out_units[k + 1].get("block") if k + 1 < len(out_units) else None
        text = (unit.get("text") or "").rstrip()
        said = unit.get("block") in ("code", "leadin") or follows == "code" or text.endswith(("：", ":")) or "```" in text
        actions = vague_actions(text) if page is not None and not said else []  # a line bringing its command says how
        if page is None or not actions:
            k += 1
            continue
        shown = _norm(" ".join(u.get("text") or "" for u in out_units))

        ranked = sorted(actions, key=lambda a: -len(action_marks(a) & action_marks(question)))
        detail = next((d for d in (detail_for(a, question, chunks_of(page), shown) for a in ranked
                                   if len(action_marks(a) & action_marks(question)) >= MIN_ASKED) if d is not None),
                      None)  # an action the question names: another line's action is not what was asked
        used = sum(len(u.get("text") or "") + 4 for u in out_units)
        if detail is None or used + space_taken(detail.units) > room:
            k += 1
            continue
        n = cite_section(out_units, out_passages, page, detail.path, detail.chunks, "action_detail")
        at = k + 1
        while at < len(out_units) and out_units[at].get("group") == unit.get("group"):
            at += 1  # the naming unit's list or table stays whole
        group = max((u.get("group") or 0 for u in out_units), default=0) + 1
        for j, piece in enumerate(detail.units):
            out_units.insert(at + j, {"text": piece.text, "cites": [n], "block": piece.kind, "group": group,
                                      "with_heading": True})
        added += 1
        k = at + len(detail.units)
    return out_units, out_passages
