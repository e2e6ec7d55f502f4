"""route: per standalone sub-question, knowledge / runbook / general / refuse, plus the adapter.

Deterministic strategy: general-task patterns (翻译、写一段…) -> general; an off-domain
sub-question of a multi-question message that names a topic the base never mentions and none
of its terms -> refuse (the message as a whole passed the guard: "eip没绑东西也收钱" and
"续完还要重启啥" stay the base's); else knowledge. Model strategy: the
`route` prompt's KNOWLEDGE/GENERAL/REFUSE when parseable. Knowledge first, then guided
troubleshooting: a matching runbook (scoped to the base's product) starts at once (one per
turn) only when asked for ("帮我排查…") or when the message gives its target (a host / URL —
graph/targets.py; a pasted error line alone is a question); otherwise the question gets the cited knowledge
answer, which offers the runbook. A sub-question rewrite marked `clarify` goes to the
clarify node. With a model that calls tools (`ctx.investigates`), what would start a runbook —
or an explicit request to check something ("帮我排查一下…") — goes to the investigation
instead, the runbook becoming its plan (one runbook or investigation per turn). The adapter
comes from the model layer's AdapterRouter (base for general; `choose_agent` for investigations).
"""

from __future__ import annotations

import re

from langgraph.runtime import Runtime

from graph.bases import KBScope, primary
from graph.context import GraphContext
from graph.model_calls import ask_model
from graph.domain_check import clearly_off_domain, judged
from graph.questions import ASKING
from graph.question_type import question_type
from graph.schema import GuardVerdict, Route, RouteDecision
from graph.targets import ASKING_EN, ready_to_start
from tools.runbooks.matching import names_symptom
from graph.state import ConversationState
from models.llm.base import AdapterChoice

_GENERAL = re.compile(
    r"(翻译|译成|translate|润色|改写一下|写一(篇|段|封|首|个)(?!.*(安全组|配置|规则))|帮我写|总结一下|概括一下|"
    r"用英文|用中文|解释一下.{0,8}(概念|原理)|什么是(tcp|http|dns|raid|cap)|讲个笑话)",
    re.IGNORECASE,
)
_RUNBOOK_INTENT = re.compile(r"(帮我|帮忙|带我|一步步|逐步|诊断|排查一下|排查下|检查一下|查一下|查下|查查|测一下|看看|排障|"
                             r"\bhelp me (?:troubleshoot|diagnose|check)|\btroubleshoot (?:it|this|that)\b|"
                             r"\bwalk me through\b|\bstep by step\b)", re.IGNORECASE)
# A question asks for knowledge; a report of a problem with a host in it asks for a check.
_QUESTION = re.compile(ASKING.pattern + r"|呢|区别|啥|咋|[？?]\s*$", re.IGNORECASE)
_MODEL_ROUTES: dict[str, Route] = {"KNOWLEDGE": "knowledge", "GENERAL": "general", "REFUSE": "refuse"}
_INVESTIGATE = re.compile(r"((帮我|帮忙|替我|请)(排查|诊断|检查|查|测|分析)|排查一下|诊断一下|检查一下|测一下)")


def deterministic_route(question: str) -> Route:
    return "general" if _GENERAL.search(question) else "knowledge"


def _runbook_for(ctx: GraphContext, question: str, kb: KBScope) -> tuple[str, float] | None:
    """The runbook to start now: asked for, or its target is in the message."""
    if ctx.runbooks is None:
        return None
    found = ctx.runbooks.match(question, kb)
    if not found:
        return None
    runbook_id, score = found
    asked = bool(_QUESTION.search(question) or ASKING_EN.search(question))
    if _RUNBOOK_INTENT.search(question) or ready_to_start(ctx.runbooks.get(runbook_id), question, asked):
        return runbook_id, float(score)
    return None


# A runbook is a troubleshooting flow: a question that asks for a value, a definition or a comparison
# ("SSH 默认端口是几", "源站地址是指啥", "VNC 和 SSH 有啥区别") states no problem to troubleshoot.
_NOT_A_PROBLEM = ("value", "define", "compare")


def runbook_hint(ctx: GraphContext, question: str, kb: KBScope) -> str | None:
    """A runbook in scope for the base that matches a question answered from knowledge (offered, not started):
    the question must state its problem, not only share a product or error word with it."""
    if question_type(question) in _NOT_A_PROBLEM:
        return None
    found = ctx.runbooks.match(question, kb) if ctx.runbooks is not None else None
    if not found or not names_symptom(question, ctx.runbooks.get(found[0])):  # type: ignore[union-attr]
        return None
    return found[0]


def _adapter(ctx: GraphContext, question: str, route: str, kb: KBScope) -> AdapterChoice:
    if ctx.router is None:
        return AdapterChoice(reason="no adapter router configured")
    if route == "investigate":
        return ctx.router.choose_agent(question, primary(kb))
    return ctx.router.choose(question, primary(kb) if route != "general" else None, route in ("knowledge", "runbook"))


def _investigate(decision: RouteDecision, question: str) -> None:
    """A runbook match, or an explicit request to check something, becomes a model-driven investigation."""
    if decision["route"] == "runbook":
        decision["route"] = "investigate"
        decision["reason"] = f"{decision['reason']}; the model investigates with tools, the runbook is its plan"
    elif decision["route"] == "knowledge" and _INVESTIGATE.search(question):
        decision["route"] = "investigate"
        decision["reason"] = "request to check: the model investigates with tools"
        decision["runbook"] = decision.get("runbook_hint")


def route_one(ctx: GraphContext, question: str, kb: KBScope, check_domain: bool, runbook_free: bool,
              judged_parts: dict[str, GuardVerdict] | None = None) -> RouteDecision:
    """The routing decision for one standalone sub-question (`judged_parts`: verdicts the guard computed)."""
    decision: RouteDecision = {"route": deterministic_route(question), "reason": "pattern", "runbook": None}
    out = ask_model(ctx, "route", max_tokens=12, question=question)
    model_route = _MODEL_ROUTES.get((out or "").strip().upper().split(" ")[0].strip("。.")) if out else None
    if model_route:
        decision["route"], decision["reason"] = model_route, "model"
    if decision["route"] != "general" and check_domain:
        verdict = judged(ctx, question, kb, judged_parts)
        decision["domain_score"] = verdict["score"]
        if verdict["kind"] == "refuse" and clearly_off_domain(ctx, question, kb):
            decision["route"], decision["reason"] = "refuse", "off-domain sub-question"
    if decision["route"] == "knowledge" and runbook_free:
        found = _runbook_for(ctx, question, kb)
        if found:
            decision["route"], decision["runbook"] = "runbook", found[0]
            decision["reason"] = f"runbook match {found[1]:.2f}"
        else:
            decision["runbook_hint"] = runbook_hint(ctx, question, kb)
        if ctx.investigates:
            _investigate(decision, question)
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
    runbook_free = not state.get("runbook") and not state.get("investigation")
    parts = (state.get("guard") or {}).get("parts") or {}
    decisions = state.get("decisions") or []
    for i, q in enumerate(questions):
        if i < len(decisions) and decisions[i] == "clarify":  # nothing to resolve against: ask, don't guess
            routes.append({"route": "clarify", "reason": "points at something not named yet", "runbook": None,
                           "adapter": None})
            continue
        decision = route_one(ctx, q, kb, check_domain=len(questions) > 1, runbook_free=runbook_free,
                             judged_parts=parts)
        if decision["route"] in ("runbook", "investigate"):
            runbook_free = False
        routes.append(decision)
    return {"routes": routes}
