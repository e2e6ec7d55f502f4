"""The tool registry: names -> tools, and `invoke`, the one way a tool is ever run.

`invoke` validates arguments, applies the per-session rate limit, refuses
changes_something tools without approval (offering a dry-run description), admits the
call within the concurrency limits (tools.admission: total, per session, per target),
runs the tool under a deadline its sockets obey (tools.deadline), truncates its output
and records the call in the audit trail. `build_registry(settings.tools, data_dir,
knowledge=ks)` builds the `ToolDeps` and the shipped tools with them.
"""

from __future__ import annotations

import difflib
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from tools.admission import CallSlots
from tools.audit import AuditLog
from tools.base import Tool, ToolCall, ToolFailed, ToolRefused, ToolResult
from tools.config import ToolSettings
from tools.deadline import DeadlineExceeded
from tools.deps import KnowledgeSource, ToolDeps
from tools.errors import ToolsError
from tools.ratelimit import SessionRateLimit

log = logging.getLogger(__name__)


def truncate(value: Any, max_chars: int, max_items: int = 50) -> tuple[Any, bool]:
    """Shorten long strings and lists anywhere in a JSON-like value; report whether it did."""
    if isinstance(value, str):
        if len(value) > max_chars:
            return value[:max_chars] + f"…（已截断，共 {len(value)} 字符）", True
        return value, False
    if isinstance(value, dict):
        out, cut = {}, False
        for k, v in value.items():
            out[k], c = truncate(v, max_chars, max_items)
            cut = cut or c
        return out, cut
    if isinstance(value, (list, tuple)):
        items, cut = [], len(value) > max_items
        for v in list(value)[:max_items]:
            item, c = truncate(v, max_chars, max_items)
            items.append(item)
            cut = cut or c
        return items, cut
    return value, False


def describe_validation(exc: ValidationError) -> str:
    parts = [f"{'.'.join(str(p) for p in e['loc']) or '参数'}：{e['msg']}" for e in exc.errors()]
    return "参数无效：" + "；".join(parts)


class ToolRegistry:
    """Tools by name plus the policy, limits and audit every call goes through."""

    def __init__(self, settings: ToolSettings, audit: AuditLog) -> None:
        self.settings = settings
        self.audit = audit
        self.rate_limit = SessionRateLimit(settings.rate_limit_per_minute)
        self._tools: dict[str, Tool] = {}
        self.slots = CallSlots(settings.max_concurrent_calls, settings.per_session_concurrency,
                               settings.per_target_concurrency)
        self._pool = ThreadPoolExecutor(max_workers=settings.max_concurrent_calls, thread_name_prefix="tool")
        self._specs: list[dict[str, Any]] | None = None

    def register(self, tool: Tool) -> None:
        if tool.name in self._tools:
            raise ValueError(f"tool {tool.name!r} registered twice")
        self._tools[tool.name] = tool
        self._specs = None

    def names(self) -> list[str]:
        return sorted(self._tools)

    def get(self, name: str) -> Tool:
        try:
            return self._tools[name]
        except KeyError:
            close = difflib.get_close_matches(name, self._tools, n=1)
            hint = f"，是否想用 {close[0]}？" if close else f"。可用工具：{', '.join(self.names())}"
            raise ToolsError(f"未知工具 {name!r}{hint}") from None

    def specs(self) -> list[dict[str, Any]]:
        """Every tool's spec, by name; built once (JSON schemas take milliseconds), treat as read-only."""
        if self._specs is None:
            self._specs = [self._tools[n].spec() for n in self.names()]
        return list(self._specs)

    def invoke(self, name: str, args: dict[str, Any], session: str, user: str,
               approved: bool = False, dry_run: bool = False, runbook: str | None = None) -> ToolResult:
        """Run one tool call through every check; never raises for a failed call."""
        tool = self.get(name)
        start = time.monotonic()
        invocation: dict[str, Any] = {"tool": name, "args": dict(args)}
        try:
            parsed = tool.Args.model_validate(args)
            invocation["args"] = parsed.model_dump(mode="json")
            result = self._run(tool, parsed, ToolCall(session, user, approved, dry_run), invocation)
        except ValidationError as exc:
            result = ToolResult(status="error", error=describe_validation(exc), invocation=invocation)
        result.elapsed = round(time.monotonic() - start, 4)
        if self.settings.audit:
            self.audit.record("call", session=session, user=user, tool=name, args=result.invocation["args"],
                              status=result.status, summary=result.summary, elapsed=result.elapsed,
                              approved=approved, runbook=runbook)
        log.info("tool %s session=%s status=%s elapsed=%.3fs", name, session, result.status, result.elapsed)
        return result

    def _run(self, tool: Tool, args: Any, call: ToolCall, invocation: dict[str, Any]) -> ToolResult:
        if tool.risk == "changes_something" and (call.dry_run or not call.approved):
            effect = tool.describe_effect(args)
            if call.dry_run:
                blocked = tool.blocked(args)
                return ToolResult(status="ok", data={"dry_run": True, "would": effect, "runnable": blocked is None,
                                                     "blocked": blocked, "summary": f"演练：{effect}"},
                                  invocation=invocation)
            return ToolResult(status="refused", error=f"该操作会改变系统状态，需要坐席批准后才能执行：{effect}",
                              data={"would": effect}, invocation=invocation)
        if not self.rate_limit.acquire(call.session):
            return ToolResult(status="refused", invocation=invocation,
                              error=f"调用过于频繁：每个会话每分钟最多 {self.settings.rate_limit_per_minute} 次工具调用，请稍后再试")
        limit = self.settings.tool_timeouts.get(tool.name, self.settings.timeout_s)
        target = tool.target(args)
        refused = self.slots.take(call.session, target)
        if refused is not None:
            return ToolResult(status="refused", error=refused, invocation=invocation)
        call.deadline = time.monotonic() + limit
        try:
            future = self._pool.submit(tool.run, args, call)
        except RuntimeError:  # the registry is closing
            self.slots.give(call.session, target)
            raise
        future.add_done_callback(lambda _: self.slots.give(call.session, target))  # when the thread is free
        try:
            data = future.result(timeout=limit)  # the caller stops waiting; the sockets end the thread too
        except (FutureTimeout, DeadlineExceeded):
            return ToolResult(status="timeout", invocation=invocation, error=f"{tool.name} 超过 {limit:g} 秒未完成")
        except ToolRefused as exc:
            return ToolResult(status="refused", error=str(exc), invocation=invocation)
        except ToolFailed as exc:
            return ToolResult(status="error", error=str(exc), invocation=invocation)
        except Exception as exc:  # a tool bug must not take the conversation down
            log.exception("tool %s crashed", tool.name)
            return ToolResult(status="error", error=f"{tool.name} 内部错误：{type(exc).__name__}: {exc}",
                              invocation=invocation)
        data, cut = truncate(data, self.settings.max_output_chars)
        return ToolResult(status="ok", data=data, invocation=invocation, truncated=cut)

    def record_approval(self, *, session: str, user: str, tool: str, args: dict[str, Any],
                        decision: str, runbook: str | None = None) -> None:
        """An agent approved or rejected a changes_something call (decision: approve|reject)."""
        if self.settings.audit:
            self.audit.record("approval", session=session, user=user, tool=tool, args=args, status=decision,
                              summary=f"坐席{'批准' if decision == 'approve' else '拒绝'}执行 {tool}",
                              approved=decision == "approve", runbook=runbook)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
        self.audit.close()


def build_registry(settings: ToolSettings, data_dir: Path | None,
                   knowledge: KnowledgeSource | None = None) -> ToolRegistry:
    """The registry with every shipped tool; audit in data_dir/audit.sqlite (memory if data_dir is None)."""
    from tools.catalog import shipped_tools

    audit = AuditLog(Path(data_dir) / "audit.sqlite" if data_dir is not None and settings.audit else None)
    registry = ToolRegistry(settings, audit)
    for tool in shipped_tools(ToolDeps.for_settings(settings, knowledge)):
        registry.register(tool)
    return registry
