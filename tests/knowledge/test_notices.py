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


def test_a_broken_shipped_file_is_named_with_its_fields(tmp_path, monkeypatch):
    from knowledge.notices import NoticeFileError
    from knowledge.packaged_yaml import read_mapping, validated

    package = tmp_path / "shipped_pkg"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "list.yaml").write_text("- a\n- b\n", encoding="utf-8")
    (package / "bad.yaml").write_text("key: [unclosed\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(NoticeFileError, match=r"shipped_pkg/list.yaml: top level must be a mapping"):
        read_mapping("shipped_pkg", "list.yaml", NoticeFileError)
    with pytest.raises(NoticeFileError, match=r"shipped_pkg/bad.yaml"):
        read_mapping("shipped_pkg", "bad.yaml", NoticeFileError)
    with pytest.raises(NoticeFileError, match=r"shipped_pkg/gone.yaml"):
        read_mapping("shipped_pkg", "gone.yaml", NoticeFileError)
    with pytest.raises(NoticeFileError, match=r"knowledge/notices.yaml: invalid field\(s\) vector_fallback, typo"):
        validated(Notices, {"typo": 1}, "knowledge/notices.yaml", NoticeFileError)
