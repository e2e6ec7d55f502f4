"""The transformers backend on a tiny random Qwen2 model: decoding, streaming, batching."""

from __future__ import annotations

import pytest

from models.llm.base import AdapterChoice, ChatMessage, GenerationOptions

MESSAGES = [ChatMessage("system", "你是云产品排障助手。"), ChatMessage("user", "云服务器 SSH 登录失败怎么办？")]
OTHER = [ChatMessage("user", "Database connection timed out")]


def greedy(n=24, **kw) -> GenerationOptions:
    return GenerationOptions(max_tokens=n, **kw)


def test_greedy_generation_is_deterministic_and_respects_max_tokens(tiny_base_llm):
    long = tiny_base_llm.chat(MESSAGES, greedy(24))
    short = tiny_base_llm.chat(MESSAGES, greedy(6))
    assert long and long == tiny_base_llm.chat(MESSAGES, greedy(24))
    assert long.startswith(short) and len(short) < len(long)


@pytest.mark.parametrize("adapter", [AdapterChoice(), AdapterChoice(name="ecs")])
def test_streaming_equals_non_streaming(tiny_llm, adapter):
    options = greedy(32, adapter=adapter)
    pieces = list(tiny_llm.stream(MESSAGES, options))
    assert len(pieces) > 1
    assert "".join(pieces) == tiny_llm.chat(MESSAGES, options)


def test_stop_string_cuts_chat_and_stream(tiny_base_llm):
    full = tiny_base_llm.chat(MESSAGES, greedy(32, repetition_penalty=1.0))
    stop = full[8:10]
    expected = full[: full.find(stop)]
    options = greedy(32, repetition_penalty=1.0, stop=(stop,))
    assert tiny_base_llm.chat(MESSAGES, options) == expected
    assert "".join(tiny_base_llm.stream(MESSAGES, options)) == expected


def test_abandoned_stream_releases_the_model(tiny_base_llm):
    stream = tiny_base_llm.stream(MESSAGES, greedy(200))
    next(stream)
    stream.close()
    assert not tiny_base_llm.lock.locked()
    assert tiny_base_llm.chat(MESSAGES, greedy(4))


def test_repetition_penalty_follows_the_formula(tiny_base_llm):
    import torch

    prompt_ids = set(tiny_base_llm.encode_prompt(MESSAGES))
    raw, scores = tiny_base_llm.first_token_scores(MESSAGES, greedy(1, repetition_penalty=1.2))
    seen = torch.zeros_like(raw, dtype=torch.bool)
    seen[list(prompt_ids)] = True
    expected = torch.where(raw > 0, raw / 1.2, raw * 1.2)
    assert torch.allclose(scores[seen], expected[seen])
    assert torch.equal(scores[~seen], raw[~seen])
    assert not torch.allclose(scores[seen], raw[seen])
    raw_off, scores_off = tiny_base_llm.first_token_scores(MESSAGES, greedy(1, repetition_penalty=1.0))
    assert torch.equal(raw_off, raw) and torch.equal(scores_off, raw_off)


def test_sampling_options_apply_temperature_and_top_k(tiny_base_llm):
    import torch

    options = GenerationOptions(max_tokens=1, temperature=0.5, top_k=5, repetition_penalty=1.0)
    raw, scores = tiny_base_llm.first_token_scores(MESSAGES, options)
    kept = torch.isfinite(scores)
    assert kept.sum().item() == 5
    assert torch.equal(kept, torch.zeros_like(kept).index_fill_(0, raw.topk(5).indices, True))
    assert torch.allclose(scores[kept], raw[kept] / 0.5)
    text = tiny_base_llm.chat(MESSAGES, GenerationOptions(max_tokens=8, temperature=0.8, top_p=0.9))
    assert isinstance(text, str)


def test_min_tokens_suppresses_end_of_turn(tiny_base_llm):
    import math

    eos = tiny_base_llm.tokenizer.convert_tokens_to_ids("<|im_end|>")
    _, free = tiny_base_llm.first_token_scores(MESSAGES, greedy(1, repetition_penalty=1.0))
    _, forced = tiny_base_llm.first_token_scores(MESSAGES, greedy(1, repetition_penalty=1.0, min_tokens=1))
    assert math.isfinite(free[eos].item()) and forced[eos].item() == -math.inf


def test_batch_equals_one_by_one(tiny_llm):
    conversations = [MESSAGES, OTHER, [ChatMessage("user", "你好")]]
    options = greedy(16, adapter=AdapterChoice(name="db"))
    one_by_one = [tiny_llm.chat(c, options) for c in conversations]
    assert tiny_llm.chat_batch(conversations, options) == one_by_one
    assert tiny_llm.chat_batch(conversations, options, batch_size=2) == one_by_one
    assert tiny_llm.chat_batch([], options) == []


def test_prompt_longer_than_the_context_is_a_model_error(tiny_base_llm):
    from models.errors import ModelError

    limit = tiny_base_llm.context_length
    long_text = "云服务器" * limit
    with pytest.raises(ModelError, match="上下文长度"):
        tiny_base_llm.chat([ChatMessage("user", long_text)], greedy(8))
    with pytest.raises(ModelError, match="models.llm.max_tokens"):
        list(tiny_base_llm.stream(MESSAGES, greedy(limit)))
    assert not tiny_base_llm.lock.locked()


def test_describe_names_model_device_and_adapters(tiny_llm):
    info = tiny_llm.describe()
    assert info["backend"] == "transformers" and info["generative"] is True
    assert info["device"] == "cpu" and info["dtype"] == "float32"
    assert info["adapters"] == ["db", "ecs"]
    assert {a["domain"] for a in info["adapter_info"]} == {"云服务器", "云数据库"}
    assert "tiny-qwen2" in info["description"]


def test_stop_criteria_look_only_at_generated_text(tiny_base_llm):
    import torch

    from models.llm.generation import StopTextCriteria

    tok = tiny_base_llm.tokenizer
    prompt = tok("参考资料：端口", add_special_tokens=False)["input_ids"]  # a stop string inside the prompt
    generated = [tok("检查安全组", add_special_tokens=False)["input_ids"], tok("见参考", add_special_tokens=False)["input_ids"]]
    width = max(map(len, generated))
    # finished rows are padded on the right during generation
    ids = torch.tensor([prompt + g + [tok.pad_token_id] * (width - len(g)) for g in generated])
    criteria = StopTextCriteria(tok, ("参考",), prompt_length=len(prompt))
    assert criteria(ids, None).tolist() == [False, True]
    assert StopTextCriteria(tok, (), len(prompt))(ids, None).tolist() == [False, False]
