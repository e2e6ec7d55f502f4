"""Driving a runbook through the engine with scripted replies (shared by the flow tests)."""

from __future__ import annotations

from tools.runbooks import RunbookEngine, RunbookOutput, RunbookState


def drive(engine: RunbookEngine, state: RunbookState, replies: list[str]) -> tuple[RunbookState, list[RunbookOutput]]:
    """Advance once without a reply, then once per scripted reply; every reply must be awaited."""
    state, outputs = engine.advance(state, None)
    for reply in replies:
        assert state.waiting is not None, f"flow ended before reply {reply!r}: {[o.text for o in outputs][-3:]}"
        state, more = engine.advance(state, reply)
        outputs += more
    return state, outputs


def kinds(outputs: list[RunbookOutput]) -> list[str]:
    return [o.kind for o in outputs]


def tool_calls(registry, session: str) -> list[dict]:
    return [r for r in reversed(registry.audit.records(session=session)) if r["event"] == "call"]
