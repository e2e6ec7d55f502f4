"""YAML files shipped inside a package (knowledge/notices.yaml, graph/prompts/*.yaml), read with
importlib.resources and checked: a broken file fails with its path and the fields at fault, never
mid-conversation. Lives in knowledge/ because graph/ may import knowledge/ and not the reverse.
Tests: tests/knowledge/test_notices.py, tests/graph/test_prompts.py.

    data = read_mapping("knowledge", "notices.yaml", NoticeFileError)
    notices = validated(Notices, data, "knowledge/notices.yaml", NoticeFileError)
"""

from __future__ import annotations

from importlib import resources
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)


def read_mapping(package: str, name: str, error: type[Exception]) -> dict:
    """The top-level mapping of `package`/`name`; `error` names the file when it is missing, not
    YAML or not a mapping."""
    where = f"{package.replace('.', '/')}/{name}"
    try:
        data = yaml.safe_load(resources.files(package).joinpath(name).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise error(f"{where}: {exc}") from None
    if not isinstance(data, dict):
        raise error(f"{where}: top level must be a mapping")
    return data


def validated(model: type[M], data: dict, where: str, error: type[Exception]) -> M:
    """`data` as `model`; `error` names the file and every invalid field."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        fields = ", ".join(".".join(str(p) for p in e["loc"]) or "(top level)" for e in exc.errors())
        raise error(f"{where}: invalid field(s) {fields}") from None
