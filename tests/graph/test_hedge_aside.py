"""The "partial match" lead-in when the asked words are only an aside of the cited page
(graph/nodes/verify.ASIDE_COVER), and the hedge reading the question as the base spells it."""

from __future__ import annotations

import pytest

from graph.prompts import replies
from tests.graph.conftest import asker


@pytest.fixture(scope="module")
def ask(demo_knowledge):
    return asker(demo_knowledge, "aside")


def _hedged(answer: str) -> bool:
    leads = (replies("zh")["partial_match"].strip(), replies("zh")["partial_match_terms"].strip().split("“")[0])
    return answer.lstrip().startswith(leads)


def test_a_question_the_base_answers_only_in_passing_is_hedged(ask):
    # the demo base has no page on nodes; Pod Pending's fix list names NotReady in one line
    result = ask("k8s 节点 NotReady 怎么查")
    assert _hedged(result["answer"]), result["answer"]


@pytest.mark.parametrize("message", ["pod 一直 Pending 怎么办", "eip 闲置费多少钱"])
def test_a_page_about_the_asked_thing_is_no_partial_match(ask, message):
    result = ask(message)
    assert result["citations"] and not _hedged(result["answer"]), result["answer"]
