"""Every shipped prompt file loads, has its required fields, and renders."""

from __future__ import annotations

import pytest

from graph.prompts import REQUIRED_FIELDS, PromptTemplate, all_prompt_names, load_prompt, replies


@pytest.mark.parametrize("name", all_prompt_names())
def test_prompt_files_load_with_required_fields(name):
    prompt = load_prompt(name)
    assert REQUIRED_FIELDS[name] <= prompt.fields()
    system, user = prompt.render(**{f: "测试" for f in prompt.fields()})
    assert system.strip() and "测试" in user


def test_answer_prompt_asks_for_citations_and_hides_reasoning():
    system = load_prompt("answer").system
    assert "[n]" in system and "思考过程" in system and "FAQ" in system


def test_prompt_model_rejects_unknown_keys():
    with pytest.raises(ValueError):
        PromptTemplate.model_validate({"system": "s", "user": "{question}", "temperature": 0})


def test_replies_have_placeholders_the_nodes_fill():
    texts = replies()
    assert "{topics}" in texts["refusal"]
    assert "{length}" in texts["too_long"] and "{limit}" in texts["too_long"]
    assert "{items}" in texts["nearest"] and "{items}" in texts["unanswered"]
