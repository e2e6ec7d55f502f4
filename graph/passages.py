"""Passages in the checkpointed state are plain dicts; these convert and describe them."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from knowledge.types import Passage


def to_state(passage: Passage) -> dict:
    return asdict(passage)


def from_state(data: dict[str, Any]) -> Passage:
    return Passage(**data)


def faq_question(passage: dict) -> str:
    return str((passage.get("meta") or {}).get("question") or "")


def location(passage: dict) -> str:
    """"title > heading" for a document chunk, the title for a FAQ entry."""
    heads = [h for h in passage.get("heading_path") or [] if h and h != passage.get("title")]
    return " > ".join([passage.get("title") or passage.get("source", "")] + heads[-1:])
