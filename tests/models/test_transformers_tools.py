"""The transformers backend offers tools through the chat template (Qwen2.5 style) or, for a
template without tool support, through the built-in Hermes format; both render the same text."""

from __future__ import annotations

import pytest

from models.errors import ModelError
from models.llm.base import AssistantReply, ChatMessage, GenerationOptions, ModelToolCall, ToolSpec, tool_support
from models.llm.chat_render import render_chat
from tests.fixtures.tiny_lm import QWEN25_TOOL_TEMPLATE, build_tiny_model

DNS = ToolSpec("dns_lookup", "解析域名", {"type": "object", "properties": {"name": {"type": "string"}}})
CALL = ModelToolCall("c1", "dns_lookup", {"name": "shop.example.com"})
CONVERSATION = [ChatMessage("system", "你是排障助手"), ChatMessage("user", "域名解析不了"),
                ChatMessage("assistant", "", (CALL,)),
                ChatMessage("tool", '{"status": "ok", "summary": "解析到 203.0.113.10"}',
                            tool_call_id="c1", name="dns_lookup")]


@pytest.fixture(scope="module")
def tool_model_dir(tmp_path_factory):
    return build_tiny_model(tmp_path_factory.mktemp("tool-model") / "tiny-qwen25-tools",
                            chat_template=QWEN25_TOOL_TEMPLATE)


@pytest.fixture(scope="module")
def tool_llm(tool_model_dir):
    from models.llm.transformers_backend import TransformersLLM

    return TransformersLLM.load(tool_model_dir)


def test_template_with_tools_is_used(tool_llm):
    support = tool_support(tool_llm)
    assert support.supported and support.format == "template"
    prompt = render_chat(tool_llm.tokenizer, CONVERSATION, [DNS], "template")
    assert '"name": "dns_lookup"' in prompt and "<tool_response>" in prompt and prompt.endswith("assistant\n")
    assert tool_llm.describe()["tools"]["format"] == "template"


def test_template_without_tools_falls_back_to_the_builtin_format(tiny_base_llm, tool_llm):
    support = tool_support(tiny_base_llm)
    assert support.supported and support.format == "builtin" and "内置" in support.reason
    builtin = render_chat(tiny_base_llm.tokenizer, CONVERSATION, [DNS], "builtin")
    # the built-in format is the text Qwen2.5's own template writes
    assert builtin == render_chat(tool_llm.tokenizer, CONVERSATION, [DNS], "template")


def test_settings_choose_or_refuse_tool_calling(tiny_base_llm):
    with pytest.raises(ModelError, match="models.llm.tool_calling"):
        tiny_base_llm.set_tool_calling("template")
    try:
        tiny_base_llm.set_tool_calling("off")
        assert not tool_support(tiny_base_llm).supported
        with pytest.raises(ModelError, match="tool_calling"):
            tiny_base_llm.chat_tools(CONVERSATION, GenerationOptions(max_tokens=4), [DNS])
    finally:
        tiny_base_llm.set_tool_calling("auto")
    assert tool_support(tiny_base_llm).format == "builtin"


def test_a_tool_turn_generates_and_counts_tokens(tool_llm):
    options = GenerationOptions(max_tokens=12)
    reply = tool_llm.chat_tools(CONVERSATION, options, [DNS])
    assert isinstance(reply, AssistantReply)
    prompt = render_chat(tool_llm.tokenizer, CONVERSATION, [DNS], "template")
    assert reply.prompt_tokens == len(tool_llm.tokenizer(prompt, add_special_tokens=False)["input_ids"])
    assert 0 < reply.completion_tokens <= 12
    streamed = list(tool_llm.stream_tools(CONVERSATION, options, [DNS]))
    final = streamed[-1]
    assert isinstance(final, AssistantReply) and final.raw == reply.raw  # greedy: the same text
    assert "".join(p for p in streamed[:-1] if isinstance(p, str)).strip() == final.content
