"""Check one turn's TurnResult JSON against the turn's expectations.

Pure functions over JSON, so the same checks apply to an in-process result and to one
fetched from a server. Every check reports the actual value, passed or not.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from fnmatch import fnmatchcase
from typing import Any

from app.evaluation.grounding import grounded_share
from app.evaluation.scenario import Expect, ToolExpectation

ACTUAL_CHARS = 160

@dataclass
class Check:
    """One expectation's outcome."""

    name: str
    passed: bool
    expected: Any
    actual: Any

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

def short(value: Any, limit: int = ACTUAL_CHARS) -> Any:
    """A value small enough for a report line (long text cut with an ellipsis)."""
    if isinstance(value, str):
        flat = " ".join(value.split())
        return flat if len(flat) <= limit else flat[:limit] + "…"
    if isinstance(value, (list, dict)):
        text = json.dumps(value, ensure_ascii=False)
        return value if len(text) <= limit else text[:limit] + "…"
    return value

def _has(text: str, term: str) -> bool:
    return term.lower() in (text or "").lower()

def runbook_of(result: dict) -> dict:
    return result.get("runbook") or {}

RAN = ("ok", "error", "refused", "timeout")
"""Results of calls that went through the tool registry (the rest were never run)."""


def model_calls(result: dict) -> list[dict]:
    """`{"tool","args","status","approved"}` of every call the model proposed this turn."""
    return [{"tool": c.get("tool"), "args": c.get("args") or {}, "status": c.get("status"),
             "approved": bool(c.get("approved"))} for c in result.get("tool_calls") or []]


def tool_calls(result: dict) -> list[dict]:
    """`{"tool","args","status"}` of every tool the runbook or the model ran in this turn."""
    calls = [c for c in model_calls(result) if c["status"] in RAN]
    for output in runbook_of(result).get("outputs") or []:
        tool_result = output.get("tool_result") or {}
        invocation = tool_result.get("invocation") or {}
        if output.get("kind") == "tool" and invocation.get("tool"):
            calls.append({"tool": invocation["tool"], "args": invocation.get("args") or {},
                          "status": tool_result.get("status")})
    return calls

def _arg_matches(expected: Any, actual: Any) -> bool:
    if isinstance(expected, str) and any(ch in expected for ch in "*?["):
        return fnmatchcase(str(actual), expected)
    return str(expected) == str(actual) if not isinstance(expected, (list, dict)) else expected == actual

def _tool_matches(want: ToolExpectation, call: dict) -> bool:
    return (call["tool"] == want.name and (want.status is None or call.get("status") == want.status)
            and (want.approved is None or bool(call.get("approved")) == want.approved)
            and all(key in call["args"] and _arg_matches(value, call["args"][key]) for key, value in want.args.items()))

def _sources(result: dict) -> list[str]:
    return [str(c.get("source")) for c in result.get("citations") or []]

def _list_checks(name: str, terms: list[str], actual_text: str, shown: Any, want: bool) -> list[Check]:
    return [Check(f"{name} {term!r}", _has(actual_text, term) == want, term, short(shown)) for term in terms]

def check_turn(expect: Expect, result: dict) -> list[Check]:
    """Every expectation given in `expect`, checked against `result` (TurnResult JSON)."""
    checks: list[Check] = []
    add = checks.append
    rb = runbook_of(result)
    if expect.refused is not None:
        add(Check("refused", bool(result.get("refused")) == expect.refused, expect.refused, bool(result.get("refused"))))
    if expect.sub_questions is not None:
        subs = result.get("sub_questions") or []
        add(Check("sub_questions", len(subs) == expect.sub_questions, expect.sub_questions, f"{len(subs)} {short(subs)}"))
    standalone = result.get("standalone") or []
    joined = "\n".join(standalone)
    checks += _list_checks("standalone_contains", expect.standalone_contains, joined, standalone, True)
    checks += _list_checks("standalone_not_contains", expect.standalone_not_contains, joined, standalone, False)
    if expect.route is not None:
        add(Check("route", result.get("route") == expect.route, expect.route, result.get("route")))
    if expect.decision is not None:
        add(Check("decision", result.get("decision") == expect.decision, expect.decision, result.get("decision")))
    if expect.routes is not None:
        actual = [s.get("route") for s in result.get("sections") or []]
        add(Check("routes", actual == list(expect.routes), list(expect.routes), actual))
    for field, key in (("runbook", "id"), ("runbook_step", "step"), ("runbook_status", "status")):
        want = getattr(expect, field)
        if want is not None:
            add(Check(field, rb.get(key) == want, want, rb.get(key)))
    investigation = result.get("investigation") or {}
    if expect.waiting is not None:
        kind = (rb.get("waiting") or investigation.get("waiting") or {}).get("kind") or "none"
        add(Check("waiting", kind == expect.waiting, expect.waiting, kind))
    for field, key in (("investigation_status", "status"), ("stop_reason", "stop_reason")):
        want = getattr(expect, field)
        if want is not None:
            add(Check(field, investigation.get(key) == want, want, investigation.get(key)))
    proposed = model_calls(result)
    for want in expect.calls:
        add(Check(f"calls {want.name}", any(_tool_matches(want, c) for c in proposed), want.model_dump(),
                  short([{k: c[k] for k in ("tool", "args", "status")} for c in proposed])))
    calls = tool_calls(result)
    shown_calls = [{"tool": c["tool"], "args": c["args"]} for c in calls]
    for want in expect.tools_called:
        add(Check(f"tools_called {want.name}", any(_tool_matches(want, c) for c in calls),
                  want.model_dump(), short(shown_calls)))
    for name in expect.tools_not_called:
        add(Check(f"tools_not_called {name}", all(c["tool"] != name for c in calls), name,
                  short([c["tool"] for c in calls])))
    sources = _sources(result)
    for pattern in expect.cites:
        add(Check(f"cites {pattern}", any(fnmatchcase(s, pattern) for s in sources), pattern, short(sources)))
    if expect.cites_only:
        stray = [s for s in sources if not any(fnmatchcase(s, p) for p in expect.cites_only)]
        add(Check("cites_only", not stray, expect.cites_only, short(stray or sources)))
    if expect.citations is not None:
        add(Check("citations", len(sources) == expect.citations, expect.citations, f"{len(sources)} {short(sources)}"))
    answer = result.get("answer") or ""
    checks += _list_checks("answer_contains", expect.answer_contains, answer, answer, True)
    if expect.answer_contains_any:
        add(Check("answer_contains_any", any(_has(answer, t) for t in expect.answer_contains_any),
                  expect.answer_contains_any, short(answer)))
    checks += _list_checks("answer_not_contains", expect.answer_not_contains, answer, answer, False)
    if expect.grounded is not None:
        add(Check("grounded", bool(result.get("grounded")) == expect.grounded, expect.grounded, bool(result.get("grounded"))))
    if expect.grounded_min is not None:
        share = grounded_share(result)
        add(Check("grounded_min", share is not None and share >= expect.grounded_min, expect.grounded_min,
                  None if share is None else round(share, 3)))
    return checks

