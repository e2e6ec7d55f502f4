"""Prompt files of the graph's model strategies, and the fixed reply texts.

Each `<name>.yaml` declares its `fields` and holds `system` and `user` templates (Python
`str.format` fields, exactly the declared ones); `replies.yaml` holds the user-facing fixed
texts and the progress stage labels. Loaded with importlib.resources and
validated (extra keys forbidden, required fields present) so a broken file fails at
startup with its name and field, not mid-conversation.
"""

from __future__ import annotations

import string
from functools import lru_cache
from importlib import resources

from pydantic import BaseModel, ConfigDict

from knowledge.packaged_yaml import read_mapping, validated


class PromptTemplate(BaseModel):
    """One prompt: a system message and a user message template."""

    model_config = ConfigDict(extra="forbid")

    fields: list[str]
    """The values each call must give (the user template uses exactly these)."""
    system: str
    """System message (instructions)."""
    user: str
    """User message template; `{field}` placeholders filled per call."""

    def used_fields(self) -> set[str]:
        return {f for _, f, _, _ in string.Formatter().parse(self.user) if f}

    def render(self, **values: str) -> tuple[str, str]:
        if set(values) != set(self.fields):
            raise PromptFileError(f"prompt needs fields {sorted(self.fields)}, got {sorted(values)}")
        return self.system, self.user.format(**values)


class PromptFileError(ValueError):
    """A shipped prompt file is broken (a developer's mistake)."""


def _read(name: str) -> dict:
    return read_mapping(__name__, f"{name}.yaml", PromptFileError)


@lru_cache(maxsize=None)
def load_prompt(name: str) -> PromptTemplate:
    """The validated prompt `name`; PromptFileError names the file and field on any problem."""
    prompt = validated(PromptTemplate, _read(name), f"graph/prompts/{name}.yaml", PromptFileError)
    used = prompt.used_fields()
    if used != set(prompt.fields):
        raise PromptFileError(f"graph/prompts/{name}.yaml: declares fields {sorted(prompt.fields)} "
                              f"but the user template uses {sorted(used)}")
    return prompt


REPLY_KEYS = {"greeting", "refusal", "not_covered", "nearest", "general_needs_model",
              "too_long", "unanswered", "sources", "unsupported_mark", "empty", "runbook_hint", "clarify",
              "clarify_en", "runbook_paused", "no_runbook", "partial_match", "partial_match_terms",
              "investigate_repair", "investigate_approval", "investigate_stopped",
              "not_covered_terms", "shown_above"}


STAGE_IDS = ("understand", "retrieve", "generate", "verify", "tools")
"""graph.progress.Stage values (kept here so the labels are checked without importing the graph)."""


REPLY_FILES = {"zh": "replies", "en": "replies_en"}
"""The fixed texts of each reply language (graph/language.py decides it per message)."""


@lru_cache(maxsize=None)
def replies(lang: str | None = "zh") -> dict[str, str]:
    """Fixed user-facing texts in the reply language ("zh", the default, or "en"), checked for the
    required keys (every language file has the same)."""
    name = REPLY_FILES.get(lang or "zh", "replies")
    data = _read(name)
    texts = {k: v for k, v in data.items() if k != "stages"}
    missing = REPLY_KEYS - set(texts)
    extra = set(texts) - REPLY_KEYS
    if missing or extra:
        raise PromptFileError(f"graph/prompts/{name}.yaml: missing {sorted(missing)}, unknown {sorted(extra)}")
    return {k: str(v) for k, v in texts.items()}


def sources_headings() -> tuple[str, ...]:
    """The sources list's heading word of every reply language ("参考来源", "Sources"); the composed
    answer shows it bold (graph/nodes/compose.py)."""
    return tuple(replies(lang)["sources"].strip() for lang in REPLY_FILES)


def hedge_leads() -> tuple[str, ...]:
    """The fixed start of the "only partly matches" lead-in in every reply language (the part before
    any named terms): how an answer's reader, or the answer metrics, tell a hedged answer."""
    return tuple(replies(lang)[key].strip().split("{")[0] for lang in REPLY_FILES
                 for key in ("partial_match", "partial_match_terms"))


@lru_cache(maxsize=None)
def stage_labels() -> dict[str, str]:
    """Progress stage id -> label shown to the agent (replies.yaml `stages:`)."""
    labels = _read("replies").get("stages")
    if not isinstance(labels, dict) or set(labels) != set(STAGE_IDS):
        raise PromptFileError(f"graph/prompts/replies.yaml: stages must label exactly {list(STAGE_IDS)}")
    return {str(k): str(v) for k, v in labels.items()}


def all_prompt_names() -> list[str]:
    """Every prompt file shipped (replies.yaml is texts, not a prompt)."""
    return sorted(p.name[:-5] for p in resources.files(__name__).iterdir()
                  if p.name.endswith(".yaml") and p.name[:-5] not in REPLY_FILES.values())


def too_long(text: str, limit: int, length: int | None = None) -> str:
    """The over-long-message notice, in the message's language (`length`: when only part of the
    text was kept, the estimated whole). Light to import: the CLI checks before loading the graph."""
    from graph.language import message_language

    return replies(message_language(text))["too_long"].strip().format(length=length or len(text), limit=limit)
