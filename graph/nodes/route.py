"""route: per standalone sub-question, knowledge / runbook / general / refuse, plus the adapter.

Deterministic strategy: general-task patterns (翻译、写一段…) -> general; a matching
runbook with troubleshooting intent or a bare symptom -> runbook (one per turn); an
off-domain sub-question of a multi-question message -> refuse; else knowledge. Model
strategy: the `route` prompt's KNOWLEDGE/GENERAL/REFUSE when parseable (a runbook match
still wins). A runbook starts for a symptom ("磁盘满了 No space left on device") or an
explicit request ("帮我排查…"); a question ("…怎么办？") gets a knowledge answer that
offers the matching runbook. The adapter comes from the model layer's AdapterRouter (base for general).
"""

from __future__ import annotations

import re

from langgraph.runtime import Runtime

from graph.context import GraphContext
from graph.model_calls import ask_model
from graph.domain_check import judged
from graph.questions import ASKING
from graph.schema import GuardVerdict, Route, RouteDecision
from graph.state import ConversationState
from models.llm.base import AdapterChoice

_GENERAL = re.compile(
    r"(翻译|译成|translate|润色|改写一下|写一(篇|段|封|首|个)(?!.*(安全组|配置|规则))|帮我写|总结一下|概括一下|"
    r"用英文|用中文|解释一下.{0,8}(概念|原理)|什么是(tcp|http|dns|raid|cap)|讲个笑话)",
    re.IGNORECASE,
)
_RUNBOOK_INTENT = re.compile(r"(帮我|带我|一步步|逐步|诊断|排查一下|检查一下|查一下|测一下|看看|排障)")
# A question asks for knowledge; a bare symptom ("磁盘满了 No space left on device") asks for help.
_QUESTION = re.compile(
    ASKING.pattern + r"|呢|区别|^\s*(what|how|why|which|where|when|who|is|are|can|could|does|do|should)\b",
    re.IGNORECASE,
)
_MODEL_ROUTES: dict[str, Route] = {"KNOWLEDGE": "knowledge", "GENERAL": "general", "REFUSE": "refuse"}


def deterministic_route(question: str) -> Route:
    return "general" if _GENERAL.search(question) else "knowledge"


def _runbook_for(ctx: GraphContext, question: str, asked: bool = False) -> tuple[str, float] | None:
    if ctx.runbooks is None:
        return None
    found = ctx.runbooks.match(question)
    if not found:
        return None
    runbook_id, score = found
    if _RUNBOOK_INTENT.search(question) or not (asked or _QUESTION.search(question)):
        return runbook_id, float(score)
    return None


def runbook_hint(ctx: GraphContext, question: str) -> str | None:
    """A runbook that matches a question answered from knowledge (offered, not started)."""
    found = ctx.runbooks.match(question) if ctx.runbooks is not None else None
    return found[0] if found else None


def _adapter(ctx: GraphContext, question: str, route: str, kb: str | None) -> AdapterChoice:
    if ctx.router is None:
        return AdapterChoice(reason="no adapter router configured")
    return ctx.router.choose(question, kb if route != "general" else None, route in ("knowledge", "runbook"))


def route_one(ctx: GraphContext, question: str, kb: str | None, check_domain: bool, runbook_free: bool,
              asked: bool = False, judged_parts: dict[str, GuardVerdict] | None = None) -> RouteDecision:
    """The routing decision for one standalone sub-question (`judged_parts`: verdicts the guard computed)."""
    decision: RouteDecision = {"route": deterministic_route(question), "reason": "pattern", "runbook": None}
    out = ask_model(ctx, "route", max_tokens=12, question=question)
    model_route = _MODEL_ROUTES.get((out or "").strip().upper().split(" ")[0].strip("。.")) if out else None
    if model_route:
        decision.update(route=model_route, reason="model")
    if decision["route"] != "general" and check_domain:
        verdict = judged(ctx, question, kb, judged_parts)
        decision["domain_score"] = verdict["score"]
        if verdict["kind"] == "refuse":
            decision.update(route="refuse", reason="off-domain sub-question")
    if decision["route"] == "knowledge" and runbook_free:
        found = _runbook_for(ctx, question, asked)
        if found:
            decision.update(route="runbook", runbook=found[0], reason=f"runbook match {found[1]:.2f}")
        else:
            decision["runbook_hint"] = runbook_hint(ctx, question)
    adapter = _adapter(ctx, question, decision["route"], kb)
    decision["adapter"] = adapter.name or ("+".join(k for k, w in adapter.weights.items() if w) or None)
    decision["adapter_reason"] = adapter.reason
    decision["adapter_choice"] = {"name": adapter.name, "weights": dict(adapter.weights), "reason": adapter.reason}
    return decision


def route(state: ConversationState, runtime: Runtime[GraphContext]) -> dict:
    ctx = runtime.context
    kb = ctx.kb_name(state.get("kb"))
    questions = state.get("standalone") or []
    routes: list[RouteDecision] = []
    runbook_free = not state.get("runbook")
    # split drops the question mark; a one-question message that had one was asked, not reported
    asked = len(questions) == 1 and bool(re.search(r"[？?]\s*$", state.get("message", "")))
    parts = (state.get("guard") or {}).get("parts") or {}
    for q in questions:
        decision = route_one(ctx, q, kb, check_domain=len(questions) > 1, runbook_free=runbook_free, asked=asked,
                             judged_parts=parts)
        if decision["route"] == "runbook":
            runbook_free = False
        routes.append(decision)
    return {"routes": routes}
