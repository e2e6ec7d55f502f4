"""Copilot: the graph as a service — ask, stream, resume, analyze, history, sessions, status.

The UI and the CLI use only this class (docs/contracts.md "Conversation graph"). Build it
with `app.wiring.build_copilot(settings)`; tests build it from a GraphContext with fakes.
"""

from __future__ import annotations

import time
from typing import Any, Iterator

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command

from graph.builder import build_analysis_graph, build_graph
from graph.context import GraphContext
from graph.errors import GraphError
from graph.prompts import replies
from graph.result import TurnResult
from graph.sessions import SessionIndex, thread_id


class Copilot:
    """One conversation graph with its dependencies and conversation store."""

    def __init__(self, context: GraphContext, checkpointer: Any = None, sessions: SessionIndex | None = None,
                 info: dict | None = None) -> None:
        self.context = context
        self.graph = build_graph(checkpointer if checkpointer is not None else InMemorySaver())
        self.analysis = build_analysis_graph()
        self.session_index = sessions or SessionIndex()
        self.info = dict(info or {})

    # -- turns ----------------------------------------------------------------------------

    def _config(self, session_id: str, user: str) -> dict:
        return {"configurable": {"thread_id": thread_id(user, session_id)},
                "recursion_limit": self.context.settings.recursion_limit}

    def _check(self, message: str) -> str:
        text = (message or "").strip()
        if not text:
            raise GraphError(replies()["empty"].strip())
        limit = self.context.settings.max_message_chars
        if len(text) > limit:
            raise GraphError(replies()["too_long"].strip().format(length=len(text), limit=limit))
        return text

    def _pending(self, config: dict) -> bool:
        return bool(self.graph.get_state(config).interrupts)

    def _input(self, message: str, session_id: str, user: str, kb: str | None, config: dict) -> Any:
        """A new turn, or the reply to a runbook waiting in this session."""
        if self._pending(config):
            return Command(resume=message)
        return {"message": message, "kb": kb, "user": user, "session": session_id}

    def _result(self, config: dict, started: float) -> TurnResult:
        values = self.graph.get_state(config).values
        result = TurnResult.from_json(values["result"])
        result.trace["total_ms"] = round((time.perf_counter() - started) * 1000, 2)
        return result

    def ask(self, message: str, session_id: str, user: str = "local", kb: str | None = None) -> TurnResult:
        """One full turn; while a runbook waits in this session, the message is its reply."""
        started = time.perf_counter()
        text = self._check(message)
        config = self._config(session_id, user)
        self.session_index.touch(user, session_id, text)
        self.graph.invoke(self._input(text, session_id, user, kb, config), config, context=self.context)
        return self._result(config, started)

    def stream(self, message: str, session_id: str, user: str = "local", kb: str | None = None) -> Iterator[dict]:
        """Progress and token events while the turn runs, then `{"type":"final","result":{...}}`."""
        started = time.perf_counter()
        text = self._check(message)
        config = self._config(session_id, user)
        self.session_index.touch(user, session_id, text)
        payload = self._input(text, session_id, user, kb, config)
        for event in self.graph.stream(payload, config, context=self.context, stream_mode="custom",
                                       subgraphs=True):
            _, data = event if isinstance(event, tuple) else (None, event)
            if isinstance(data, dict) and data.get("type") in ("progress", "token"):
                yield data
        yield {"type": "final", "result": self._result(config, started).to_json()}

    def resume(self, session_id: str, reply: str, user: str = "local") -> TurnResult:
        """Answer the waiting runbook: a reply, or approve / reject / skip / leave."""
        started = time.perf_counter()
        config = self._config(session_id, user)
        if not self._pending(config):
            raise GraphError("当前会话没有等待回复的排障流程。")
        self.session_index.touch(user, session_id, reply)
        self.graph.invoke(Command(resume=(reply or "").strip()), config, context=self.context)
        return self._result(config, started)

    # -- understanding only ---------------------------------------------------------------

    def analyze(self, message: str, history: list[dict] | None = None, kb: str | None = None) -> dict:
        """Guard, split, rewrite and route; the `analyze --json` contract."""
        text = self._check(message)
        clean = [{"role": m["role"], "content": m["content"]} for m in history or []
                 if isinstance(m, dict) and m.get("role") in ("user", "assistant") and "content" in m]
        values = self.analysis.invoke({"message": text, "kb": kb, "messages": clean},
                                      {"recursion_limit": self.context.settings.recursion_limit},
                                      context=self.context)
        guard = values.get("guard") or {}
        routes = values.get("routes") or []
        return {
            "in_domain": bool(guard.get("in_domain")),
            "domain_score": guard.get("score", 0.0),
            "sub_questions": values.get("sub_questions") or [],
            "standalone": values.get("standalone") or [],
            "routes": [r["route"] for r in routes],
            "guard": guard.get("kind"),
            "adapters": [r.get("adapter") for r in routes],
            "runbooks": [r.get("runbook") for r in routes],
        }

    # -- conversations and status ---------------------------------------------------------

    def history(self, session_id: str, user: str = "local") -> list[dict]:
        values = self.graph.get_state(self._config(session_id, user)).values
        return [{"role": m["role"], "content": m["content"]} for m in values.get("messages") or []]

    def sessions(self, user: str) -> list[dict]:
        return self.session_index.list(user)

    def forget(self, session_id: str, user: str = "local") -> None:
        """Delete a conversation for good: its checkpoints and its entry in the session index."""
        self.graph.checkpointer.delete_thread(thread_id(user, session_id))
        self.session_index.remove(user, session_id)

    def waiting(self, session_id: str, user: str = "local") -> dict | None:
        """The runbook question this session waits on (None when none)."""
        state = self.graph.get_state(self._config(session_id, user))
        return dict(state.interrupts[0].value) if state.interrupts else None

    def status(self) -> dict:
        ctx = self.context
        kbs = ctx.knowledge.list_kbs()
        describe = ctx.llm.describe()
        return {
            "llm": describe,
            "adapters": describe.get("adapters", []),
            "embedder": getattr(ctx.embedder, "name", None),
            "kbs": kbs,
            "default_kb": ctx.default_kb,
            **self.info,
        }
