"""Prompt files of the graph's model strategies, and the fixed reply texts.

Each `<name>.yaml` holds `system` and `user` templates (Python `str.format` fields);
`replies.yaml` holds the user-facing fixed texts. Loaded with importlib.resources and
validated (extra keys forbidden, required fields present) so a broken file fails at
startup with its name and field, not mid-conversation.
"""

from __future__ import annotations

import string
from functools import lru_cache
from importlib import resources

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

REQUIRED_FIELDS: dict[str, set[str]] = {
    "guard": {"message", "domain"},
    "split": {"message"},
    "rewrite": {"history", "message"},
    "route": {"question"},
    "expand": {"question"},
    "answer": {"question", "knowledge"},
    "verify": {"sentence", "evidence"},
    "general": {"question"},
}


class PromptTemplate(BaseModel):
    """One prompt: a system message and a user message template."""

    model_config = ConfigDict(extra="forbid")

    system: str
    """System message (instructions)."""
    user: str
    """User message template; `{field}` placeholders filled per call."""

    def fields(self) -> set[str]:
        return {f for _, f, _, _ in string.Formatter().parse(self.user) if f}

    def render(self, **values: str) -> tuple[str, str]:
        return self.system, self.user.format(**values)


class PromptFileError(ValueError):
    """A shipped prompt file is broken (a developer's mistake)."""


def _read(name: str) -> dict:
    path = resources.files(__name__).joinpath(f"{name}.yaml")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, yaml.YAMLError) as exc:
        raise PromptFileError(f"graph/prompts/{name}.yaml: {exc}") from None
    if not isinstance(data, dict):
        raise PromptFileError(f"graph/prompts/{name}.yaml: top level must be a mapping")
    return data


@lru_cache(maxsize=None)
def load_prompt(name: str) -> PromptTemplate:
    """The validated prompt `name`; PromptFileError names the file and field on any problem."""
    try:
        prompt = PromptTemplate.model_validate(_read(name))
    except ValidationError as exc:
        fields = ", ".join(".".join(str(p) for p in e["loc"]) for e in exc.errors())
        raise PromptFileError(f"graph/prompts/{name}.yaml: invalid field(s) {fields}") from None
    missing = REQUIRED_FIELDS.get(name, set()) - prompt.fields()
    if missing:
        raise PromptFileError(f"graph/prompts/{name}.yaml: user template lacks {sorted(missing)}")
    return prompt


REPLY_KEYS = {"greeting", "refusal", "not_covered", "nearest", "general_needs_model",
              "too_long", "unanswered", "sources", "unsupported_mark", "empty", "runbook_hint"}


@lru_cache(maxsize=None)
def replies() -> dict[str, str]:
    """Fixed user-facing texts (Chinese), checked for the required keys."""
    data = _read("replies")
    missing = REPLY_KEYS - set(data)
    extra = set(data) - REPLY_KEYS
    if missing or extra:
        raise PromptFileError(f"graph/prompts/replies.yaml: missing {sorted(missing)}, unknown {sorted(extra)}")
    return {k: str(v) for k, v in data.items()}


def all_prompt_names() -> list[str]:
    return sorted(REQUIRED_FIELDS)
