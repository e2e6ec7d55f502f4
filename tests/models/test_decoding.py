"""Stop strings in streamed text and decoding defaults from settings."""

from __future__ import annotations

from models.llm.base import AdapterChoice
from models.llm.decoding import StopFilter, cut_at_stop, options_from_settings
from models.llm.extractive import ExtractiveSettings


def run(pieces, stop):
    f = StopFilter(stop)
    out = "".join(f.feed(p) for p in pieces)
    return out + f.flush(), f.stopped


def test_stop_split_across_pieces_is_never_emitted():
    assert run(["答案是 4", "2<|", "im_end|>后面"], ("<|im_end|>",)) == ("答案是 42", True)


def test_partial_prefix_released_when_not_a_stop():
    assert run(["a<", "|x", "y"], ("<|im_end|>",)) == ("a<|xy", False)
    assert run(["结尾<|"], ("<|im_end|>",)) == ("结尾<|", False)


def test_earliest_of_several_stops_wins():
    assert cut_at_stop("一\n二###三", ("###", "\n")) == "一"
    assert run(["x", "yz"], ()) == ("xyz", False)


def test_options_from_settings():
    llm = ExtractiveSettings(max_tokens=64, temperature=0.7, top_k=20, repetition_penalty=1.1)
    options = options_from_settings(llm, AdapterChoice(name="ecs"), stop=("\n",))
    assert (options.max_tokens, options.temperature, options.top_k) == (64, 0.7, 20)
    assert options.repetition_penalty == 1.1 and options.adapter.name == "ecs" and options.stop == ("\n",)
