"""Tool calls in generated text (Hermes / Qwen2.5 `<tool_call>` blocks), the streaming filter,
the built-in rendering for templates without tools, and tool support per backend."""

from __future__ import annotations

import pytest

from models.llm.base import (AssistantReply, ChatMessage, GenerationOptions, ModelToolCall, ToolSpec, tool_support)
from models.llm.extractive import ExtractiveLLM
from models.llm.scripted import ScriptedLLM
from models.llm.tool_calls import HiddenCalls, builtin_messages, call_text, parse_tool_calls

DNS = ToolSpec("dns_lookup", "解析域名", {"type": "object", "properties": {"name": {"type": "string"}},
                                        "required": ["name"]})


def test_calls_are_parsed_and_hidden_from_the_text():
    text = ('先检查域名解析。\n<tool_call>\n{"name": "dns_lookup", "arguments": {"name": "shop.example.com"}}\n'
            '</tool_call>\n<tool_call>\n{"name": "tcp_port_check", "arguments": "{\\"host\\": \\"a.com\\", '
            '\\"port\\": 443}"}\n</tool_call>')
    reply = parse_tool_calls(text, 10, 20)
    assert reply.content == "先检查域名解析。"
    assert [(c.name, c.arguments) for c in reply.tool_calls] == [
        ("dns_lookup", {"name": "shop.example.com"}), ("tcp_port_check", {"host": "a.com", "port": 443})]
    assert reply.malformed == () and reply.tokens == 30 and reply.raw == text
    assert len({c.id for c in reply.tool_calls}) == 2


@pytest.mark.parametrize("block, why", [
    ('<tool_call>{"name": "dns_lookup", "arguments": {"name": }}</tool_call>', "不是合法的 JSON"),
    ('<tool_call>{"arguments": {}}</tool_call>', "缺少 name"),
    ('<tool_call>["dns_lookup"]</tool_call>', "JSON 对象"),
    ('<tool_call>{"name": "dns_lookup", "arguments": [1]}</tool_call>', "arguments 必须是 JSON 对象"),
    ('<tool_call>{"name": "dns_lookup", "arguments": {"name": "a', "没有结束标记"),
    ('<tool_call>  </tool_call>', "为空"),
])
def test_unusable_blocks_are_reported_not_shown(block, why):
    reply = parse_tool_calls("好的。" + block)
    assert reply.tool_calls == () and len(reply.malformed) == 1 and why in reply.malformed[0]
    assert reply.content == "好的。"


def test_plain_answer_has_no_calls():
    reply = parse_tool_calls("结论：DNS 正常 [T1]。")
    assert reply == AssistantReply("结论：DNS 正常 [T1]。", raw="结论：DNS 正常 [T1]。")


def test_streaming_filter_never_shows_call_text():
    text = '我来查一下<tool_call>\n{"name": "dns_lookup", "arguments": {}}\n</tool_call>'
    for size in (1, 2, 3, 7):
        hidden = HiddenCalls()
        shown = "".join(hidden.feed(text[i:i + size]) for i in range(0, len(text), size)) + hidden.flush()
        assert shown == "我来查一下"
    hidden = HiddenCalls()
    assert hidden.feed("端口 <tool") == "端口 " and hidden.feed("s 正常") == "<tools 正常" and hidden.flush() == ""


def test_builtin_rendering_for_templates_without_tools():
    call = ModelToolCall("c1", "dns_lookup", {"name": "a.com"})
    messages = [ChatMessage("system", "你是排障助手"), ChatMessage("user", "域名解析不了"),
                ChatMessage("assistant", "", (call,)),
                ChatMessage("tool", '{"status": "ok"}', tool_call_id="c1", name="dns_lookup"),
                ChatMessage("tool", '{"status": "timeout"}', tool_call_id="c2", name="ping")]
    out = builtin_messages(messages, [DNS])
    assert [m["role"] for m in out] == ["system", "user", "assistant", "user"]
    assert out[0]["content"].startswith("你是排障助手\n\n# Tools") and '"name": "dns_lookup"' in out[0]["content"]
    assert "<tool_call>" in out[0]["content"]  # the format instruction
    assert out[2]["content"] == call_text(call)
    assert out[3]["content"].count("<tool_response>") == 2
    assert parse_tool_calls(out[2]["content"]).tool_calls[0].arguments == {"name": "a.com"}


def test_messages_round_trip_through_json():
    call = ModelToolCall("c1", "dns_lookup", {"name": "a.com"})
    for message in (ChatMessage("assistant", "查一下", (call,)),
                    ChatMessage("tool", "结果", tool_call_id="c1", name="dns_lookup"), ChatMessage("user", "你好")):
        assert ChatMessage.from_json(message.to_json()) == message


def test_backends_declare_tool_support():
    assert not tool_support(ExtractiveLLM()).supported
    assert not tool_support(ScriptedLLM(["x"])).supported
    scripted = ScriptedLLM(["x"], tool_outputs=['<tool_call>{"name": "dns_lookup", "arguments": {"name": "a.com"}}'
                                                '</tool_call>'])
    support = tool_support(scripted)
    assert support.supported and support.format == "scripted"
    pieces = list(scripted.stream_tools([ChatMessage("user", "查")], GenerationOptions(), [DNS]))
    assert isinstance(pieces[-1], AssistantReply) and pieces[-1].tool_calls[0].name == "dns_lookup"
    assert scripted.tool_calls[0][2] == [DNS] and scripted.describe()["tools"]["supported"] is True
