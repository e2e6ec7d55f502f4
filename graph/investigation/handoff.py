"""How an investigation ends: the answer citing its evidence ([T<n>] tool results, [n] passages),
the list of checks, and the Markdown hand-off summary to paste into a ticket.

A model conclusion keeps only citations of passages it was shown; an investigation stopped
by a budget, a repeat loop or the agent leaving ends with what was found, said plainly.
"""

from __future__ import annotations

import time

from graph.investigation.checks import args_text
from graph.investigation.loop import icon
from graph.model_calls import clean_model_answer
from graph.prompts import replies
from graph.schema import Citation, InvestigationData, InvestigationSummary, ToolCallData
from graph.sentences import citations_of, renumber

DONE_STATUSES = ("ok", "error", "refused", "timeout")


def _cell(text: object) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")[:200]


def check_line(call: ToolCallData) -> str:
    approved = "（已批准）" if call.get("approved") else ""
    return (f"- [T{call['n']}] `{call['tool']}`（{_cell(args_text(call['args']))}）{approved}："
            f"{icon(call)} {_cell(call.get('summary', ''))}")


def conclusion(agent: InvestigationData) -> tuple[str, list[Citation], bool]:
    """(the answer body with its checks, the passages it cites, whether evidence supports it)."""
    passages = agent.get("passages") or []
    calls = agent.get("calls") or []
    cited: list[int] = []
    if agent.get("status") == "answer" and agent.get("answer"):
        text = clean_model_answer(agent["answer"])
        cited = sorted({n for n in citations_of(text) if 1 <= n <= len(passages)})
        body = renumber(text, {n: n for n in cited})  # a number the model was never shown is dropped
    else:
        body = replies()["investigate_stopped"].strip().format(reason=agent.get("detail") or "")
        findings = [check_line(c) for c in calls if c["status"] in DONE_STATUSES]
        body += "\n" + ("\n".join(findings) if findings else "- 暂无有效的检查结果")
    checks = "\n".join(check_line(c) for c in calls)
    text = f"{body}\n\n**检查记录**\n{checks}" if calls else body
    citations: list[Citation] = [{"n": n, **passages[n - 1]} for n in cited]
    grounded = bool(cited) or any(c["status"] == "ok" for c in calls)
    return text, citations, grounded


def handoff_summary(agent: InvestigationData, question: str, session: str, user: str,
                    title: str | None = None) -> str:
    """The Markdown hand-off summary of an investigation."""
    calls = agent.get("calls") or []
    status = "已给出结论" if agent.get("status") == "answer" else f"已停止：{agent.get('detail') or ''}"
    lines = [f"## 排障交接摘要：模型排查{f'（参照「{title}」）' if title else ''}", "",
             f"- **会话**：{session}　**坐席**：{user}　**时间**：{time.strftime('%Y-%m-%d %H:%M')}",
             f"- **状态**：{status}（模型推理 {agent.get('steps', 0)} 步，工具调用 {agent.get('tool_calls', 0)} 次）", "",
             "### 问题现象", "", f"> {_cell(question)}", "", "### 已检查的项目", ""]
    if calls:
        lines += ["| 编号 | 工具与参数 | 结果 |", "|---|---|---|"]
        lines += [f"| T{c['n']} | `{c['tool']}` {_cell(args_text(c['args']))} | "
                  f"{icon(c)} {_cell(c.get('summary', ''))} |" for c in calls]
    else:
        lines.append("- 暂无工具检查")
    ruled_out = [c for c in calls if c["status"] == "ok" and c.get("healthy") is True and not c.get("approved")]
    problems = [c for c in calls if (c["status"] == "ok" and c.get("healthy") is False)
                or c["status"] in ("error", "timeout", "refused")]
    lines += ["", "### 已排除", ""] + ([f"- [T{c['n']}] {_cell(c.get('summary', ''))}" for c in ruled_out] or ["- 暂无"])
    if problems:
        lines += ["", "### 发现的问题", ""] + [f"- [T{c['n']}] `{c['tool']}`：{_cell(c.get('summary', ''))}"
                                              for c in problems]
    decided = [c for c in calls if c.get("approved") or c["status"] == "rejected"]
    if decided:
        lines += ["", "### 审批记录", ""]
        lines += [f"- `{c['tool']}`（{_cell(args_text(c['args']))}）：" +
                  (f"批准，执行结果：{_cell(c.get('summary', ''))}" if c.get("approved") else "拒绝，未执行")
                  for c in decided]
    if agent.get("status") == "answer" and agent.get("answer"):
        first = clean_model_answer(agent["answer"]).strip().splitlines()[0]
        lines += ["", "### 结论", "", f"- {_cell(first)}"]
    nxt = ("按结论处理；如问题仍未解决，请按本摘要升级" if agent.get("status") == "answer"
           else "根据以上检查结果人工继续排查，或按本摘要转二线")
    lines += ["", "### 建议的下一步", "", f"- {nxt}"]
    return "\n".join(lines) + "\n"


def public_summary(agent: InvestigationData, waiting: dict | None = None) -> InvestigationSummary:
    """The investigation as TurnResult.investigation shows it."""
    status = {"answer": "done", "done": "done", "waiting": "waiting", "fallback": "fallback"}.get(
        str(agent.get("status")), "stopped")
    return {"kind": "investigation", "plan": agent.get("plan"), "status": status,
            "stop_reason": agent.get("stop_reason"), "detail": agent.get("detail", ""),
            "steps": agent.get("steps", 0), "tool_calls": agent.get("tool_calls", 0),
            "tokens": agent.get("tokens", 0), "seconds": round(float(agent.get("seconds", 0.0)), 3),
            "waiting": waiting, "outputs": list(agent.get("outputs") or []),
            "calls": [{k: v for k, v in c.items() if k != "result"} for c in agent.get("calls") or []],  # type: ignore[misc]
            "since": int(agent.get("since") or 0)}
