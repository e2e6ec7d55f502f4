"""Model calls from the graph use the configured decoding (repetition penalty, sampling, max tokens)."""

from __future__ import annotations

from graph.context import GraphContext
from graph.model_calls import ask_model, stream_model
from models.llm.base import AdapterChoice
from models.llm.decoding import options_from_settings
from models.llm.extractive import ExtractiveSettings
from models.llm.scripted import ScriptedLLM


def test_configured_decoding_reaches_the_backend():
    llm = ScriptedLLM(["是", "好的"])
    decoding = options_from_settings(ExtractiveSettings(temperature=0.7, top_p=0.9, repetition_penalty=1.3, max_tokens=300))
    ctx = GraphContext(llm=llm, knowledge=None, decoding=decoding)
    assert ask_model(ctx, "general", max_tokens=16, question="你好") == "是"
    list(stream_model(ctx, "general", adapter=AdapterChoice(name="ecs"), question="你好"))
    (_, short), (_, streamed) = llm.calls
    assert (short.temperature, short.top_p, short.repetition_penalty, short.max_tokens) == (0.7, 0.9, 1.3, 16)
    assert (streamed.repetition_penalty, streamed.max_tokens, streamed.adapter.name) == (1.3, 300, "ecs")


def test_default_context_keeps_the_default_repetition_penalty():
    llm = ScriptedLLM(["好"])
    ctx = GraphContext(llm=llm, knowledge=None)
    ask_model(ctx, "general", question="你好")
    assert llm.calls[0][1].repetition_penalty == 1.2
