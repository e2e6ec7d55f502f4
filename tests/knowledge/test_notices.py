"""knowledge/notices.yaml loads and is checked; VectorHealth shows its fallback notice only while the server is down."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from knowledge.notices import Notices, notices
from knowledge.vector_health import VectorHealth


def test_shipped_notices_load_and_unknown_keys_are_refused():
    assert "仅按关键词检索" in notices().vector_fallback
    with pytest.raises(ValidationError):
        Notices.model_validate({"vector_fallback": "x", "vector_fallbak": "typo"})


def test_vector_fallback_notice_follows_the_server_state():
    health = VectorHealth()
    since = health.fallbacks
    assert health.notice(since) is None
    health.failed("connection refused")
    assert health.notice(since) == notices().vector_fallback
    assert health.notice(health.fallbacks) is None  # nothing fell back after this reading
    health.reached()
    assert health.notice(since) is None
