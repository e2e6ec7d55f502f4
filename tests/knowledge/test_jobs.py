"""Background embedding is reported as a job: chunks done/total, an ETA once a batch is done, finished."""

from __future__ import annotations

import time

from knowledge.config import KnowledgeSettings
from knowledge.service import KnowledgeService
from tests.fixtures.gated_embedder import GatedEmbedder
from tests.knowledge.conftest import write


def wait_for(check, timeout: float = 30.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError("condition not met in time")


def test_background_embedding_reports_progress_and_eta(tmp_path):
    for i in range(40):
        write(tmp_path / "docs", f"d{i:02d}.md", f"# 文档 {i}\n\n第 {i} 号阀门每季度巡检一次，编号 HV-{i}。\n")
    gate = GatedEmbedder(dim=64)
    ks = KnowledgeService(KnowledgeSettings(dense="background"), tmp_path / "data", gate)
    try:
        assert ks.jobs() == []
        ks.ingest([tmp_path / "docs"], kb="team")
        job = wait_for(lambda: next(iter(ks.jobs()), None))
        assert job["kind"] == "embedding" and job["kb"] == "team" and job["running"]
        assert job["done"] == 0 and job["total"] == 40 and job["eta_s"] is None, "no rate before the first batch"

        gate.allow(1)
        job = wait_for(lambda: next((j for j in ks.jobs() if j["done"] > 0), None))
        assert 0 < job["done"] < job["total"] == 40 and job["running"]
        assert job["eta_s"] is not None and job["eta_s"] >= 0
        assert ks.search("HV-3 阀门", kb="team"), "keyword search works while vectors are pending"

        gate.open()
        ks.wait_dense()
        [done] = ks.jobs()
        assert not done["running"] and done["done"] == done["total"] == 40 and done["error"] is None
        assert ks.show_kb("team")["dense_coverage"] == 1.0
    finally:
        gate.open()
        ks.close()


def test_a_worker_is_on_the_board_from_the_moment_it_starts(tmp_path):
    """Readers (the eval pool, the status tab) see a started worker at once, before its first batch."""
    write(tmp_path / "docs", "a.md", "# 阀门\n\n阀门每季度巡检一次。\n")
    gate = GatedEmbedder(dim=64)
    ks = KnowledgeService(KnowledgeSettings(dense="background"), tmp_path / "data", gate)
    try:
        ks.ingest([tmp_path / "docs"], kb="team")
        [job] = ks.jobs()  # no waiting: ingest returned after starting the worker
        assert job["kb"] == "team" and job["running"] and job["total"] == 1
        assert ks.vectors.running() == ["team"]
        gate.open()
        ks.wait_dense()
        assert not ks.jobs()[0]["running"]
    finally:
        gate.open()
        ks.close()
