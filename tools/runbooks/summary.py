"""The Markdown hand-off summary of a runbook run, ready to paste into a ticket."""

from __future__ import annotations

import time

from tools.runbooks.schema import Runbook
from tools.runbooks.state import Evidence, RunbookState
from tools.runbooks.templating import placeholders

STATUS_TEXT = {"done": "流程已完成", "escalated": "已升级处理", "waiting": "进行中（等待坐席输入）",
               "running": "进行中", "left": "已暂停（坐席离开流程）"}


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")[:300]


def _args(args: dict) -> str:
    return ", ".join(f"{k}={v}" for k, v in args.items() if k != "text" and v not in (None, "", [])) or "-"


def render_summary(state: RunbookState, runbooks: dict[str, Runbook]) -> str:
    current = runbooks.get(state.runbook_id)
    title = " → ".join(runbooks[r].title if r in runbooks else r for r in state.trail or [state.runbook_id])
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(state.updated_at))
    lines = [f"## 排障交接摘要：{title}", "",
             f"- **会话**：{state.session}　**坐席**：{state.user}　**时间**：{when}",
             f"- **状态**：{STATUS_TEXT.get(state.status, state.status)}", "",
             "### 问题现象", "", f"> {_cell(state.question)}", ""]
    if state.slots:
        lines += ["### 已收集的信息", ""]
        slot_defs: dict = {}
        for rb_id in state.trail or [state.runbook_id]:
            for n, s in (runbooks[rb_id].slots.items() if rb_id in runbooks else []):
                slot_defs.setdefault(n, s)
        used = _slots_used(state, runbooks)
        for name, value in state.slots.items():
            if name in slot_defs and not slot_defs[name].ask and name not in used:
                continue  # a default nobody used (e.g. the RDP port of a Linux flow)
            label = slot_defs[name].prompt.rstrip("？?：:") if name in slot_defs else name
            shown = "（跳过）" if value is None else _cell(value)[:200]
            lines.append(f"- {label}：{shown}")
        lines.append("")
    checks = [e for e in state.evidence if e.kind == "tool"]
    lines += ["### 已检查的项目", ""]
    if checks:
        lines += ["| # | 检查 | 工具与参数 | 结果 |", "|---|---|---|---|"]
        for i, e in enumerate(checks, 1):
            mark = ("" if e.healthy is None else "✅ " if e.healthy else "❌ ") if e.status == "ok" else "⚠️ "
            lines.append(f"| {i} | {_cell(e.title)} | `{e.tool}` {_cell(_args(e.args))} | {mark}{_cell(e.summary)} |")
    else:
        lines.append("- 暂无工具检查")
    lines.append("")
    ruled_out = [e for e in checks if e.healthy and e.status == "ok"]
    lines += ["### 已排除", ""]
    lines += [f"- {e.rules_out or e.title}（{_cell(e.summary)}）" for e in ruled_out] or ["- 暂无"]
    lines.append("")
    problems = [e for e in checks if e.healthy is False or e.status != "ok"]
    if problems:
        lines += ["### 发现的问题", ""]
        lines += [f"- {_cell(e.title)}：{_cell(e.summary)}" for e in problems]
        lines.append("")
    advice = [e for e in state.evidence if e.kind == "advise"]
    if advice:
        lines += ["### 已给出的建议", ""]
        for e in advice:
            sources = "、".join(dict.fromkeys(c.get("source", "") for c in e.citations if c.get("source")))
            lines.append(f"- {_cell(e.title or e.text[:60])}" + (f"（依据：{sources}）" if sources else ""))
        lines.append("")
    approvals = [e for e in state.evidence if e.kind == "approve"]
    if approvals:
        lines += ["### 审批记录", ""]
        lines += [f"- {_cell(e.title)}：{'批准' if e.status == 'approve' else '拒绝'}" +
                  (f"，执行结果：{_cell(e.summary)}" if e.summary else "") for e in approvals]
        lines.append("")
    lines += ["### 建议的下一步", "", f"- {_next_step(state.evidence, current)}"]
    return "\n".join(lines).rstrip() + "\n"


def _slots_used(state: RunbookState, runbooks: dict[str, Runbook]) -> set[str]:
    """Slots referenced by the arguments of the tool steps that ran."""
    used: set[str] = set()
    for e in state.evidence:
        runbook = runbooks.get(e.runbook)
        step = next((s for s in runbook.steps if s.id == e.step), None) if runbook else None
        if step is not None and hasattr(step, "args"):
            used |= {p[1] for p in placeholders(step.args) if p[0] == "slots"}
    return used


def _next_step(evidence: list[Evidence], current: Runbook | None) -> str:
    for e in reversed(evidence):
        if e.kind == "escalate":
            return f"{e.summary}（升级原因：{e.text}）"
    for e in reversed(evidence):
        if e.kind == "advise":
            return f"按建议处理：{e.title or e.text[:80]}；{current.resolution if current else ''}".rstrip("；")
    return current.resolution if current else "继续按运行手册排查"
