"""What the model sees when it investigates: the tools (JSON schemas from the registry), the
matched runbook's steps as its plan, and the knowledge passages, in the `investigate` prompt."""

from __future__ import annotations

import json
from typing import Any

from graph.context import GraphContext
from graph.investigation.checks import defuse
from graph.prompts import load_prompt
from graph.schema import PassageData
from models.llm.base import ChatMessage, ToolSpec
from tools.runbooks.schema import AdviseStep, ApproveStep, AskStep, EscalateStep, Runbook, ToolStep

APPROVAL_NOTE = "（会改变系统状态：只有坐席批准后才会执行）"
PASSAGE_CHARS = 600
PLAN_STEPS = 14


def registry_specs(ctx: GraphContext) -> dict[str, dict[str, Any]]:
    """The specs of the tools offered to the model, by name."""
    if ctx.tools is None:
        return {}
    allowed = set(ctx.settings.investigate.tools)
    return {s["name"]: s for s in ctx.tools.specs() if not allowed or s["name"] in allowed}


def tool_specs(specs: dict[str, dict[str, Any]]) -> list[ToolSpec]:
    out = []
    for name, spec in specs.items():
        note = APPROVAL_NOTE if spec.get("risk") == "changes_something" else ""
        out.append(ToolSpec(name, f"{spec.get('description', '')}{note}", spec.get("parameters") or spec["args"]))
    return out


def plan_text(runbook: Runbook | None) -> str:
    """A runbook's steps as the model's numbered plan ("无" without one)."""
    if runbook is None:
        return "无"
    lines: list[str] = []
    for step in runbook.steps:
        if isinstance(step, AskStep):
            lines.append(f"向坐席确认：{runbook.slots[step.slot].prompt}")
        elif isinstance(step, ToolStep):
            lines.append(f"调用 {step.tool}（{step.title or ''}），参数 {json.dumps(step.args, ensure_ascii=False)}")
        elif isinstance(step, ApproveStep):
            lines.append(f"如有必要，请求坐席批准后调用 {step.tool}：{step.prompt.strip()}")
        elif isinstance(step, AdviseStep):
            lines.append(f"给出建议：{step.title or step.text.strip()[:60]}")
        elif isinstance(step, EscalateStep):
            lines.append(f"无法解决时升级：{step.next_step}")
    numbered = [f"{i}. {line}" for i, line in enumerate(lines[:PLAN_STEPS], 1)]
    return (f"排障手册「{runbook.title}」的步骤（{{{{...}}}} 是占位符，换成实际值；可按需调整）：\n"
            + "\n".join(numbered))


def knowledge_text(passages: list[PassageData]) -> str:
    if not passages:
        return "无"
    blocks = []
    for n, p in enumerate(passages, 1):
        text = defuse(" ".join((p.get("text") or "").split())[:PASSAGE_CHARS])
        blocks.append(f"[{n}]《{p.get('title') or p.get('source')}》（{p.get('source')}）\n{text}")
    return "\n\n".join(blocks)


def opening(question: str, plan: str, passages: list[PassageData]) -> list[ChatMessage]:
    """The system prompt and the question with its plan and passages."""
    system, user = load_prompt("investigate").render(question=question, plan=plan, knowledge=knowledge_text(passages))
    return [ChatMessage("system", system.strip()), ChatMessage("user", user.strip())]
