"""The shipped conversation suite in server mode (PostgreSQL + Chroma server) gives the embedded results.

Both copilots answer every scenario of tests/conversations/ (extractive mode, hash vectors,
the whole demo KB); each turn must get the same reply, route and citations in both modes,
and each scenario the same verdict (known issues stay known issues in both; whether one passes
by chance is not compared).
"""

from __future__ import annotations

import re

import pytest

from app.evaluation.pool import InProcessPool
from app.evaluation.runner import run_scenario
from app.evaluation.scenario import load_scenarios
from app.settings import Settings
from tests.eval.conftest import CONVERSATIONS

SCENARIOS = load_scenarios([CONVERSATIONS])
VARYING = re.compile(r"eval-[\w-]+-[0-9a-f]{8}|\d{4}-\d{2}-\d{2} \d{2}:\d{2}|\d+(\.\d+)? ?ms")  # session ids, clock


def _same(answer: str | None) -> str:
    return VARYING.sub("…", answer or "")


def _settings(root, storage=None) -> Settings:
    data = {"data_dir": str(root / "data"), "models": {"embedder": {"backend": "hash"}}}
    return Settings.model_validate({**data, "storage": storage} if storage else data)


@pytest.fixture(scope="module")
def pools(tmp_path_factory, module_storage):
    from app.wiring import build_copilot
    from knowledge.config import KnowledgeSettings
    from knowledge.demo_kb import DEMO_DIR
    from knowledge.service import KnowledgeService
    from models.embeddings.hash import HashEmbedder

    warm = KnowledgeService(KnowledgeSettings(dense="off"), tmp_path_factory.mktemp("warm"), HashEmbedder(dim=8))
    warm.ingest([DEMO_DIR], kb="demo")  # jieba learns the demo's terms first: both stores tokenize alike
    warm.close()
    settings = [_settings(tmp_path_factory.mktemp("embedded")), _settings(tmp_path_factory.mktemp("server"), module_storage)]
    built = [build_copilot(s) for s in settings]  # each ingests the demo KB into "demo" (server: PostgreSQL + Chroma)
    for copilot in built:
        copilot.context.knowledge.wait_dense()  # vectors are embedded in the background: same state in both
    assert built[1].info["storage"]["mode"] == "server" and built[1].context.knowledge.list_kbs()[0]["chunks"] > 0
    yield [InProcessPool(s, build_copilot, c) for s, c in zip(settings, built)]
    for copilot in built:
        copilot.context.knowledge.close()
        copilot.stores.close()


DIFFERENT: list[str] = []
COMPARED: list[str] = []


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_same_outcome_in_both_modes(scenario, pools):
    """Same verdict, same routes, same number of turns; replies and citations compared turn by turn
    (tallied below: vector search is approximate in both stores, see test_knowledge_server)."""
    embedded, server = (run_scenario(scenario, pool(scenario)) for pool in pools)
    # A known issue sits at the edge of selection: whether it passes follows per-base calibration, whose
    # dense bars come from approximate (HNSW) probes — embedded runs differ from each other there too.
    # Its routes are still compared and its replies counted in the tally below.
    if not scenario.known_issue:
        assert server.passed == embedded.passed, scenario.name
    assert len(server.turns) == len(embedded.turns)
    COMPARED.append(scenario.name)
    for ours, theirs in zip(server.turns, embedded.turns):
        a, b = ours.result or {}, theirs.result or {}
        assert (a.get("route"), a.get("refused")) == (b.get("route"), b.get("refused"))
        same = _same(a.get("answer")) == _same(b.get("answer")) and \
            [c["source"] for c in a.get("citations") or []] == [c["source"] for c in b.get("citations") or []]
        if not same:
            DIFFERENT.append(f"{scenario.name}#{ours.index}")


def test_replies_are_the_same_nearly_everywhere():
    if len(COMPARED) < len(SCENARIOS):
        pytest.skip("needs every scenario compared first (run the whole module)")
    turns = sum(len(s.turns) for s in SCENARIOS)
    assert len(DIFFERENT) <= max(2, turns // 20), DIFFERENT  # at most 5% of the turns differ in wording
