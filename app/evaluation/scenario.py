"""The conversation-script format: YAML scenarios validated into pydantic models.

A file holds one scenario (a mapping with `name`), several (`scenarios: [...]`) or a
list of scenarios. Each turn is a new user message (`user`), an answer to the runbook
waiting in the session (`reply`) or a runbook command (`action`: approve / reject /
skip / leave), with the expectations its result must meet. Any problem becomes one
EvalError naming the file and the field, e.g. `scenarios[2].turns[0].expect.route`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from app.evaluation.errors import EvalError

Route = Literal["knowledge", "runbook", "investigate", "general", "refuse", "clarify", "greet", "mixed"]
Decision = Literal["new_topic", "follow_up", "clarify", "runbook_start", "runbook_reply", "control", "step_question",
                   "new_question"]
RunbookStatus = Literal["running", "waiting", "left", "done", "escalated"]
NODES = ("guard", "split", "rewrite", "route", "retrieve", "select", "answer", "verify", "compose",
         "runbook", "general", "refuse", "clarify", "investigate")


class ToolExpectation(BaseModel):
    """A tool the runbook (or the model) called in this turn; `args` must be a subset of the actual arguments."""

    model_config = ConfigDict(extra="forbid")

    name: str
    """Registered tool name (e.g. tcp_check)."""
    args: dict[str, Any] = {}
    """Expected arguments; string values may be glob patterns (`*.example.com`)."""
    status: str | None = None
    """The call's result status: ok, error, refused, timeout; for the model's calls also invalid,
    repeated, skipped, rejected."""
    approved: bool | None = None
    """The call ran after the agent approved it."""


class Expect(BaseModel):
    """What one turn's result must show; every field left out is not checked."""

    model_config = ConfigDict(extra="forbid")

    refused: bool | None = None
    """The whole message was refused as outside the domain."""
    sub_questions: int | None = Field(default=None, ge=0)
    """Number of sub-questions the message was split into."""
    standalone_contains: list[str] = []
    """Terms every one of which appears in some standalone rewrite (case-insensitive)."""
    standalone_not_contains: list[str] = []
    """Terms no standalone rewrite may contain (topic switches)."""
    route: Route | None = None
    """The turn's route (several different section routes make `mixed`)."""
    decision: Decision | None = None
    """What the message was to the conversation (TurnResult.decision: follow_up, new_question, control…)."""
    routes: list[Route] | None = None
    """Route of each section, in order."""
    runbook: str | None = None
    """Id of the runbook started or in progress after the turn."""
    runbook_step: str | None = None
    """Step the runbook stands at (waits on) after the turn."""
    runbook_status: RunbookStatus | None = None
    """Status of the runbook after the turn."""
    waiting: Literal["ask", "approve", "none"] | None = None
    """What the runbook waits for after the turn (`none`: nothing)."""
    tools_called: list[ToolExpectation] = []
    """Tools the runbook called during the turn, with (a subset of) their arguments."""
    tools_not_called: list[str] = []
    """Tools that must not have been called during the turn (proposed and rejected or refused unrun counts as not called)."""
    calls: list[ToolExpectation] = []
    """Tool calls the model proposed this turn (any result, rejected and repeated ones included)."""
    investigation_status: Literal["waiting", "done", "stopped", "fallback"] | None = None
    """How the model-driven investigation stands after the turn."""
    stop_reason: str | None = None
    """Why the investigation stopped early (budget_steps, budget_tool_calls, repeated_call, malformed, ...)."""
    cites: list[str] = []
    """Source path globs; each must match at least one citation."""
    cites_only: list[str] = []
    """Source path globs every citation must match one of."""
    citations: int | None = Field(default=None, ge=0)
    """Exact number of citations (0: the reply cites nothing)."""
    answer_contains: list[str] = []
    """Texts the reply must contain (case-insensitive)."""
    answer_contains_any: list[str] = []
    """Texts of which the reply must contain at least one."""
    answer_not_contains: list[str] = []
    """Texts the reply must not contain."""
    grounded: bool | None = None
    """The copilot's own verdict: every knowledge answer supported by its citations."""
    grounded_min: float | None = Field(default=None, ge=0, le=1)
    """Share of knowledge-answer sentences supported by the cited passages (independent check)."""


class Turn(BaseModel):
    """One step of the conversation: exactly one of user / reply / action."""

    model_config = ConfigDict(extra="forbid")

    user: str | None = None
    """A message from the agent (a new question, or the reply to a waiting runbook)."""
    reply: str | None = None
    """An answer to the runbook question waiting in the session (Copilot.resume)."""
    action: Literal["approve", "reject", "skip", "leave"] | None = None
    """A runbook command (Copilot.resume with that word)."""
    expect: Expect = Expect()
    """What the result of this turn must show."""

    @model_validator(mode="after")
    def _one_kind(self) -> "Turn":
        given = [k for k in ("user", "reply", "action") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("每一轮必须且只能给出 user、reply、action 之一")
        return self

    @property
    def kind(self) -> str:
        return "user" if self.user is not None else ("reply" if self.reply is not None else "action")

    @property
    def text(self) -> str:
        return self.user if self.user is not None else (self.reply if self.reply is not None else str(self.action))


class Scenario(BaseModel):
    """A scripted conversation run in its own session."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    """Unique name, shown in the report."""
    description: str = ""
    """What the scenario demonstrates."""
    kb: str | None = None
    """Knowledge base to ask (None: the configured default)."""
    settings: dict[str, Any] = {}
    """Settings overrides (same shape as the settings file), applied to a copilot built for this scenario."""
    covers: list[Literal[NODES]] = []  # type: ignore[valid-type]
    """Graph nodes the scenario exercises (checked for coverage of the shipped set)."""
    tags: list[str] = []
    """Free labels for filtering (`--tag`)."""
    known_issue: str | None = None
    """A known defect (with its reason): failures are reported as xfail and do not fail the run."""
    turns: list[Turn] = Field(min_length=1)
    """The conversation, in order."""
    source: str = ""
    """File the scenario came from (filled by the loader)."""


def _field_name(loc: tuple[Any, ...]) -> str:
    parts: list[str] = []
    for item in loc:
        parts.append(f"[{item}]" if isinstance(item, int) else (f".{item}" if parts else str(item)))
    return "".join(parts) or "（顶层）"


def _entries(data: Any, path: Path) -> tuple[list[Any], str]:
    if isinstance(data, list):
        return data, ""
    if isinstance(data, dict) and "scenarios" in data:
        if set(data) != {"scenarios"} or not isinstance(data["scenarios"], list):
            raise EvalError(f"场景文件 {path} 无效：含 scenarios 时顶层只能有 scenarios 一个字段，且它必须是列表")
        return data["scenarios"], "scenarios"
    if isinstance(data, dict):
        return [data], ""
    raise EvalError(f"场景文件 {path} 的顶层必须是场景（mapping）、场景列表或 scenarios: [...]")


def load_file(path: Path) -> list[Scenario]:
    """Every scenario in one YAML file; EvalError names the file and the field."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise EvalError(f"场景文件 {path} 不是合法的 YAML：{exc}") from None
    except OSError as exc:
        raise EvalError(f"无法读取场景文件 {path}：{exc}") from None
    entries, prefix = _entries(data, path)
    scenarios = []
    for i, entry in enumerate(entries):
        where = f"{prefix}[{i}]" if (prefix or len(entries) > 1 or isinstance(data, list)) else ""
        try:
            scenario = Scenario.model_validate(entry)
        except ValidationError as exc:
            err = exc.errors()[0]
            field = ".".join(p for p in (where, _field_name(err["loc"])) if p)
            more = f"（另有 {exc.error_count() - 1} 处问题）" if exc.error_count() > 1 else ""
            raise EvalError(f"场景文件 {path} 无效：字段 {field}：{err['msg']}{more}") from None
        scenarios.append(scenario.model_copy(update={"source": str(path)}))
    return scenarios


def load_scenarios(paths: list[Path | str]) -> list[Scenario]:
    """Scenarios from files and folders (`*.yaml`/`*.yml`, recursively, sorted); names must be unique."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
        elif path.is_file():
            files.append(path)
        else:
            raise EvalError(f"找不到场景文件或目录：{path}")
    if not files:
        raise EvalError(f"在 {', '.join(map(str, paths))} 中没有找到 .yaml 场景文件")
    scenarios: list[Scenario] = []
    seen: dict[str, str] = {}
    for file in files:
        for scenario in load_file(file):
            if scenario.name in seen:
                raise EvalError(f"场景名称重复：{scenario.name!r}（{seen[scenario.name]} 与 {file}）")
            seen[scenario.name] = str(file)
            scenarios.append(scenario)
    return scenarios
