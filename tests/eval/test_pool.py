"""Settings overrides in-process: graph-only overrides reuse the shared backends with other graph
settings; the shared copilot is untouched; invalid overrides are a clear user error."""

from __future__ import annotations

import pytest

from app.evaluation.errors import EvalError
from app.evaluation.pool import InProcessPool, deep_merge
from app.evaluation.runner import run_scenario
from app.evaluation.scenario import Scenario

TWO_QUESTIONS = "云盘扩容后怎么扩展文件系统，还有云盘能缩容吗"


def never_build(settings):
    raise AssertionError("graph-only overrides must not rebuild the backends")


def test_graph_override_changes_behaviour_only_for_that_scenario(eval_settings, copilot):
    pool = InProcessPool(eval_settings, never_build, copilot)
    limited = Scenario.model_validate({"name": "one-section", "settings": {"graph": {"max_sub_questions": 1}},
                                       "turns": [{"user": TWO_QUESTIONS, "expect": {"routes": ["knowledge"]}}]})
    normal = Scenario.model_validate({"name": "two-sections", "turns": [
        {"user": TWO_QUESTIONS, "expect": {"routes": ["knowledge", "knowledge"]}}]})
    driver = pool(limited)
    assert driver.copilot is not copilot and driver.copilot.context.knowledge is copilot.context.knowledge
    assert pool(limited) is driver  # cached per distinct override
    assert run_scenario(limited, driver).passed
    assert run_scenario(normal, pool(normal)).passed
    assert copilot.context.settings.max_sub_questions == eval_settings.graph.max_sub_questions


def test_invalid_override_names_scenario_and_field(eval_settings, copilot):
    pool = InProcessPool(eval_settings, never_build, copilot)
    bad = Scenario.model_validate({"name": "bad-override", "settings": {"graph": {"max_sub_questions": "many"}},
                                   "turns": [{"user": "你好"}]})
    with pytest.raises(EvalError, match="bad-override.*graph.max_sub_questions"):
        pool(bad)


def test_other_overrides_build_a_copilot_without_background_work(eval_settings, copilot):
    built = []

    def build(settings, background=True):
        built.append((settings.tools.max_concurrent_calls, background))
        return copilot

    pool = InProcessPool(eval_settings, build, copilot)
    tools = Scenario.model_validate({"name": "tools", "settings": {"tools": {"max_concurrent_calls": 2}},
                                     "turns": [{"user": "你好"}]})
    assert pool(tools).copilot is copilot
    assert built == [(2, False)]  # the shared copilot's worker is the only one embedding the base


def test_deep_merge_keeps_siblings():
    assert deep_merge({"a": {"b": 1, "c": 2}, "d": 3}, {"a": {"b": 5}}) == {"a": {"b": 5, "c": 2}, "d": 3}


def test_scenarios_wait_for_the_background_embedding_of_the_shared_copilot(tmp_path):
    """With the default embedder a first start embeds the demo base in the background; a turn run
    meanwhile ranks by the vectors embedded so far. The pool hands out the shared copilot once done."""
    import threading

    from app.wiring import build_copilot
    from models.embeddings.hash import HashEmbedder
    from tests.eval.conftest import demo_settings

    class SlowEmbedder(HashEmbedder):
        def __init__(self) -> None:
            super().__init__()
            self.release = threading.Event()

        def embed_passages(self, texts):
            self.release.wait(60)
            return super().embed_passages(texts)

    embedder = SlowEmbedder()
    notes: list[str] = []

    def note(text: str) -> None:  # the embedding goes on once the pool says it waits: no race with a timer
        notes.append(text)
        embedder.release.set()

    pool = InProcessPool(demo_settings(tmp_path / "data"), lambda s: build_copilot(s, embedder=embedder),
                         note=note)
    safety = threading.Timer(20, embedder.release.set)  # without a note the test fails, but does not hang
    safety.start()
    try:
        copilot = pool.shared
        demo = copilot.context.knowledge.vector_status("demo")
        assert demo["dense_coverage"] == 1.0, demo
        assert notes and "等待知识库向量嵌入完成" in notes[0] and "demo" in notes[0]
    finally:
        safety.cancel()
        embedder.release.set()
        pool.shared.context.knowledge.close()
