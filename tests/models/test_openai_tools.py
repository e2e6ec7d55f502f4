"""The openai backend's tool calling against a local server that parses and streams tool_calls
the way vLLM does (`--enable-auto-tool-choice --tool-call-parser hermes`), LoRA modules included."""

from __future__ import annotations

import json

import pytest

from models.config import ModelSettings
from models.llm.base import AdapterChoice, AssistantReply, ChatMessage, GenerationOptions, ModelToolCall, ToolSpec
from models.llm.base import tool_support
from models.llm.registry import create_llm
from tests.models.fake_openai_server import FakeOpenAIServer

TCP = ToolSpec("tcp_port_check", "检查 TCP 端口", {
    "type": "object", "properties": {"host": {"type": "string"}, "port": {"type": "integer"}},
    "required": ["host", "port"]})
QUESTION = [ChatMessage("system", "你是排障助手"), ChatMessage("user", "203.0.113.10 的 SSH 连不上")]


def agent_reply(model: str, messages: list[dict], tools: list[dict] | None = None):
    """First turn: two calls (one with broken arguments); after results: a conclusion naming the model."""
    if messages[-1]["role"] == "tool":
        return f"{model}：端口 22 不通 [T1]。"
    if not tools or tools[0]["function"]["name"] != "tcp_port_check":
        return "pong"  # the startup probe
    return {"content": "先检查端口。",
            "tool_calls": [{"name": "tcp_port_check", "arguments": {"host": "203.0.113.10", "port": 22}},
                           {"name": "tcp_port_check", "arguments": '{"host": "203.0.113.10", "port": '}]}


def settings(url: str, **llm) -> ModelSettings:
    return ModelSettings.model_validate({
        "llm": {"backend": "openai", "base_url": url, "model_name": "qwen2.5", "retry_backoff_s": 0.01, **llm},
        "adapters": {"served_names": {"agent": "agent-lora"}}})


@pytest.fixture
def server():
    with FakeOpenAIServer(models=["qwen2.5", "agent-lora"], reply=agent_reply) as srv:
        yield srv


def test_startup_probe_finds_tool_support(server, tmp_path):
    llm = create_llm(settings(server.url), tmp_path)
    support = tool_support(llm)
    assert support.supported and support.format == "openai"
    probe = server.chat_requests()[0]
    assert probe["tool_choice"] == "auto" and probe["max_tokens"] == 1
    assert llm.describe()["tools"]["supported"] is True


def test_server_without_the_flags_is_reported_not_used(tmp_path):
    with FakeOpenAIServer(models=["qwen2.5", "agent-lora"], reply=agent_reply, tools_enabled=False) as srv:
        llm = create_llm(settings(srv.url), tmp_path)
        support = tool_support(llm)
        assert not support.supported
        assert "--enable-auto-tool-choice" in support.reason and "models.llm.tool_calling" in support.reason
        off = create_llm(settings(srv.url, tool_calling="off"), tmp_path)
        assert not tool_support(off).supported and len(srv.chat_requests()) == 1  # off: no probe


def test_tool_calls_parsed_whole_and_streamed_alike(server, tmp_path):
    llm = create_llm(settings(server.url), tmp_path)
    options = GenerationOptions(adapter=AdapterChoice(name="agent"))
    whole = llm.chat_tools(QUESTION, options, [TCP])
    body = server.chat_requests()[-1]
    assert body["model"] == "agent-lora" and body["tools"][0]["function"]["name"] == "tcp_port_check"
    pieces = list(llm.stream_tools(QUESTION, options, [TCP]))
    streamed = pieces[-1]
    assert isinstance(streamed, AssistantReply) and "".join(p for p in pieces[:-1] if isinstance(p, str)) == "先检查端口。"
    assert server.chat_requests()[-1]["stream_options"] == {"include_usage": True}
    for reply in (whole, streamed):
        assert reply.content == "先检查端口。"
        assert [(c.name, c.arguments) for c in reply.tool_calls] == [
            ("tcp_port_check", {"host": "203.0.113.10", "port": 22})]
        assert len(reply.malformed) == 1 and "arguments 不是合法的 JSON" in reply.malformed[0]
        assert reply.prompt_tokens > 0 and reply.completion_tokens > 0


def test_results_go_back_in_the_openai_shape(server, tmp_path):
    llm = create_llm(settings(server.url), tmp_path)
    call = ModelToolCall("chatcmpl-tool-0", "tcp_port_check", {"host": "203.0.113.10", "port": 22})
    conversation = QUESTION + [ChatMessage("assistant", "", (call,)),
                               ChatMessage("tool", '{"status": "ok", "summary": "端口不通"}',
                                           tool_call_id="chatcmpl-tool-0", name="tcp_port_check")]
    reply = llm.chat_tools(conversation, GenerationOptions(), [TCP])
    assert reply.content == "qwen2.5：端口 22 不通 [T1]。" and reply.tool_calls == ()
    sent = server.chat_requests()[-1]["messages"]
    assert sent[2]["tool_calls"][0]["function"] == {"name": "tcp_port_check",
                                                    "arguments": json.dumps(call.arguments)}
    assert sent[3] == {"role": "tool", "tool_call_id": "chatcmpl-tool-0",
                       "content": '{"status": "ok", "summary": "端口不通"}'}


def test_unparsed_call_text_in_content_is_reported(tmp_path):
    def raw(model, messages, tools=None):  # vLLM leaves a block it could not parse in the content
        return '<tool_call>\n{"name": "tcp_port_check", "arguments": {"host": }\n</tool_call>'

    with FakeOpenAIServer(models=["qwen2.5", "agent-lora"], reply=raw) as srv:
        llm = create_llm(settings(srv.url, tool_calling="on"), tmp_path)
        for reply in (llm.chat_tools(QUESTION, GenerationOptions(), [TCP]),
                      list(llm.stream_tools(QUESTION, GenerationOptions(), [TCP]))[-1]):
            assert isinstance(reply, AssistantReply)
            assert reply.content == "" and reply.tool_calls == () and "不是合法的 JSON" in reply.malformed[0]
