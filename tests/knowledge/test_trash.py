"""The trash: a deleted base or document disappears from listing and search, comes back on restore,
and is gone for good after purge_trash."""

from __future__ import annotations

import time

import pytest

from knowledge.errors import KnowledgeError
from tests.knowledge.conftest import write


@pytest.fixture
def team(ks, tmp_path):
    write(tmp_path / "docs", "valves.md", "# 阀门\n\n氦气阀门每季度巡检一次，巡检编号前缀为 HV-9。\n")
    write(tmp_path / "docs", "pumps.md", "# 水泵\n\n冷却水泵每月更换一次滤芯。\n")
    ks.ingest([tmp_path / "docs"], kb="team")
    ks.ingest([tmp_path / "docs"], kb="other")
    return ks


def sources(ks, query, kb="team"):
    return [p.source for p in ks.search(query, kb=kb, k=5)]


def test_a_trashed_base_is_hidden_then_restored_with_its_vectors(team):
    ks = team
    ks.trash_kb("team")
    assert [k["name"] for k in ks.list_kbs()] == ["other"] and not ks.has_kb("team")
    with pytest.raises(KnowledgeError, match="回收站"):
        ks.search("氦气阀门", kb="team")
    with pytest.raises(KnowledgeError, match="回收站"):
        ks.ingest([], kb="team")  # the name is taken until restored or purged
    [item] = ks.trashed()
    assert item["kind"] == "kb" and item["id"] == "kb:team" and item["documents"] == 2
    assert sources(ks, "氦气阀门", kb="other")[0] == "valves.md", "other bases are untouched"

    ks.restore_kb("team")
    assert ks.has_kb("team") and ks.trashed() == []
    assert sources(ks, "氦气阀门")[0] == "valves.md"
    assert ks.show_kb("team")["dense_coverage"] == 1.0, "vectors were kept"
    with pytest.raises(KnowledgeError, match="没有知识库"):
        ks.restore_kb("team")


def test_a_trashed_document_leaves_the_index_and_comes_back(team):
    ks = team
    trash_id = ks.trash_document("team", "valves.md")
    assert [d["source"] for d in ks.show_kb("team")["documents"]] == ["pumps.md"]
    assert "valves.md" not in sources(ks, "氦气阀门 HV-9")
    [item] = ks.trashed()
    assert item["kind"] == "document" and item["source"] == "valves.md" and item["chunks"] == 1

    assert ks.restore_document(trash_id) == ("team", "valves.md")
    assert sources(ks, "氦气阀门 HV-9")[0] == "valves.md" and ks.trashed() == []
    assert ks.show_kb("team")["dense_coverage"] == 1.0, "restored chunks are embedded again (dense=sync)"


def test_restore_refuses_to_overwrite_a_newer_upload(team, tmp_path):
    ks = team
    trash_id = ks.trash_document("team", "valves.md")
    write(tmp_path / "new", "valves.md", "# 阀门\n\n新版：氦气阀门每月巡检。\n")
    ks.ingest([tmp_path / "new"], kb="team")
    with pytest.raises(KnowledgeError, match="已有同名文档"):
        ks.restore_document(trash_id)
    assert "每月" in ks.document_chunks("team", "valves.md")[0]["text"]


def test_purge_deletes_for_good_only_what_is_old_enough(team):
    ks = team
    ks.trash_document("other", "pumps.md")
    ks.trash_kb("team")
    assert ks.purge_trash(7 * 86400) == 0 and len(ks.trashed()) == 2
    assert ks.purge_trash(7 * 86400, now=time.time() + 8 * 86400) == 2
    assert ks.trashed() == [] and not ks.has_kb("team")
    ks.ingest([], kb="team")  # the name is free again
    assert ks.show_kb("team")["documents"] == []
    assert [d["source"] for d in ks.show_kb("other")["documents"]] == ["valves.md"]
