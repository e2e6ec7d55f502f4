"""Runbook steps as cards: the question to answer, tool results (status, key data, raw output),
advice, approvals and the hand-off summary. Pure HTML rendering of a turn's `runbook` dict.
"""

from __future__ import annotations

import html
import json
from typing import Any

from app.ui.icons import BAN, DONE, FAILED, WARN, plain_symbols

STATUS_LABELS = {"ok": (DONE, "已执行"), "error": (FAILED, "执行出错"), "refused": (BAN, "已拒绝"),
                 "timeout": (WARN, "超时")}
KIND_TITLES = {"ask": "需要你回答", "tool": "工具检查", "advise": "建议", "approve": "需要你批准",
               "escalate": "升级处理", "summary": "交接摘要", "info": "说明"}
RUN_STATUS = {"running": "进行中", "waiting": "等待回复", "left": "已退出", "done": "已完成", "escalated": "已升级"}
KEY_DATA_LIMIT = 8


def _scalar(value: Any) -> bool:
    return isinstance(value, (str, int, float, bool)) or value is None


def _md(text: str) -> str:
    """Minimal, safe Markdown for card bodies: escaped, line breaks, **bold** and `code`."""
    import re

    out = html.escape(plain_symbols(text))
    out = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", out)
    out = re.sub(r"`([^`]+)`", r"<code>\1</code>", out)
    return out.replace("\n", "<br>")


def tool_card(output: dict[str, Any]) -> str:
    result = output.get("tool_result") or {}
    status = str(result.get("status") or "error")
    icon, label = STATUS_LABELS.get(status, ("•", status))
    data = result.get("data") or {}
    invocation = result.get("invocation") or {}
    name = html.escape(str(invocation.get("tool") or "tool"))
    healthy = data.get("healthy")
    verdict = "" if healthy is None else (" · <span class='sc-ok'>正常</span>" if healthy
                                          else " · <span class='sc-bad'>发现问题</span>")
    rows = [(k, v) for k, v in data.items() if _scalar(v) and k not in ("summary", "healthy")][:KEY_DATA_LIMIT]
    table = "".join(f"<tr><th>{html.escape(str(k))}</th><td>{html.escape(str(v))}</td></tr>" for k, v in rows)
    error = f"<div class='sc-bad'>{html.escape(str(result.get('error')))}</div>" if result.get("error") else ""
    raw = html.escape(json.dumps(result, ensure_ascii=False, indent=2, default=str))
    elapsed = result.get("elapsed")
    took = f" · {float(elapsed):.2f}s" if isinstance(elapsed, (int, float)) else ""
    return (
        f"<div class='sc-card sc-tool sc-{html.escape(status)}{' sc-finding' if healthy is False else ''}'>"
        f"<div class='sc-card-title'>{icon} 工具 <code>{name}</code>：{label}{verdict}{took}</div>"
        f"<div class='sc-card-body'>{_md(output.get('text') or '')}</div>{error}"
        f"{f'<table class=sc-keydata>{table}</table>' if table else ''}"
        f"<details class='sc-raw'><summary>原始输出</summary><pre>{raw}</pre></details></div>"
    )


def output_card(output: dict[str, Any]) -> str:
    kind = str(output.get("kind") or "info")
    if kind == "tool":
        return tool_card(output)
    title = KIND_TITLES.get(kind, kind)
    return (f"<div class='sc-card sc-{html.escape(kind)}'><div class='sc-card-title'>{title}</div>"
            f"<div class='sc-card-body'>{_md(output.get('text') or '')}</div></div>")


def waiting_card(waiting: dict[str, Any]) -> str:
    kind = waiting.get("kind") or "ask"
    title = "等待你批准" if kind == "approve" else "请回答"
    options = waiting.get("options") or []
    hint = ("可选：" + "、".join(html.escape(str(o)) for o in options)) if options else "在输入框中回复，或使用下方按钮。"
    return (f"<div class='sc-card sc-waiting'><div class='sc-card-title'>{title}</div>"
            f"<div class='sc-card-body'>{_md(str(waiting.get('prompt') or ''))}</div>"
            f"<div class='sc-hint'>{hint}</div></div>")


def runbook_html(runbook: dict[str, Any] | None) -> str:
    """All cards of the current turn's runbook; empty string when the turn ran none."""
    if not runbook:
        return ""
    status = RUN_STATUS.get(str(runbook.get("status") or ""), str(runbook.get("status") or ""))
    head = (f"<div class='sc-runbook-head'>排障流程 <code>{html.escape(str(runbook.get('id') or ''))}</code>"
            f"{f' · {status}' if status else ''}</div>")
    cards = "".join(output_card(o) for o in runbook.get("outputs") or [] if o.get("kind") != "ask")
    waiting = runbook.get("waiting")
    return f"<div class='sc-runbook'>{head}{cards}{waiting_card(waiting) if waiting else ''}</div>"


def handoff_summary(runbook: dict[str, Any] | None) -> str:
    """The Markdown hand-off summary, if the flow produced one (summary/escalate outputs)."""
    outputs = (runbook or {}).get("outputs") or []
    texts = [o.get("text") or "" for o in outputs if o.get("kind") in ("summary", "escalate")]
    return plain_symbols("\n\n".join(t for t in texts if t).strip())
