"""How-to questions that read as value questions lose their steps (graph/question_type.py, issue #12):
an English value word inside a name, a "下一步该查啥", a how-to that also asks where to look."""

from __future__ import annotations

import pytest

from graph.question_type import question_type


@pytest.mark.parametrize("question", [
    "nslookup kubernetes.default 报 can't resolve，下一步该查啥",   # "default" inside a name asks nothing
    "节点上 max-pods 配成 110 了 pod 还是起不来 怎么处理",
    "咋看是哪个初始化容器挂的、它的日志在哪看",                     # how to look; the place is a step
    "服务起不来 接下来要查什么",
])
def test_how_to_questions(question: str) -> None:
    assert question_type(question) == "howto"


@pytest.mark.parametrize("question, kind", [
    ("默认的 max connections 是多少", "value"),
    ("what is the default timeout", "define"),
    ("慢日志在哪看", "value"),                                       # a place alone stays one sentence
    ("kubelet 的 default 配置文件在哪", "value"),
])
def test_value_questions_stay(question: str, kind: str) -> None:
    assert question_type(question) == kind
