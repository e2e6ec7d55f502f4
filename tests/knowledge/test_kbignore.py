"""A folder's `.kbignore` leaves files out of ingest (the demo KB's own README is not knowledge)."""

from __future__ import annotations

from knowledge.demo_kb import DEMO_DIR
from knowledge.ingest_sources import collect_files


def test_kbignore_patterns_skip_matching_files(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.md").write_text("# A\n正文", encoding="utf-8")
    (tmp_path / "docs" / "draft.md").write_text("# 草稿", encoding="utf-8")
    (tmp_path / "README.md").write_text("# 说明", encoding="utf-8")
    (tmp_path / ".kbignore").write_text("# comment\nREADME.md\ndocs/draft*\n", encoding="utf-8")
    sources = [source for _, source in collect_files([tmp_path], [])]
    assert sources == ["docs/a.md"]


def test_demo_readme_is_not_ingested():
    sources = {source for _, source in collect_files([DEMO_DIR], [])}
    assert "README.md" not in sources
    assert "docs/scs/ssh-login-failed.md" in sources and "faq/faq.jsonl" in sources
