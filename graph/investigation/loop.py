"""The investigation's three moves, each on the checkpointable `InvestigationData`:

- `model_turn`: one model turn with the tools offered (budgets checked first; malformed
  tool-call output is repaired once, then the investigation falls back);
- `run_calls`: the turn's calls, each checked (schema, repeats, budget) and run through the
  tool registry — read-only tools at once, changes_something tools only as a dry run that
  waits for the agent's approval;
- `decide`: the agent's approve / reject / leave for the waiting call.

Every call gets exactly one result (a tool message the model reads next). Nothing here
raises for what the model or a tool did; a backend failure becomes a fallback.
"""

from __future__ import annotations

import copy
import time
from dataclasses import replace
from typing import Any, Callable

from graph.context import GraphContext
from graph.investigation.checks import args_text, call_key, check_arguments, observation
from graph.investigation.prompting import registry_specs, tool_specs
from graph.prompts import replies
from graph.schema import (AdapterChoiceData, CallStatus, InvestigationData, InvestigationStatus, PassageData,
                          RouteDecision, ToolCallData)
from models.errors import ModelError
from models.llm.base import AdapterChoice, AssistantReply, ChatMessage, ModelToolCall, ToolCallingBackend
from tools.runbooks.replies import normalise_reply

REPAIRS = 1
"""Malformed tool-call output is answered with one repair request; the next one falls back."""
MAX_REPEATS = 2
"""Identical calls refused before the investigation stops (the model is looping)."""
ICONS = {"ok": "✅", "error": "⚠️", "refused": "⛔", "timeout": "⏱", "invalid": "⚠️", "repeated": "🔁",
         "skipped": "⏭", "rejected": "🚫"}


def icon(call: ToolCallData) -> str:
    """✅ ran and found nothing wrong, ❌ ran and found a problem, else what kept it from running."""
    if call["status"] == "ok" and call.get("healthy") is False:
        return "❌"
    return ICONS.get(call["status"], "•")
STOP_TEXT = {
    "budget_steps": "已达到本次排查的模型步数上限", "budget_tool_calls": "已达到本次排查的工具调用次数上限",
    "budget_tokens": "已达到本次排查的词元上限", "budget_time": "已达到本次排查的时间上限",
    "repeated_call": "模型反复提出相同的工具调用", "malformed": "模型输出的工具调用两次都无法解析",
    "model_error": "模型服务出错", "left": "坐席退出了排查",
}


def new_agent(question: str, standalone: str, route: RouteDecision, messages: list[ChatMessage],
              passages: list[PassageData], plan: str | None, adapter: AdapterChoiceData) -> InvestigationData:
    return {"question": question, "standalone": standalone, "route": route, "messages": [m.to_json() for m in messages], "calls": [], "pending": [], "outputs": [],
            "passages": passages, "plan": plan, "adapter": adapter, "status": "model", "stop_reason": None,
            "detail": "", "answer": "", "steps": 0, "tool_calls": 0, "tokens": 0, "seconds": 0.0, "repairs": 0,
            "repeats": 0, "since": 0}


def audit_label(agent: InvestigationData) -> str:
    """What the audit trail records as the flow: the investigation and its plan."""
    return f"investigation:{agent['plan']}" if agent.get("plan") else "investigation"


def exhausted(ctx: GraphContext, agent: InvestigationData) -> str | None:
    limits = ctx.settings.investigate
    if agent["steps"] >= limits.max_steps:
        return "budget_steps"
    if agent["tokens"] >= limits.max_tokens:
        return "budget_tokens"
    if agent["seconds"] >= limits.max_seconds:
        return "budget_time"
    return None


def stop(agent: InvestigationData, reason: str, detail: str = "",
         status: InvestigationStatus = "stopped") -> InvestigationData:
    agent["status"], agent["stop_reason"] = status, reason
    agent["detail"] = detail or STOP_TEXT.get(reason, reason)
    return agent


def model_turn(ctx: GraphContext, agent: InvestigationData, emit: Callable[[str], None]) -> InvestigationData:
    """Ask the model for its next move; sets status tools | answer | model (repair) | stopped | fallback."""
    agent = copy.deepcopy(agent)
    reason = exhausted(ctx, agent)
    if reason:
        return stop(agent, reason)
    started = time.perf_counter()
    llm: ToolCallingBackend = ctx.llm  # type: ignore[assignment]  # ctx.investigates checked tool support
    adapter = agent["adapter"]
    options = replace(ctx.decoding, max_tokens=ctx.settings.investigate.reply_tokens,
                      repetition_penalty=ctx.settings.investigate.repetition_penalty,
                      adapter=AdapterChoice(adapter.get("name"), dict(adapter.get("weights") or {}),
                                            adapter.get("reason", "")))
    messages = [ChatMessage.from_json(m) for m in agent["messages"]]
    reply: AssistantReply | None = None
    try:
        with ctx.generation_lock:
            for piece in llm.stream_tools(messages, options, tool_specs(registry_specs(ctx))):
                if isinstance(piece, AssistantReply):
                    reply = piece
                elif piece:
                    emit(piece)
    except ModelError as exc:
        return stop(agent, "model_error", f"模型服务出错：{exc}", status="fallback")
    agent["seconds"] += time.perf_counter() - started
    if reply is None:
        return stop(agent, "model_error", "模型没有返回结果", status="fallback")
    agent["steps"] += 1
    agent["tokens"] += reply.tokens
    problems = list(reply.malformed) or ([] if reply.tool_calls or reply.content.strip() else ["回复为空"])
    if problems:
        if agent["repairs"] >= REPAIRS:
            return stop(agent, "malformed", "；".join(problems), status="fallback")
        agent["repairs"] += 1
        agent["messages"].append(ChatMessage("assistant", reply.raw or reply.content).to_json())
        repair = replies()["investigate_repair"].strip().format(problem="；".join(problems))
        agent["messages"].append(ChatMessage("user", repair).to_json())
        agent["outputs"].append({"kind": "info", "text": f"模型的工具调用无法解析，已请它重新输出：{problems[0]}"})
        agent["status"] = "model"
        return agent
    agent["messages"].append(ChatMessage("assistant", reply.content, reply.tool_calls).to_json())
    if reply.tool_calls:
        if reply.content.strip():
            agent["outputs"].append({"kind": "model", "text": reply.content.strip()})
        agent["status"] = "tools"
    else:
        agent["status"], agent["answer"] = "answer", reply.content.strip()
    return agent


def _record(agent: InvestigationData, call: ModelToolCall, args: dict[str, Any], status: CallStatus, summary: str,
            result: dict[str, Any] | None = None, approved: bool = False) -> ToolCallData:
    data = (result or {}).get("data") or {}
    healthy = data.get("healthy") if status == "ok" else None
    record: ToolCallData = {"id": call.id, "n": len(agent["calls"]) + 1, "tool": call.name, "args": args,
                            "status": status, "summary": summary,
                            "healthy": healthy if isinstance(healthy, bool) else None, "approved": approved,
                            "elapsed": float((result or {}).get("elapsed") or 0.0),
                            "result": result or {"status": status, "error": summary,
                                                 "invocation": {"tool": call.name, "args": args}, "data": {}}}
    return record


def _answer(ctx: GraphContext, agent: InvestigationData, record: ToolCallData) -> None:
    """Give the call its one result: in the calls, as a tool message, and as a step card."""
    agent["calls"].append(record)
    text = observation(record, ctx.settings.investigate.result_chars)
    agent["messages"].append(ChatMessage("tool", text, tool_call_id=record["id"], name=record["tool"]).to_json())
    agent["outputs"].append({"kind": "tool", "text": f"**[T{record['n']}] {record['tool']}**（{args_text(record['args'])}）："
                                                      f"{icon(record)} {record['summary']}", "tool_result": record["result"]})


def _summary(result: Any) -> str:
    return str(result.summary if result.status == "ok" else (result.error or result.status))


def run_calls(ctx: GraphContext, agent: InvestigationData, session: str, user: str, kb: str | None,
              started: Callable[[str], None]) -> InvestigationData:
    """Run the last model turn's calls; sets status model | waiting | stopped."""
    agent = copy.deepcopy(agent)
    began = time.perf_counter()
    assert ctx.tools is not None
    specs = registry_specs(ctx)
    limits = ctx.settings.investigate
    last = ChatMessage.from_json(agent["messages"][-1])
    executed = {call_key(c["tool"], c["args"]): c["n"] for c in agent["calls"]
                if c["status"] in ("ok", "error", "refused", "timeout", "rejected")}
    for call in last.tool_calls:
        args, problem = check_arguments(call, specs, kb)
        if problem is not None or args is None:
            _answer(ctx, agent, _record(agent, call, dict(call.arguments), "invalid", problem or "参数无效"))
            continue
        key = call_key(call.name, args)
        if key in executed:
            agent["repeats"] += 1
            _answer(ctx, agent, _record(agent, call, args, "repeated",
                                        f"与 [T{executed[key]}] 完全相同，未再次执行；请直接使用 [T{executed[key]}] 的结果"))
            if agent["repeats"] >= MAX_REPEATS:
                stop(agent, "repeated_call")
            continue
        if agent["tool_calls"] >= limits.max_tool_calls or agent.get("stop_reason"):
            stop(agent, agent.get("stop_reason") or "budget_tool_calls")
            _answer(ctx, agent, _record(agent, call, args, "skipped",
                                        f"{STOP_TEXT[agent['stop_reason'] or 'budget_tool_calls']}，未执行"))
            continue
        agent["tool_calls"] += 1
        started(call.name)
        if specs[call.name].get("risk") == "changes_something":
            dry = ctx.tools.invoke(call.name, args, session, user, dry_run=True, runbook=audit_label(agent))
            blocked = dry.error if dry.status != "ok" else dry.data.get("blocked")
            if blocked:
                _answer(ctx, agent, _record(agent, call, args, "refused", str(blocked), dry.to_json()))
            else:
                agent["pending"].append({"id": call.id, "tool": call.name, "args": args,
                                         "effect": str(dry.data.get("would") or "")})
            executed[key] = -1  # proposed once; the same proposal again is a repeat
            continue
        result = ctx.tools.invoke(call.name, args, session, user, runbook=audit_label(agent))
        record = _record(agent, call, args, result.status, _summary(result), result.to_json())
        executed[key] = record["n"]
        _answer(ctx, agent, record)
    agent["seconds"] += time.perf_counter() - began
    if agent["pending"]:
        agent["status"] = "waiting"
    elif agent.get("stop_reason"):
        agent["status"] = "stopped"
    else:
        agent["status"] = "model"
    return agent


def waiting_request(agent: InvestigationData) -> dict[str, Any] | None:
    """The approval the investigation waits for (the interrupt value and the UI's approve/reject card)."""
    if not agent.get("pending"):
        return None
    first = agent["pending"][0]
    prompt = replies()["investigate_approval"].strip().format(
        tool=first["tool"], args=args_text(first["args"]), effect=first["effect"])
    return {"kind": "approve", "prompt": prompt, "options": ["approve", "reject"], "tool": first["tool"],
            "args": first["args"], "call_id": first["id"], "investigation": agent.get("plan") or "investigation"}


def decide(ctx: GraphContext, agent: InvestigationData, reply: str, session: str, user: str) -> InvestigationData:
    """Apply the agent's answer to the waiting call; sets status model | waiting | stopped."""
    agent = copy.deepcopy(agent)
    assert ctx.tools is not None
    agent["since"] = len(agent["calls"])  # a new turn: its calls are the ones made from here on
    word = normalise_reply(reply or "")
    if word == "leave":
        for pending in agent["pending"]:
            call = ModelToolCall(pending["id"], pending["tool"], pending["args"])
            _answer(ctx, agent, _record(agent, call, pending["args"], "skipped", "坐席退出了排查，未执行"))
        agent["pending"] = []
        return stop(agent, "left")
    if word not in ("approve", "reject", "skip"):
        agent["outputs"].append({"kind": "info", "text": "请回复 approve（批准执行）或 reject（拒绝）；回复 leave 结束排查。"})
        agent["status"] = "waiting"
        return agent
    began = time.perf_counter()
    pending = agent["pending"].pop(0)
    call = ModelToolCall(pending["id"], pending["tool"], pending["args"])
    decision = "approve" if word == "approve" else "reject"
    ctx.tools.record_approval(session=session, user=user, tool=pending["tool"], args=pending["args"],
                              decision=decision, runbook=audit_label(agent))
    if decision == "approve":
        result = ctx.tools.invoke(pending["tool"], pending["args"], session, user, approved=True,
                                  runbook=audit_label(agent))
        _answer(ctx, agent, _record(agent, call, pending["args"], result.status, _summary(result), result.to_json(),
                                    approved=True))
    else:
        _answer(ctx, agent, _record(agent, call, pending["args"], "rejected", "坐席拒绝执行，未做任何改动"))
    agent["seconds"] += time.perf_counter() - began
    agent["status"] = "waiting" if agent["pending"] else "model"
    return agent
