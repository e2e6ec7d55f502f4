"""The knowledge layer's user-facing notices (Chinese), kept in knowledge/notices.yaml.

A notice is something shown beside an answer, not an error (errors are KnowledgeError with
their message). The file is read and validated by knowledge/packaged_yaml.py (extra keys
forbidden) the first time a notice is needed; a broken file raises NoticeFileError naming
the file and field. Tests: tests/knowledge/test_notices.py.
"""

from __future__ import annotations

from functools import lru_cache

from pydantic import BaseModel, ConfigDict

from knowledge.packaged_yaml import read_mapping, validated

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
    return validated(Notices, read_mapping("knowledge", FILE, NoticeFileError), f"knowledge/{FILE}", NoticeFileError)
