"""A later ask opened anew (另外/顺便问下/对了) that names a thing of the base keeps its own subject (issue #12)."""

from __future__ import annotations

import pytest

from graph.nodes.rewrite import opened_anew
from tests.graph.conftest import asker


@pytest.fixture(scope="module")
def ask(keyword_demo):
    return asker(keyword_demo, "ownsubject")


def test_an_opener_before_the_sub_question_is_found():
    assert opened_anew("只读实例最多能建几个？顺便问下锁等待超时默认是几秒", "锁等待超时默认是几秒")
    assert opened_anew("A 多少？对了，B 多少", "B 多少")
    assert not opened_anew("白名单在哪加？加完要重启吗", "加完要重启吗")
    assert not opened_anew("只读实例另外的参数", "的参数")  # 另外 inside a clause opens nothing


@pytest.mark.parametrize("message, own", [
    ("只读实例最多能建几个？顺便问下锁等待超时默认是几秒", "锁等待超时默认是几秒"),
    ("CDN 刷新一天能刷多少条？顺便问下回源超时是多少秒", "回源超时是多少秒"),
    ("每台实例最多挂几块数据盘？另外健康检查超时默认是几秒", "健康检查超时默认是几秒"),
])
def test_a_later_ask_naming_its_own_thing_is_not_glued_to_the_first(ask, message, own):
    assert ask(message)["standalone"][1] == own


@pytest.mark.parametrize("message, thing", [
    ("生命周期规则怎么配置？另外多久能生效", "生命周期规则"),
    ("自定义镜像每个地域最多存几个？对了最多能共享给几个账号", "自定义镜像"),  # 账号: an attribute, no thing of its own
])
def test_an_elliptic_later_ask_still_leans_on_the_first(ask, message, thing):
    assert thing in ask(message)["standalone"][1]
