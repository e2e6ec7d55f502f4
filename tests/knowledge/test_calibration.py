"""Selection calibrated per knowledge base: measured at ingest, stored with the base, used by select.

Real corpus pages (Kubernetes debugging tasks, TiDB troubleshooting guides) and the demo
base; the questions here are written for these tests (not taken from any evaluation set).
"""

from __future__ import annotations

import shutil

import pytest

from knowledge.demo_kb import DEMO_DIR
from tests.knowledge.conftest import write

K8S = ("kubernetes-zh-cn", "content", "zh-cn", "docs", "tasks", "debug")
TIDB_GUIDES = ("troubleshoot-tidb-oom.md", "troubleshoot-hot-spot-issues.md", "troubleshoot-lock-conflicts.md",
               "troubleshoot-high-disk-io.md", "troubleshoot-cpu-issues.md")


@pytest.fixture
def mixed(corpora, tmp_path):
    """Two products in one base, as `ingest ../shared/corpora` lays them out (a folder per topic)."""
    root = tmp_path / "mixed"
    shutil.copytree(corpora.joinpath(*K8S), root / "kubernetes" / "debug")
    for name in TIDB_GUIDES:
        (root / "tidb").mkdir(parents=True, exist_ok=True)
        shutil.copy(corpora / "tidb-docs-cn" / name, root / "tidb" / name)
    return root


def test_bars_are_measured_at_ingest_and_stored_with_the_base(make_service, mixed):
    ks = make_service(dense="off")
    ks.ingest([mixed], kb="mixed")
    stored = ks.show_kb("mixed")["calibration"]
    assert stored["generation"] == ks.catalog.generation("mixed") and stored["embedder"] == ""
    bars = stored["relevant"]["all"]
    assert 0 < bars["share"] <= 1 and bars["mass"] > 0
    assert stored["strong"]["all"]["mass"] >= bars["mass"]
    assert ks.calibrate("mixed", only_if_stale=True) == stored  # unchanged base: kept as is
    write(mixed, "tidb/new-guide.md", "# PD 调度慢\n\n检查 region 调度的 limit 参数，例如 leader-schedule-limit。\n")
    ks.ingest([mixed], kb="mixed")
    assert ks.show_kb("mixed")["calibration"]["generation"] == ks.catalog.generation("mixed") != stored["generation"]
    ks.delete_kb("mixed")
    assert ks.catalog.calibration("mixed") is None


def test_each_base_gets_its_own_bars(make_service, mixed):
    ks = make_service(dense="off")
    ks.ingest([mixed], kb="mixed")
    ks.ingest([DEMO_DIR], kb="demo")
    own = {kb: ks.show_kb(kb)["calibration"]["relevant"]["all"] for kb in ("mixed", "demo")}
    assert own["mixed"] != own["demo"]


def test_a_spoken_question_keeps_its_page_and_an_unrelated_one_gets_nothing(make_service, mixed):
    ks = make_service(dense="off")
    ks.ingest([mixed], kb="mixed")
    spoken = "新建的 pod 一直卡在 Pending 调度不上去，事件里说资源不够，这到底咋回事啊，该从哪开始查"
    chosen = ks.select(spoken, ks.search(spoken, kb="mixed", k=8), max_passages=4)
    assert "kubernetes/debug/debug-application/debug-pods.md" in {p.source for p in chosen}
    assert all(p.meta["match"] in ("strong", "partial") for p in chosen)
    unrelated = "今天晚饭吃什么好"  # shares one everyday word with the pages
    assert ks.select(unrelated, ks.search(unrelated, kb="mixed", k=8), max_passages=4) == []


def test_the_fixed_demo_thresholds_apply_when_calibration_is_off_or_the_base_is_tiny(make_service, mixed, tmp_path):
    spoken = "新建的 pod 一直卡在 Pending 调度不上去，事件里说资源不够，这到底咋回事啊，该从哪开始查"
    fixed = make_service(data_dir=tmp_path / "fixed", dense="off", select_calibration=False)
    fixed.ingest([mixed], kb="mixed")
    assert fixed.show_kb("mixed")["calibration"] is None
    kept = fixed.select(spoken, fixed.search(spoken, kb="mixed", k=8), max_passages=4)
    assert all(p.meta["relevance"] >= 0.35 for p in kept)  # the demo base's keyword threshold
    tiny = make_service(data_dir=tmp_path / "tiny", dense="off")
    write(tmp_path / "two", "a.md", "# SSH\n\n安全组放通 TCP 22 端口。\n")
    write(tmp_path / "two", "b.md", "# MySQL\n\n报 ERROR 1040 时调大 max_connections。\n")
    tiny.ingest([tmp_path / "two"], kb="two")
    assert tiny.show_kb("two")["calibration"] is None
    assert tiny.select("ERROR 1040 怎么办", tiny.search("ERROR 1040 怎么办", kb="two"))[-1].source == "b.md"


def test_a_name_the_question_quotes_keeps_the_passage_that_holds_it(make_service):
    from knowledge.select import identifiers

    assert identifiers("RequestTimeTooSkewed 啥意思 SCS.QuotaExceeded") == {"requesttimetooskewed", "scs.quotaexceeded"}
    assert identifiers("MySQL 和 TiDB 报 OOMKilled，v1.2") == set()  # product names and versions are not quoted names
    ks = make_service(dense="off")
    ks.ingest([DEMO_DIR], kb="demo")
    spoken = "RequestTimeTooSkewed 啥意思"  # the spoken half dilutes share and mass below the bars
    chosen = ks.select(spoken, ks.search(spoken, kb="demo", k=8), max_passages=4)
    named = [p for p in chosen if "requesttimetooskewed" in p.meta["evidence"].get("names", [])]
    assert named and all("RequestTimeTooSkewed" in p.text and p.meta["match"] for p in named)


def test_names_the_base_never_uses_are_reported_with_the_passages(make_service, mixed):
    ks = make_service(dense="off")
    ks.ingest([mixed], kb="mixed")
    question = "pod 里的 vGPU 显存一直涨，OOMKilled 了，要看哪些指标"
    found = ks.search(question, kb="mixed", k=8)
    chosen = ks.select(question, found)
    assert found
    # kept passages carry them (the hedge names them), and so do the others (the "not covered" reply names them)
    for p in chosen or found:
        unknown = p.meta["unknown_terms"]
        assert "vGPU" in unknown and "pod" not in unknown and "vgpu" not in unknown  # as written; pod is known
    assert all(p.meta["match"] == "partial" for p in chosen)  # never a full answer about what the base never names


def test_vectors_add_a_cosine_bar_once_the_base_is_embedded(make_service, tmp_path):
    ks = make_service(data_dir=tmp_path / "dense", dense="sync")
    ks.ingest([DEMO_DIR], kb="demo")
    stored = ks.show_kb("demo")["calibration"]
    assert stored["embedder"] == ks.catalog.kb_embedder("demo") and stored["relevant"]["all"]["dense"] is not None
