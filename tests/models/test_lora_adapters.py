"""LoRA adapters on the tiny model: saved, loaded, switched, disabled, combined, shared."""

from __future__ import annotations

import threading

import pytest

from models.errors import ModelError
from models.llm.base import AdapterChoice, ChatMessage, GenerationOptions

MESSAGES = [ChatMessage("user", "云数据库连接超时，白名单已经配置了")]


def options(adapter: AdapterChoice, n: int = 16) -> GenerationOptions:
    return GenerationOptions(max_tokens=n, adapter=adapter)


def logits(llm, adapter: AdapterChoice):
    raw, _ = llm.first_token_scores(MESSAGES, options(adapter, 1))
    return raw


def test_peft_saved_each_adapter_in_its_own_folder(tiny_adapters_dir):
    for name in ("ecs", "db"):
        folder = tiny_adapters_dir / name
        assert (folder / "adapter_config.json").is_file() and (folder / "adapter_model.safetensors").is_file()
        assert (folder / "meta.json").is_file()


def test_adapters_switch_and_differ(tiny_llm):
    import torch

    base, ecs, db = (logits(tiny_llm, AdapterChoice(name=n)) if n else logits(tiny_llm, AdapterChoice()) for n in (None, "ecs", "db"))
    assert not torch.allclose(base, ecs) and not torch.allclose(base, db) and not torch.allclose(ecs, db)
    texts = {n: tiny_llm.chat(MESSAGES, options(AdapterChoice(name=n))) for n in ("ecs", "db")}
    texts["base"] = tiny_llm.chat(MESSAGES, options(AdapterChoice()))
    assert len(set(texts.values())) == 3
    # switching back gives the same output again
    assert tiny_llm.chat(MESSAGES, options(AdapterChoice(name="ecs"))) == texts["ecs"]


def test_disabled_adapter_equals_plain_base_exactly(tiny_llm, tiny_base_llm):
    import torch

    assert torch.equal(logits(tiny_llm, AdapterChoice()), logits(tiny_base_llm, AdapterChoice()))
    assert tiny_llm.chat(MESSAGES, options(AdapterChoice())) == tiny_base_llm.chat(MESSAGES, options(AdapterChoice()))


def test_zero_weight_turns_an_adapter_off(tiny_llm):
    import torch

    only_ecs = logits(tiny_llm, AdapterChoice(weights={"ecs": 1.0, "db": 0.0}))
    assert torch.allclose(only_ecs, logits(tiny_llm, AdapterChoice(name="ecs")), atol=1e-5)
    assert AdapterChoice(weights={"ecs": 0.0}).is_base


def test_weighted_combination_is_the_weighted_sum_of_deltas(tiny_llm):
    import torch

    weights = {"ecs": 0.7, "db": 0.3}
    mixed = logits(tiny_llm, AdapterChoice(weights=weights))
    assert not torch.allclose(mixed, logits(tiny_llm, AdapterChoice(name="ecs")))
    peft_model = tiny_llm.model
    combo = tiny_llm.loras.combined_name(weights)
    assert combo is not None
    layer = peft_model.base_model.model.model.layers[0].self_attn.q_proj
    expected = 0.7 * layer.get_delta_weight("ecs") + 0.3 * layer.get_delta_weight("db")
    assert torch.allclose(layer.get_delta_weight(combo), expected, atol=1e-5)
    before = len(peft_model.peft_config)
    logits(tiny_llm, AdapterChoice(weights=dict(reversed(list(weights.items())))))
    assert len(peft_model.peft_config) == before  # cached by weights, not rebuilt


def test_unknown_adapter_is_a_clear_error(tiny_llm, tiny_base_llm):
    with pytest.raises(ModelError, match="oss"):
        tiny_llm.chat(MESSAGES, options(AdapterChoice(name="oss")))
    with pytest.raises(ModelError, match="models.adapters.dir"):
        tiny_base_llm.chat(MESSAGES, options(AdapterChoice(name="ecs")))
    assert not tiny_llm.lock.locked()


def test_concurrent_sessions_share_one_model_safely(tiny_llm):
    choices = [AdapterChoice(), AdapterChoice(name="ecs"), AdapterChoice(name="db"), AdapterChoice(weights={"ecs": 0.5, "db": 0.5})]
    expected = {i: tiny_llm.chat(MESSAGES, options(c)) for i, c in enumerate(choices)}
    results: dict[tuple[int, int], str] = {}
    errors: list[BaseException] = []

    def session(i: int) -> None:
        try:
            for round_ in range(3):
                if round_ % 2:
                    results[(i, round_)] = "".join(tiny_llm.stream(MESSAGES, options(choices[i])))
                else:
                    results[(i, round_)] = tiny_llm.chat(MESSAGES, options(choices[i]))
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=session, args=(i,)) for i in range(len(choices))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors
    assert len(results) == 12
    for (i, _), text in results.items():
        assert text == expected[i]
