"""What a line of an answer asks to be done, and whether a unit says how (graph/action_detail.py).

`vague_actions`: the clauses of a line naming an action (a verb of change, `ACTION`, with an object)
without its operable detail; a clause stating a cause or a state ("未配置证书", "配置错误"), reporting
what happens ("会自动重启") or setting a condition ("当…时") is no instruction. `operable`: a command or
config block (not printed output, not a drawing), a code span on a line saying to do something, or a
console path. Tested in tests/graph/test_action_detail.py.
"""

from __future__ import annotations

import re
from typing import Sequence

from graph.console_path import PATH
from graph.doc_units import Unit
from graph.keyed_fix import marks

ACTION = re.compile(r"清理|清除|删除|开启|启用|打开|关闭|禁用|配置|设置|修改|调整|调大|调小|调低|调高|限制|添加|增加|"
                    r"创建|新建|刷新|重启|升级|扩容|放行|绑定|解绑|更换|修正|修复|回收|导出|迁移|指定|改为|改用|切换|"
                    r"\b(?:enable|disable|set|configure|add|remove|restart|increase|decrease)\b", re.I)
"""A verb saying what to change (a fix, a setting), not what something is nor what to look at
("检查" is also a noun: "健康检查")."""
_CLAUSES = re.compile(r"[，,；;。！!？?：:]|或者|或")
"""Where one action of a line ends and the next begins (a bracket goes with its clause: "（如 `/health`…）")."""
_CODE_SPAN = re.compile(r"`(?=[^`\n]*[A-Za-z])[^`\n]*(?:[ =/_.:]|--|-[A-Za-z])[^`\n]*`")
"""An inline code span one can paste: a command, a path, a flag, a key or key=value (not a bare word)."""
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
