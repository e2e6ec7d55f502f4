"""The LoRA adapter router: which adapter (or weighted combination, or the base model)
answers one sub-question, with the reason recorded for the turn's trace.

Rules come from `models.router` settings: domain -> adapter name or {adapter: weight}.
Without a rule, the default adapter, else an adapter whose name or meta.json `domain`
equals the domain. Off-domain and general questions go to the base model; a rule naming
an adapter that is not available falls back to the base model and says so. Investigations
(the model calling tools) go to `router.agent`, else to an adapter trained on tool-use
trajectories (meta.json `tool_calling: true`), else the usual choice. Pure logic;
`pytest tests/models/test_router.py`.
"""

from __future__ import annotations

from models.config import ModelSettings
from models.llm.base import AdapterChoice, LLMBackend


class AdapterRouter:
    """Applies the routing rules against the adapters the backend actually has."""

    def __init__(
        self, settings: ModelSettings, available_adapters: list[str], domains: dict[str, str] | None = None,
        tool_trained: list[str] | None = None,
    ) -> None:
        self.settings = settings.router
        self.available = list(dict.fromkeys(available_adapters))
        self.domains = {n: d for n, d in (domains or {}).items() if n in self.available}
        """Adapter name -> the domain its meta.json declares."""
        self.tool_trained = [n for n in tool_trained or [] if n in self.available]
        """Adapters whose meta.json says they were trained on tool-use trajectories."""

    @classmethod
    def for_backend(cls, settings: ModelSettings, llm: LLMBackend) -> "AdapterRouter":
        """A router over the adapters `llm` serves, with their meta.json domains and tool-use training."""
        info = llm.describe()
        adapters = [a for a in info.get("adapter_info") or [] if "name" in a]
        domains = {str(a["name"]): str(a.get("domain") or "") for a in adapters}
        trained = [str(a["name"]) for a in adapters if a.get("tool_calling")]
        return cls(settings, [str(n) for n in info.get("adapters") or []], domains, trained)

    def choose_agent(self, question: str, domain: str | None) -> AdapterChoice:
        """The adapter for an investigation (the model calling tools) on this sub-question."""
        if not self.settings.enabled:
            return AdapterChoice(reason="router disabled (models.router.enabled=false): base model")
        if self.settings.agent:
            return self._single(self.settings.agent, f"investigation -> router.agent {self.settings.agent!r}")
        if self.tool_trained:
            name = self.tool_trained[0]
            return AdapterChoice(name=name, reason=f"investigation -> adapter {name!r} trained on tool-use data (meta.json)")
        choice = self.choose(question, domain, in_domain=True)
        return AdapterChoice(choice.name, dict(choice.weights), f"investigation, no tool-trained adapter: {choice.reason}")

    def choose(self, question: str, domain: str | None, in_domain: bool) -> AdapterChoice:
        """The adapter choice for one sub-question; `reason` explains it (in English, for the trace)."""
        if not self.settings.enabled:
            return AdapterChoice(reason="router disabled (models.router.enabled=false): base model")
        if not in_domain:
            return AdapterChoice(reason="general / off-domain question: base model, adapters off")
        key = (domain or "").strip()
        rule = self.settings.rules.get(key) if key else None
        if rule is None and key:
            rule = self._rule_ignoring_case(key)
        if rule is None:
            return self._without_rule(key)
        if isinstance(rule, str):
            return self._single(rule, f"rule {key!r} -> adapter {rule!r}")
        return self._weighted(key, rule)

    def _rule_ignoring_case(self, key: str) -> str | dict[str, float] | None:
        for domain, rule in self.settings.rules.items():
            if domain.lower() == key.lower():
                return rule
        return None

    def _without_rule(self, key: str) -> AdapterChoice:
        if self.settings.default:
            return self._single(self.settings.default, f"no rule for domain {key!r}: default adapter")
        for name in self.available:
            if key and name.lower() == key.lower():
                return AdapterChoice(name=name, reason=f"no rule for domain {key!r}: adapter of the same name")
        for name in self.available:
            if key and self.domains.get(name, "").lower() == key.lower():
                return AdapterChoice(name=name, reason=f"no rule for domain {key!r}: adapter {name!r} declares it in meta.json")
        what = f"domain {key!r}" if key else "unknown domain"
        return AdapterChoice(reason=f"{what} has no rule and no adapter of that name or domain: base model")

    def _single(self, name: str, why: str) -> AdapterChoice:
        if name in self.available:
            return AdapterChoice(name=name, reason=why)
        return AdapterChoice(reason=f"{why}, but adapter {name!r} is not available: fallback to base model")

    def _weighted(self, key: str, weights: dict[str, float]) -> AdapterChoice:
        active = {n: w for n, w in weights.items() if w > 0}
        missing = sorted(n for n in active if n not in self.available)
        usable = {n: w for n, w in active.items() if n in self.available}
        why = f"rule {key!r} -> weights {weights}"
        if missing:
            why += f"; missing adapters {missing} left out"
        if not usable:
            return AdapterChoice(reason=f"{why}: no usable adapter, fallback to base model")
        return AdapterChoice(weights=usable, reason=why)
