"""The graph's ports (graph/ports.py) fit the real implementations and the test fakes."""

from __future__ import annotations

import pytest

from graph.ports import AdapterRouterPort, EmbedderPort, KnowledgePort, RunbookPort
from tests.graph.fakes import FakeKnowledge


def test_fake_knowledge_fits_the_port():
    assert isinstance(FakeKnowledge(), KnowledgePort)


def test_real_implementations_fit_the_ports(tmp_path):
    from knowledge.config import KnowledgeSettings
    from knowledge.service import KnowledgeService
    from models.config import EmbedderSettings, ModelSettings
    from models.embeddings.registry import create_embedder
    from models.router import AdapterRouter
    from tools.config import ToolSettings
    from tools.registry import build_registry
    from tools.runbooks import RunbookEngine, load_runbooks

    embedder = create_embedder(EmbedderSettings(backend="hash"))
    service = KnowledgeService(KnowledgeSettings(), tmp_path, embedder)
    try:
        assert isinstance(service, KnowledgePort)
    finally:
        service.close()
    assert isinstance(embedder, EmbedderPort)
    assert isinstance(AdapterRouter(ModelSettings(), []), AdapterRouterPort)
    engine = RunbookEngine(load_runbooks(), build_registry(ToolSettings(), tmp_path))
    assert isinstance(engine, RunbookPort)


def test_something_else_does_not_fit():
    class NotKnowledge:
        def search(self, query, kb=None, k=8):
            return []

    assert not isinstance(NotKnowledge(), KnowledgePort)
    with pytest.raises(TypeError):
        from graph.schema import make_section

        make_section(0, "q", "q", "knowledge", "a", colour="red")


def test_one_question_turn_searches_the_knowledge_base_once(fake_kb):
    from graph.service import Copilot
    from tests.graph.conftest import make_context

    ctx = make_context(fake_kb, guard_weights={"coverage": 0.2, "weighted": 0.5, "lexicon": 0.2, "retrieval": 0.1})
    result = Copilot(ctx).ask("SSH 连接超时怎么办", "s")
    assert result.citations and len(fake_kb.searches) == 1  # retrieve reused the guard's search


def test_route_reuses_the_guards_verdicts_of_message_parts(fake_kb, monkeypatch):
    import graph.domain_check as domain_check
    from graph.service import Copilot
    from tests.graph.conftest import make_context

    judged_texts: list[str] = []
    real = domain_check.judge

    def counting(ctx, text, kb, searched=None):
        judged_texts.append(text)
        return real(ctx, text, kb, searched)

    monkeypatch.setattr(domain_check, "judge", counting)
    result = Copilot(make_context(fake_kb)).ask("帮我规划一下周末旅游路线？另外 SSH 默认端口是多少？", "s")
    assert [s["route"] for s in result.sections] == ["refuse", "knowledge"]
    assert len(judged_texts) == len(set(judged_texts)), judged_texts  # no text judged twice
