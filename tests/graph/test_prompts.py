"""Every shipped prompt file loads, has its required fields, and renders."""

from __future__ import annotations

import pytest

from graph.progress import Stage
from graph.prompts import PromptFileError, PromptTemplate, all_prompt_names, load_prompt, replies, stage_labels


@pytest.mark.parametrize("name", all_prompt_names())
def test_prompt_files_load_with_required_fields(name):
    prompt = load_prompt(name)
    assert prompt.fields and set(prompt.fields) == prompt.used_fields()
    system, user = prompt.render(**{f: "测试" for f in prompt.fields})
    assert system.strip() and "测试" in user


def test_all_shipped_prompts_are_listed():
    assert {"guard", "split", "rewrite", "route", "expand", "answer", "verify", "general"} <= set(all_prompt_names())
    assert "replies" not in all_prompt_names()


def test_render_rejects_missing_or_unknown_fields():
    prompt = load_prompt("guard")
    with pytest.raises(PromptFileError):
        prompt.render(message="x")
    with pytest.raises(PromptFileError):
        prompt.render(message="x", domain="y", extra="z")


def test_declared_fields_must_match_the_template():
    bad = PromptTemplate.model_validate({"fields": ["question"], "system": "s", "user": "{question} {knowledge}"})
    assert bad.used_fields() == {"question", "knowledge"} != set(bad.fields)


def test_every_stage_has_a_label_in_order():
    labels = stage_labels()
    assert [s.value for s in Stage] == list(labels)
    assert Stage.RETRIEVE.label == "检索" and Stage.UNDERSTAND.label == "理解问题"


def test_answer_prompt_asks_for_citations_and_hides_reasoning():
    system = load_prompt("answer").system
    assert "[n]" in system and "思考过程" in system and "FAQ" in system


def test_prompt_model_rejects_unknown_keys():
    with pytest.raises(ValueError):
        PromptTemplate.model_validate({"fields": ["question"], "system": "s", "user": "{question}", "temperature": 0})


def test_replies_have_placeholders_the_nodes_fill():
    texts = replies()
    assert "{topics}" in texts["refusal"]
    assert "{length}" in texts["too_long"] and "{limit}" in texts["too_long"]
    assert "{items}" in texts["nearest"] and "{items}" in texts["unanswered"]
