"""A how-to whose action the page's title names gets the page's steps, whatever qualifier
(an OS, a user name) the question adds (graph/evidence._titled_action; issue 12)."""

from __future__ import annotations

import pytest

from graph.evidence import _titled_action
from tests.graph.conftest import asker


@pytest.fixture(scope="module")
def ask(keyword_demo):
    return asker(keyword_demo, "titled-action")


def test_the_asked_action_is_read_from_the_how_to():
    page = {"title": "重置实例密码"}
    assert _titled_action("Windows 实例的密码要怎么重置", page)
    assert _titled_action("如何重置 root 密码", page)
    assert not _titled_action("怎么登录实例", page)
    assert not _titled_action("重置后登录不上", page)  # no how-to asked


@pytest.mark.parametrize("question", ["Windows 实例的密码要怎么重置", "linux 机器如何重置 root 密码"])
def test_a_qualified_how_to_gets_the_reset_steps_not_the_rows_naming_the_qualifier(ask, question):
    answer = ask(question)["answer"]
    assert "重置密码" in answer and answer.lstrip().startswith("1.")
    assert "可能原因" not in answer
