"""The openai backend against a local OpenAI-compatible server: adapters, streaming, errors."""

from __future__ import annotations

import socket

import pytest

from models.config import ModelSettings
from models.errors import ModelError
from models.llm.base import AdapterChoice, ChatMessage, GenerationOptions
from models.llm.registry import adapter_names, create_llm
from tests.models.fake_openai_server import FakeOpenAIServer

MESSAGES = [ChatMessage("system", "你是排障助手"), ChatMessage("user", "对象存储上传返回 403")]


def settings(url: str, **extra) -> ModelSettings:
    adapters = extra.pop("adapters", {"served_names": {"ecs": "ecs-lora"}})
    # tool_calling off: no startup probe, so request counts below are the calls' own (tools: test_openai_tools.py)
    llm = {"backend": "openai", "base_url": url, "model_name": "base", "retry_backoff_s": 0.01, "max_retries": 2,
           "tool_calling": "off", **extra}
    return ModelSettings.model_validate({"llm": llm, "adapters": adapters})


@pytest.fixture
def server():
    with FakeOpenAIServer(models=["base", "ecs-lora"]) as srv:
        yield srv


def test_chat_routes_adapters_to_served_names(server, tmp_path):
    llm = create_llm(settings(server.url), tmp_path)
    assert adapter_names(llm) == ["ecs"]
    assert llm.chat(MESSAGES, GenerationOptions()) == "base: 对象存储上传返回 403"
    assert llm.chat(MESSAGES, GenerationOptions(adapter=AdapterChoice(name="ecs"))) == "ecs-lora: 对象存储上传返回 403"
    weighted = GenerationOptions(adapter=AdapterChoice(weights={"ecs": 0.6}))
    assert llm.chat(MESSAGES, weighted).startswith("ecs-lora:")
    body = server.chat_requests()[0]
    assert body["messages"][0] == {"role": "system", "content": "你是排障助手"}
    assert body["repetition_penalty"] == 1.2 and body["max_tokens"] == 512 and body["stream"] is False


def test_streaming_equals_chat_and_honours_stop(server, tmp_path):
    llm = create_llm(settings(server.url), tmp_path)
    options = GenerationOptions(adapter=AdapterChoice(name="ecs"))
    pieces = list(llm.stream(MESSAGES, options))
    assert len(pieces) > 3 and "".join(pieces) == llm.chat(MESSAGES, options)
    cut = GenerationOptions(stop=("上传",), top_k=20, min_tokens=2)
    assert "".join(llm.stream(MESSAGES, cut)) == "base: 对象存储" == llm.chat(MESSAGES, cut)
    assert server.chat_requests()[-1]["stop"] == ["上传"] and server.chat_requests()[-1]["top_k"] == 20
    assert server.chat_requests()[-1]["min_tokens"] == 2


def test_api_key_comes_from_the_named_env_var(server, tmp_path, monkeypatch):
    monkeypatch.setenv("MY_LLM_KEY", "sk-test-123")
    llm = create_llm(settings(server.url, api_key_env="MY_LLM_KEY"), tmp_path)
    llm.chat(MESSAGES, GenerationOptions())
    assert server.requests[-1][3].get("Authorization") == "Bearer sk-test-123"


def test_unknown_model_is_a_clear_error(server, tmp_path):
    with pytest.raises(ModelError) as err:
        create_llm(settings(server.url, model_name="qwen-typo"), tmp_path)
    assert "qwen-typo" in str(err.value) and "models.llm.model_name" in str(err.value)
    with pytest.raises(ModelError) as err:
        create_llm(settings(server.url, adapters={"served_names": {"db": "db-lora"}}), tmp_path)
    assert "db-lora" in str(err.value) and "models.adapters.served_names" in str(err.value)
    llm = create_llm(settings(server.url, check_on_start=False, model_name="gone"), tmp_path)
    for call in (lambda: llm.chat(MESSAGES, GenerationOptions()), lambda: list(llm.stream(MESSAGES, GenerationOptions()))):
        with pytest.raises(ModelError) as err:
            call()
        assert "gone" in str(err.value) and "404" in str(err.value) and "models.llm.model_name" in str(err.value)


def test_server_error_is_retried_then_succeeds(server, tmp_path):
    llm = create_llm(settings(server.url), tmp_path)
    server.fail_next = [500, 503]
    assert llm.chat(MESSAGES, GenerationOptions()) == "base: 对象存储上传返回 403"
    assert len(server.chat_requests()) == 3
    server.fail_next = [502]
    assert "".join(llm.stream(MESSAGES, GenerationOptions())) == "base: 对象存储上传返回 403"


def test_persistent_server_error_gives_up_with_message(server, tmp_path):
    llm = create_llm(settings(server.url), tmp_path)
    server.fail_next = [500] * 5
    with pytest.raises(ModelError, match="HTTP 500"):
        llm.chat(MESSAGES, GenerationOptions())
    assert len(server.chat_requests()) == 3  # first try + max_retries=2


def test_unauthorized_names_the_key_variable(server, tmp_path):
    llm = create_llm(settings(server.url, api_key_env="MY_LLM_KEY"), tmp_path)
    server.fail_next = [401]
    with pytest.raises(ModelError, match="MY_LLM_KEY"):
        llm.chat(MESSAGES, GenerationOptions())


def test_connection_refused_names_base_url(tmp_path):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/v1"
    with pytest.raises(ModelError) as err:
        create_llm(settings(url), tmp_path)
    assert url in str(err.value) and "models.llm.base_url" in str(err.value)
    llm = create_llm(settings(url, check_on_start=False), tmp_path)
    with pytest.raises(ModelError, match="models.llm.base_url"):
        list(llm.stream(MESSAGES, GenerationOptions()))


def test_missing_settings_are_named(tmp_path):
    with pytest.raises(ModelError, match="models.llm.base_url"):
        create_llm(ModelSettings.model_validate({"llm": {"backend": "openai"}}), tmp_path)
    with pytest.raises(ModelError, match="models.llm.model_name"):
        create_llm(ModelSettings.model_validate({"llm": {"backend": "openai", "base_url": "http://127.0.0.1:1/v1"}}), tmp_path)


def test_batch_and_describe(server, tmp_path):
    llm = create_llm(settings(server.url), tmp_path)
    conversations = [[ChatMessage("user", f"问题{i}")] for i in range(5)]
    assert llm.chat_batch(conversations, GenerationOptions()) == [f"base: 问题{i}" for i in range(5)]
    info = llm.describe()
    assert info["backend"] == "openai" and info["adapters"] == ["ecs"] and server.url in info["description"]


def test_slow_server_times_out_with_the_setting_named(server, tmp_path):
    llm = create_llm(settings(server.url, timeout_s=0.2), tmp_path)
    server.delay_s = 1.0
    with pytest.raises(ModelError, match="models.llm.timeout_s"):
        llm.chat(MESSAGES, GenerationOptions())
