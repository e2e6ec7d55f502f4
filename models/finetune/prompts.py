"""Prompt files of the generative data generators (models/finetune/prompts/*.yaml).

Loaded with importlib.resources and checked for the keys each generator formats, so a
broken prompt file fails early with the file and key named.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import yaml

REQUIRED = {
    "selfqa": ("system", "user"),
    "selfinstruct": ("system", "generation", "classification"),
}


@cache
def load_prompts(name: str) -> dict[str, str]:
    """The prompt templates in `prompts/NAME.yaml`; ValueError names a missing key."""
    text = resources.files("models.finetune").joinpath("prompts", f"{name}.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise ValueError(f"prompts/{name}.yaml must be a mapping")
    for key in REQUIRED.get(name, ()):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise ValueError(f"prompts/{name}.yaml: missing or empty key {key!r}")
    return {k: str(v) for k, v in data.items()}
