"""Copilot: the graph as a service — ask, stream, resume, analyze, history, sessions, status.

The UI and the CLI use only this class (docs/contracts.md "Conversation graph"). Build it
with `app.wiring.build_copilot(settings)`; tests build it from a GraphContext with fakes.
"""

from __future__ import annotations

import time
from typing import Any, Iterator, Mapping, Sequence

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command

from graph.builder import build_analysis_graph, build_graph
from graph.context import GraphContext
from graph.errors import GraphError
from graph.prompts import replies, too_long
from graph.result import TurnResult
from graph.sessions import SessionIndex, thread_id
from graph.turns import turn_decision
from graph.waiting import classify
from tools.runbooks.replies import command_of



class Copilot:
    """One conversation graph with its dependencies and conversation store."""

    def __init__(self, context: GraphContext, checkpointer: Any = None, sessions: SessionIndex | Any = None,
                 info: Mapping[str, Any] | None = None, stores: Any = None) -> None:
        self.context = context
        self.graph = build_graph(checkpointer if checkpointer is not None else InMemorySaver())
        self.analysis = build_analysis_graph()
        self.session_index = sessions or SessionIndex()
        """graph.sessions.SessionIndex, or graph.sessions_pg.PgSessionIndex shared by replicas."""
        self.info = dict(info or {})
        self.stores = stores
        """What the app opened for this copilot (app.storage.build.Stores: conversation and feedback
        stores, the database pool); None when a test builds it from fakes."""

    # -- turns ----------------------------------------------------------------------------

    def _config(self, session_id: str, user: str) -> dict:
        settings = self.context.settings
        # an investigation takes two super-steps per model turn (model, tools) plus a few around them
        limit = max(settings.recursion_limit, 2 * settings.investigate.max_steps + 24)
        return {"configurable": {"thread_id": thread_id(user, session_id)}, "recursion_limit": limit}

    def _check(self, message: str) -> str:
        text = (message or "").strip()
        if not text:
            raise GraphError(replies()["empty"].strip())
        return self._check_length(text)

    def _check_length(self, text: str) -> str:
        """The message limit, before any pattern sees the text (every entry point, /resume included)."""
        limit = self.context.settings.max_message_chars
        if len(text) > limit:
            raise GraphError(too_long(text, limit))
        return text

    def _pending(self, config: Mapping[str, Any]) -> bool:
        return bool(self.graph.get_state(config).interrupts)

    def _input(self, message: str, session_id: str, user: str, kb: str | list[str] | None,
               config: Mapping[str, Any]) -> Any:
        """A new turn, or the reply to a runbook waiting in this session (graph.waiting decides:
        a slot value or a command word resumes the runbook; a question is a new turn while it waits)."""
        state = self.graph.get_state(config)
        if state.interrupts:
            waiting = dict(state.interrupts[0].value)
            verdict = classify(message, waiting, self._runbook(waiting.get("runbook")))
            if verdict.decision in ("runbook_reply", "control"):
                return Command(resume={"reply": verdict.reply, "decision": verdict.decision, "message": message})
        return {"message": message, "kb": kb, "user": user, "session": session_id}

    def _runbook(self, runbook_id: Any) -> Any:
        if self.context.runbooks is None or not runbook_id:
            return None
        try:
            return self.context.runbooks.get(str(runbook_id))
        except Exception:  # a runbook removed since the session paused: classify without its slots
            return None

    def _fallbacks(self) -> int:
        return self.context.knowledge.vector_fallbacks() if self.context.knowledge is not None else 0

    def _result(self, config: Mapping[str, Any], started: float, fallbacks: int) -> TurnResult:
        values = self.graph.get_state(config).values
        result = TurnResult.from_json(values["result"])
        result.trace["total_ms"] = round((time.perf_counter() - started) * 1000, 2)
        notice = self.context.knowledge.vector_notice(fallbacks) if self.context.knowledge is not None else None
        if notice:  # the turn's searches ranked by keywords only: say so (the stored history stays as answered)
            result.notices.append(notice)
            result.answer = f"> ⚠️ {notice}\n\n{result.answer}"
            result.trace["vector_search"] = "unavailable"
        return result

    def ask(self, message: str, session_id: str, user: str = "local", kb: str | list[str] | None = None) -> TurnResult:
        """One full turn; while a runbook waits in this session, the message is its reply."""
        started, fallbacks = time.perf_counter(), self._fallbacks()
        text = self._check(message)
        config = self._config(session_id, user)
        self.session_index.touch(user, session_id, text)
        self.graph.invoke(self._input(text, session_id, user, kb, config), config, context=self.context)
        return self._result(config, started, fallbacks)

    def stream(self, message: str, session_id: str, user: str = "local", kb: str | list[str] | None = None) -> Iterator[dict]:
        """Progress and token events while the turn runs, then `{"type":"final","result":{...}}`."""
        started, fallbacks = time.perf_counter(), self._fallbacks()
        text = self._check(message)
        config = self._config(session_id, user)
        self.session_index.touch(user, session_id, text)
        payload = self._input(text, session_id, user, kb, config)
        for event in self.graph.stream(payload, config, context=self.context, stream_mode="custom",
                                       subgraphs=True):
            _, data = event if isinstance(event, tuple) else (None, event)
            if isinstance(data, dict) and data.get("type") in ("progress", "token"):
                yield data
        yield {"type": "final", "result": self._result(config, started, fallbacks).to_json()}

    def resume(self, session_id: str, reply: str, user: str = "local") -> TurnResult:
        """Answer the waiting runbook (a reply, or approve / reject / skip / leave) or the investigation's
        approval request (approve / reject / leave)."""
        started, fallbacks = time.perf_counter(), self._fallbacks()
        reply = self._check_length((reply or "").strip())
        config = self._config(session_id, user)
        if not self._pending(config):
            raise GraphError("当前会话没有等待回复的排障流程。")
        self.session_index.touch(user, session_id, reply)
        text = reply  # stripped and length-checked above
        waiting = dict(self.graph.get_state(config).interrupts[0].value)
        command = command_of(text, waiting.get("kind"))
        self.graph.invoke(Command(resume={"reply": command or text, "decision": "control" if command else
                                          "runbook_reply", "message": text}), config, context=self.context)
        return self._result(config, started, fallbacks)

    def seed_history(self, session_id: str, history: Sequence[Mapping[str, Any]], user: str = "local") -> None:
        """Start a session from an earlier conversation (`{"role","content"}` messages; evaluation, imports)."""
        clean = [{"role": m["role"], "content": str(m["content"])} for m in history or []
                 if isinstance(m, dict) and m.get("role") in ("user", "assistant") and m.get("content")]
        if not clean:
            return
        config = self._config(session_id, user)
        self.session_index.touch(user, session_id, next((m["content"] for m in clean if m["role"] == "user"), ""))
        self.graph.update_state(config, {"messages": clean}, as_node="compose")

    # -- understanding only ---------------------------------------------------------------

    def analyze(self, message: str, history: Sequence[Mapping[str, Any]] | None = None,
                kb: str | list[str] | None = None, waiting: Mapping[str, Any] | None = None) -> dict:
        """Guard, split, rewrite and route; the `analyze --json` contract (plus `decision`, `decisions`).

        A runbook waits when `waiting` (Copilot.waiting's value) is given, or when the history's last
        assistant message carries one under "waiting" (as `history()` writes it)."""
        text = self._check(message)
        keep = ("role", "content", "questions", "decision", "focus")
        clean = [{k: m[k] for k in keep if k in m} for m in history or []
                 if isinstance(m, dict) and m.get("role") in ("user", "assistant") and "content" in m]
        longest = 4 * self.context.settings.max_message_chars  # answers may be longer than questions
        for number, m in enumerate(clean, 1):
            if len(str(m["content"])) > longest:
                raise GraphError(f"历史记录第 {number} 条消息太长（{len(str(m['content']))} 字，最多 {longest} 字）。")
        waiting = waiting or next((m.get("waiting") for m in reversed(history or [])
                                   if isinstance(m, dict) and m.get("role") == "assistant"), None)
        if waiting:
            verdict = classify(text, dict(waiting), self._runbook(waiting.get("runbook")))
            if verdict.decision in ("runbook_reply", "control"):
                return {"in_domain": True, "domain_score": 1.0, "sub_questions": [], "standalone": [], "routes": [],
                        "guard": "resume", "adapters": [], "runbooks": [waiting.get("runbook")],
                        "decision": verdict.decision, "decisions": [], "reply": verdict.reply}
        values = self.analysis.invoke({"message": text, "kb": kb, "messages": clean,
                                       "runbook": {"runbook_id": waiting.get("runbook"), "waiting": waiting}
                                       if waiting else None},
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
            "decision": turn_decision(list(values.get("decisions") or []), [r["route"] for r in routes],
                                      answered=guard.get("kind") == "answer"),
            "decisions": list(values.get("decisions") or []),
        }

    # -- conversations and status ---------------------------------------------------------

    def history(self, session_id: str, user: str = "local") -> list[dict]:
        """`{"role","content"}` messages; the last one also has "waiting" while a runbook waits."""
        state = self.graph.get_state(self._config(session_id, user))
        messages = [{"role": m["role"], "content": m["content"]} for m in state.values.get("messages") or []]
        if state.interrupts and messages and messages[-1]["role"] == "assistant":
            messages[-1]["waiting"] = dict(state.interrupts[0].value)
        return messages

    def sessions(self, user: str) -> list[dict]:
        return self.session_index.list(user)

    def forget(self, session_id: str, user: str = "local") -> None:
        """Delete a conversation for good: its checkpoints and its entry in the session index."""
        self.graph.checkpointer.delete_thread(thread_id(user, session_id))
        self.session_index.remove(user, session_id)

    def waiting(self, session_id: str, user: str = "local") -> dict | None:
        """The runbook question or the investigation's approval request this session waits on (None when none)."""
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
