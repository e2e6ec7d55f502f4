"""One writer per knowledge base across processes; vectors consistent with the catalog.

Two ingests into one base at once used to break its vector index for good (catalog
"complete", Chroma empty, every search failing) and searches during them segfaulted.
benchmarks/concurrent_ingest.py runs the same rounds with the default embedder.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.hardening.ingest_rounds import KB, REPO, check_consistent, run_rounds, write_folder

pytestmark = pytest.mark.slow


def test_ten_rounds_of_two_concurrent_ingests_and_searches_leave_the_base_consistent(tmp_path):
    results = run_rounds(tmp_path / "data", tmp_path / "work", rounds=10, embedder="hash", docs=6)
    for result in results:
        assert all(a.startswith("ok ") for a in result.answers), result  # the second writer waited its turn
        # searches never failed meanwhile (a document being replaced may lack its vectors for a
        # moment, so dense hits are counted once the round's ingests are done)
        assert all(s.startswith("ok ") for s in result.searches), result
        assert result.check["consistent"], result.check
        assert result.check["documents"] == 12 and result.check["vectors"] == result.check["chunks"] > 0
    assert all(int(r.after.split()[2]) > 0 for r in results), results  # dense search works after each round


def test_a_second_writer_gets_a_clear_message_when_it_cannot_wait(tmp_path):
    from knowledge.catalog import kb_key
    from knowledge.locks import StoreLocks

    folder = write_folder(tmp_path / "work", "alpha", 0, 2)
    env = {**os.environ, "SMART_COPILOT__DATA_DIR": str(tmp_path / "data"), "PYTHONPATH": str(REPO),
           "SMART_COPILOT__MODELS__EMBEDDER__BACKEND": "hash", "SMART_COPILOT__KNOWLEDGE__WRITER_WAIT_S": "0"}
    with StoreLocks(tmp_path / "data" / "kb").writer(kb_key(KB), KB, 0):  # "another ingest" holds the base
        busy = subprocess.run([sys.executable, "-m", "app", "ingest", str(folder), "--kb", KB], cwd=REPO, env=env,
                              capture_output=True, text=True, timeout=300)
    assert busy.returncode == 2 and "另一个导入正在进行" in busy.stderr and "Traceback" not in busy.stderr
    done = subprocess.run([sys.executable, "-m", "app", "ingest", str(folder), "--kb", KB, "--json"], cwd=REPO,
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert check_consistent(tmp_path / "data", KB, "hash")["consistent"]


def test_vectors_lost_behind_the_catalogs_back_are_restored_on_the_next_run(make_service, tmp_path):
    from knowledge.catalog import kb_key

    folder = write_folder(tmp_path / "work", "alpha", 0, 4)
    ks = make_service(tmp_path / "data")
    ks.ingest([folder], kb=KB)
    ks.dense.drop(kb_key(KB))  # what two unlocked writers once did: catalog "complete", Chroma empty
    stats = ks.catalog.kb_stats(KB)
    assert stats["embedded"] == stats["chunks"] > 0 and ks.dense.count(kb_key(KB)) == 0
    assert ks.show_kb(KB)["dense_coverage"] == 0.0  # coverage is read from the store, not the catalog
    ks.ingest([folder], kb=KB)  # nothing changed on disk; the run still repairs
    check = check_consistent(tmp_path / "data", KB, "hash", dim=64)
    assert check["consistent"] and check["vectors"] == check["chunks"] > 0


def test_an_unreadable_vector_index_makes_search_lexical_then_is_rebuilt(make_service, tmp_path, monkeypatch):
    from knowledge.catalog import kb_key
    from knowledge.dense import DenseIndex

    folder = write_folder(tmp_path / "work", "alpha", 0, 4)
    ks = make_service(tmp_path / "data")
    ks.ingest([folder], kb=KB)
    real_query = DenseIndex.query

    def broken(self, key, vector, n):
        from chromadb.errors import InternalError

        with self._using(write=False):
            raise InternalError("Error executing plan: Internal error: Error finding id")

    monkeypatch.setattr(DenseIndex, "query", broken)
    hits = ks.search("端口 连接 超时", kb=KB)
    assert hits and all(h.dense_score is None for h in hits)  # keywords only, no error
    assert ks.show_kb(KB)["dense_pending"] == 4  # the repair sent every document back to embedding
    monkeypatch.setattr(DenseIndex, "query", real_query)
    ks.embed_pending(KB)
    assert check_consistent(tmp_path / "data", KB, "hash", dim=64)["consistent"]
    assert any(h.dense_score is not None for h in ks.search("端口 连接 超时", kb=KB))
    assert ks.dense.count(kb_key(KB)) > 0
