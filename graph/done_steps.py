"""The step of a procedure the user says they already did (issue 12): skipped, not given as the answer.

"新买的数据盘挂上了，系统里看不到" has done the console step ("在控制台挂载到实例"); "控制台把盘扩到
500G 了" the console expansion. A clause of the message reports a step done when it holds 了 or 以后 ("挂上后"),
or begins with 已/已经, and names, not negated ("没挂上", "挂不上"), the action of the step's heading: the
action verb itself ("挂载了") or its first character with a completion ("挂上了", "扩到 500G 了",
"装好了"). Only the earliest such step is taken as done, and only among the first
`DONE_WITHIN` steps: a user reports where they are, which is near the start (a later heading naming
the same action — "挂载" in the system after "在控制台挂载到实例" — is still to do).
Used by graph/step_outline.outline; tested in tests/graph/test_step_room.py.
"""

from __future__ import annotations

import re

_VERBS = ("挂载", "扩容", "创建", "安装", "购买", "开通", "绑定", "解绑", "配置", "重启", "格式化", "分区", "卸载", "升级",
          "重置", "修改", "添加", "开启", "关闭", "设置", "申请", "上传", "下载", "备份", "删除", "注册", "登录", "部署")
"""Actions a step heading names and a user reports having done."""
_COMPLETE = "上完到过"
"""What follows an action's first character once it is done ("挂上", "扩到"; not "挂了": crashed)."""
_CLAUSE = re.compile(r"[，,。；;！!？?\n]|(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")
_NEGATION = re.compile(r"[没未别]\S?$|无法\S?$")
"""What before an action says it was not done ("没挂上", "未挂载")."""
_DONE = re.compile(r"了(?![吗么嘛解])|^(已经|已)|(以|之)后|[上好完过]后")
DONE_WITHIN = 2
"""Steps from the start among which a step may be reported done."""


def _done_clauses(message: str) -> list[str]:
    return [c.strip() for c in _CLAUSE.split(message) if c.strip() and _DONE.search(c.strip())]


def _names_done(head: str, clause: str) -> bool:
    """The clause names the heading's action as done, not negated ("挂不上", "没挂上")."""
    for verb in _VERBS:
        if verb not in head:
            continue
        forms = [verb, *(f"{verb[0]}{c}" for c in _COMPLETE), *(f"{verb[-1]}{c}" for c in "好完过")]
        for form in forms:
            at = clause.find(form)
            if at >= 0 and not _NEGATION.search(clause[:at]) and f"{verb[0]}不" not in clause:
                return True
    return False


def done_step(heads: list[str], message: str) -> int | None:
    """Index of the step the message says is done (module docstring), or None."""
    clauses = _done_clauses(message)
    if len(heads) < 3 or not clauses:
        return None
    for i, head in enumerate(heads[:DONE_WITHIN]):
        if any(_names_done(head, c) for c in clauses):
            return i
    return None
