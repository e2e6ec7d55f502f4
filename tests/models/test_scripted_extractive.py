"""The no-model default, the scripted test backend and the backend registry."""

from __future__ import annotations

import pytest

from models.config import ModelSettings
from models.errors import ModelError
from models.llm.base import ChatMessage, GenerationOptions, LLMBackend
from models.llm.extractive import ExtractiveLLM
from models.llm.registry import adapter_names, chat_batch, create_llm
from models.llm.scripted import ScriptedLLM

USER = [ChatMessage("user", "云服务器无法登录怎么办？")]


def test_scripted_replays_in_order_and_records_calls():
    llm = ScriptedLLM(["第一条", "第二条"])
    options = GenerationOptions(max_tokens=10)
    assert llm.chat(USER, options) == "第一条"
    assert "".join(llm.stream(USER, options)) == "第二条"
    assert [call[0] for call in llm.calls] == [USER, USER]
    assert llm.calls[0][1] is options
    with pytest.raises(RuntimeError, match="ran out"):
        llm.chat(USER, options)


def test_scripted_callable_stop_and_max_tokens():
    llm = ScriptedLLM(lambda messages, options: f"回答：{messages[-1].content}\n结束")
    assert llm.chat(USER, GenerationOptions(stop=("\n",))) == "回答：云服务器无法登录怎么办？"
    assert llm.chat(USER, GenerationOptions(max_tokens=3)) == "回答："
    pieces = list(llm.stream(USER, GenerationOptions(stop=("结束",))))
    assert len(pieces) > 1 and "".join(pieces) == "回答：云服务器无法登录怎么办？\n"


def test_scripted_cycle_and_batch():
    llm = ScriptedLLM(["甲", "乙"], cycle=True)
    assert chat_batch(llm, [USER, USER, USER], GenerationOptions()) == ["甲", "乙", "甲"]


def test_extractive_is_not_generative_and_says_so():
    llm = ExtractiveLLM()
    assert isinstance(llm, LLMBackend)
    assert llm.generative is False
    assert llm.describe()["description"] == "抽取式模式（未配置生成模型）"
    with pytest.raises(RuntimeError):
        llm.chat(USER, GenerationOptions())


def test_registry_default_is_extractive(tmp_path):
    llm = create_llm(ModelSettings(), tmp_path)
    assert llm.name == "extractive" and not llm.generative
    assert adapter_names(llm) == []


def test_registry_scripted_from_settings(tmp_path):
    settings = ModelSettings.model_validate({"llm": {"backend": "scripted", "scripted_outputs": ["好的"]}})
    llm = create_llm(settings, tmp_path)
    assert isinstance(llm, LLMBackend) and llm.generative
    assert llm.chat(USER, GenerationOptions()) == "好的"
    with pytest.raises(ModelError, match="scripted_outputs"):
        create_llm(ModelSettings.model_validate({"llm": {"backend": "scripted"}}), tmp_path)


def test_registry_unknown_backend_suggests_closest(tmp_path):
    from app.settings import SettingsError, load_settings

    config = tmp_path / "c.yaml"
    config.write_text("models:\n  llm:\n    backend: transformer\n", encoding="utf-8")
    with pytest.raises(SettingsError) as err:
        load_settings(config, env={})
    assert "models.llm.backend" in str(err.value) and "是否想用 transformers" in str(err.value)
