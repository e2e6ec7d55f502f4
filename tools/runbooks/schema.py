"""The runbook YAML schema (pydantic, extra="forbid"): triggers, slots and steps.

Step kinds: ask (fill a slot), tool (run a read-only tool with templated arguments),
branch (conditions on tool results and slots), advise (text plus knowledge-base
citations), approve (agent approval, then a changes_something tool), escalate (hand-off
summary), link (continue in another runbook). Any step may set `next` (a step id or
`end`); otherwise the flow goes on with the following step.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SlotType = Literal["text", "host", "url", "port", "int", "choice", "log"]
ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Triggers(Strict):
    keywords: list[str] = []
    """Words that suggest the runbook (matched case-insensitively in the question)."""
    examples: list[str] = []
    """Example questions; similarity to them scores a match."""
    intents: list[str] = []
    """Intent labels the graph's router may use."""


class Scope(Strict):
    """Where a runbook applies: knowledge bases by name, or products as their documents declare them."""

    kbs: list[str] = []
    """Knowledge base names; `"*"` alone: any base (a product-neutral runbook)."""
    products: list[str] = []
    """Product names (a document's front matter `product`): any base holding such a document."""

    @model_validator(mode="after")
    def _some(self) -> "Scope":
        if not self.kbs and not self.products:
            raise ValueError('scope needs kbs or products (kbs: ["*"] for any knowledge base)')
        if "*" in self.kbs and (len(self.kbs) > 1 or self.products):
            raise ValueError('"*" (any knowledge base) stands alone')
        return self

    @property
    def anywhere(self) -> bool:
        return "*" in self.kbs

    def covers(self, kb: str | None, products: set[str]) -> bool:
        """In scope for a turn on `kb` (None: no base named, every runbook is in scope)."""
        return self.anywhere or kb is None or kb in self.kbs or bool(products & set(self.products))


class Slot(Strict):
    prompt: str
    """The question asked to fill the slot (Chinese)."""
    type: SlotType = "text"
    """How the answer is validated: host, url, port, int, choice, log, free text."""
    pattern: str | None = None
    """Extra regular expression the answer must match (fullmatch; RE2 syntax, so matching stays linear)."""
    choices: list[str] = []
    """Allowed answers for type choice (shown as options)."""
    retry_prompt: str | None = None
    """Asked again when the answer does not validate (default: a generic re-ask)."""
    default: str | None = None
    """Value used when the agent answers `skip`."""
    from_question: bool = False
    """Fill the slot from the first question: host, url, port found in it; a text slot takes the whole
    question, a log slot the question when it quotes an error line."""
    ask: bool = True
    """Ask the agent when still empty; False: use `default` without asking."""

    @field_validator("pattern")
    @classmethod
    def _linear(cls, pattern: str | None) -> str | None:
        from tools.patterns import compile_linear

        if pattern is not None:
            compile_linear(pattern)  # PatternError is a ValueError: reported with the file and field
        return pattern

    @model_validator(mode="after")
    def _choices(self) -> "Slot":
        if self.type == "choice" and not self.choices:
            raise ValueError("type choice needs choices")
        if not self.ask and self.default is None:
            raise ValueError("a slot that is never asked (ask: false) needs a default")
        return self


class StepBase(Strict):
    id: str = Field(pattern=ID_PATTERN)
    """Unique within the runbook; tool results are addressed as `tool.<id>`."""
    title: str | None = None
    """Short label shown in the conversation and the summary."""
    next: str | None = None
    """Step id to continue with, or `end` (default: the following step)."""


class AskStep(StepBase):
    kind: Literal["ask"]
    slot: str
    """Slot this step fills (its prompt is asked unless the slot already has a value)."""
    always: bool = False
    """Ask even if the slot was already filled (e.g. from the question)."""


class ToolStep(StepBase):
    kind: Literal["tool"]
    tool: str
    """A read_only tool name from the registry."""
    args: dict[str, Any] = {}
    """Arguments; strings may contain `{{slots.x}}` / `{{tool.step.data.y}}` placeholders."""
    rules_out: str | None = None
    """Listed under “已排除” in the summary when the tool reports `healthy: true`."""


class BranchCase(Strict):
    when: str
    """Condition, e.g. `tool.port.data.open == false and slots.os == "Linux"`."""
    goto: str
    """Step id (or `end`) to continue with when the condition holds."""


class BranchStep(StepBase):
    kind: Literal["branch"]
    cases: list[BranchCase] = Field(min_length=1)
    default: str = "next"
    """Where to go when no case holds: a step id, `next` or `end`."""


class Citation(Strict):
    query: str | None = None
    """Knowledge-base search query whose best passage is cited."""
    source: str | None = None
    """Document path (relative to the KB folder) to cite; with query, the best passage of it."""

    @model_validator(mode="after")
    def _one(self) -> "Citation":
        if not self.query and not self.source:
            raise ValueError("a citation needs query or source")
        return self


class AdviseStep(StepBase):
    kind: Literal["advise"]
    text: str
    """Advice in Markdown (placeholders allowed); data shown to the agent, never executed."""
    cite: list[Citation] = []


class ApproveStep(StepBase):
    kind: Literal["approve"]
    tool: str
    """The changes_something tool run after approval."""
    args: dict[str, Any] = {}
    prompt: str
    """Why the action is proposed (shown with the dry-run description)."""
    on_reject: str = "next"
    """Where to go when the agent rejects or skips: a step id, `next` or `end`."""


class EscalateStep(StepBase):
    kind: Literal["escalate"]
    reason: str
    """Why the flow hands off (placeholders allowed)."""
    next_step: str
    """Suggested next step for whoever takes the ticket."""


class LinkStep(StepBase):
    kind: Literal["link"]
    runbook: str
    """Id of the runbook to continue in (slots with the same names carry over)."""
    slots: dict[str, str] = {}
    """Slots of the target runbook to fill, e.g. `{domain: "{{slots.url}}"}` (validated by their type)."""


Step = Annotated[
    AskStep | ToolStep | BranchStep | AdviseStep | ApproveStep | EscalateStep | LinkStep,
    Field(discriminator="kind"),
]


class Runbook(Strict):
    id: str = Field(pattern=ID_PATTERN)
    title: str
    description: str
    triggers: Triggers = Triggers()
    scope: Scope = Scope(kbs=["*"])
    """Knowledge bases / products the runbook belongs to (default: any base)."""
    slots: dict[str, Slot] = {}
    steps: list[Step] = Field(min_length=1)
    resolution: str = "如问题已解决，请在工单中记录处理过程；否则请按交接摘要升级。"
    """Suggested next step when the flow ends without escalating."""

    @field_validator("steps")
    @classmethod
    def _unique_ids(cls, steps: list[Any]) -> list[Any]:
        seen: set[str] = set()
        for step in steps:
            if step.id in seen or step.id == "end":
                raise ValueError(f"duplicate or reserved step id {step.id!r}")
            seen.add(step.id)
        return steps

    def step_ids(self) -> list[str]:
        return [s.id for s in self.steps]
