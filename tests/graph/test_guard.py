"""guard: greetings, KB-vocabulary evidence on real Chinese messages, the model's judgment."""

from __future__ import annotations

import pytest

from graph.domain_score import content_tokens, coverage, weighted_coverage
from graph.domain_check import is_greeting, judge, strip_greeting
from models.llm.scripted import ScriptedLLM
from tests.graph.conftest import make_context


@pytest.mark.parametrize("message", ["你好", "您好！", "你是谁？", "你好，请问你能帮我什么？", "谢谢你", "hello"])
def test_greetings(message):
    assert is_greeting(message)


@pytest.mark.parametrize("message", ["你好，SSH 连不上怎么办", "504了", "谢谢，另外 CPU 100% 怎么办"])
def test_questions_are_not_greetings(message):
    assert not is_greeting(message)


def test_greeting_prefix_is_stripped():
    assert strip_greeting("你好，SSH 连不上怎么办") == "SSH 连不上怎么办"


def test_greeting_verdict(context):
    assert judge(context, "你是谁", "demo")["kind"] == "greet"


def test_vocabulary_coverage_separates_shared_words(context):
    vocab = context.vocabulary.get(context.knowledge, "demo")
    in_domain = content_tokens("安全组不生效", vocab)
    shared_word = content_tokens("安全组饮食法食谱", vocab)
    assert coverage(in_domain, vocab) == 1.0
    assert weighted_coverage(shared_word, vocab) < 0.5 < weighted_coverage(in_domain, vocab)


@pytest.mark.parametrize("message, kind", [
    ("CPU 100%", "answer"),
    ("安全组不生效", "answer"),
    ("云朵为什么是白色的", "refuse"),
    ("红烧肉怎么做才好吃", "refuse"),
])
def test_deterministic_verdicts_on_the_fake_kb(context, message, kind):
    verdict = judge(context, message, "demo")
    assert verdict["kind"] == kind, verdict
    assert 0.0 <= verdict["score"] <= 1.0 and verdict["evidence"]["model"] is None


def test_model_judgment_moves_the_score(fake_kb):
    out_ctx = make_context(fake_kb, ScriptedLLM(["OUT"]))
    in_ctx = make_context(fake_kb, ScriptedLLM(["IN"]))
    low = judge(out_ctx, "安全组不生效", "demo")
    high = judge(in_ctx, "安全组不生效", "demo")
    assert low["evidence"]["model"] == 0.0 and high["evidence"]["model"] == 1.0
    assert low["score"] < high["score"]
    prompt = out_ctx.llm.calls[0][0][-1].content
    assert "安全组不生效" in prompt


def test_unusable_model_output_keeps_the_deterministic_score(fake_kb, context):
    ctx = make_context(fake_kb, ScriptedLLM(["我觉得这个问题可能和云有关，也可能无关。"]))
    verdict = judge(ctx, "安全组不生效", "demo")
    assert verdict["evidence"]["model"] is None
    assert verdict["score"] == judge(context, "安全组不生效", "demo")["score"]
