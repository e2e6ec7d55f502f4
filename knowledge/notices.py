"""The knowledge layer's user-facing notices (Chinese), kept in knowledge/notices.yaml.

A notice is something shown beside an answer, not an error (errors are KnowledgeError with
their message). The file is read with importlib.resources and validated (extra keys
forbidden) the first time a notice is needed; a broken file raises NoticeFileError naming
the file and field. Tests: tests/knowledge/test_notices.py.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

FILE = "notices.yaml"


class NoticeFileError(ValueError):
    """knowledge/notices.yaml is broken (a developer's mistake)."""


class Notices(BaseModel):
    model_config = ConfigDict(extra="forbid")

    vector_fallback: str
    """A search ranked by keywords only because the Chroma server could not be reached."""


@lru_cache(maxsize=None)
def notices() -> Notices:
    """The validated notices of knowledge/notices.yaml."""
    try:
        data = yaml.safe_load(resources.files("knowledge").joinpath(FILE).read_text(encoding="utf-8"))
        return Notices.model_validate(data)
    except (OSError, yaml.YAMLError) as exc:
        raise NoticeFileError(f"knowledge/{FILE}: {exc}") from None
    except ValidationError as exc:
        fields = ", ".join(".".join(str(p) for p in e["loc"]) or "(top level)" for e in exc.errors())
        raise NoticeFileError(f"knowledge/{FILE}: invalid field(s) {fields}") from None
