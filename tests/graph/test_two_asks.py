"""Two asks in one message, the second with no subject of its own: split finds it, gives it the first
ask's subject, and the reply answers both (graph/questions.py, graph/sibling_answer.py)."""

from __future__ import annotations

import pytest

from graph.question_type import question_type
from graph.questions import domain_terms, split_message
from graph.sibling_answer import own_lines

TERMS = domain_terms({"云服务器", "实例", "云盘", "mysql", "扩容", "快照"})


@pytest.mark.parametrize("message, expected", [
    # a measure word (多大/多长) asks as 多少 does; the subject is named before the first ask's predicate
    ("系统盘能单独卸下来吗，最大能有多大", ["系统盘能单独卸下来吗", "系统盘 最大能有多大"]),
    ("pod 删除的时候默认给多长时间优雅退出 到点了还没停会咋样",
     ["pod 删除的时候默认给多长时间优雅退出", "pod 到点了还没停会咋样"]),
    # a spoken modal…不 around a value asks yes or no
    ("云解析默认ttl是多少 免费版能调到60秒不", ["云解析默认ttl是多少", "云解析默认ttl 免费版能调到60秒不"]),
    # a connector right after an ask, no punctuation between
    ("云盘能缩容吗另外扩容要重启不", ["云盘能缩容吗", "扩容要重启不"]),
    ("mysql备份默认保留多久以及最长能设多久", ["mysql备份默认保留多久", "mysql备份默认保留 最长能设多久"]),
    ("专线带宽最大多少然后能不能临时升", ["专线带宽最大多少", "专线带宽 能不能临时升"]),
    # an ask with nothing of its own takes the first ask's whole subject, not its first term alone
    ("tidb 单行数据默认最大多大？能调大不", ["tidb 单行数据默认最大多大", "tidb 单行数据默认 能调大不"]),
    # 几 with a span of time asks a number as 几个 does ("默认几秒探一次")
    ("快照默认几小时做一次 失败了会重试吗", ["快照默认几小时做一次", "快照 失败了会重试吗"]),
    ("重启要等几分钟，期间数据会丢吗", ["重启要等几分钟", "期间数据会丢吗"]),
    # 几 with the units a value question counts (几块, 几台) or a time of day (几点) asks a number too
    ("快照每天几点开始做 失败了会重试吗", ["快照每天几点开始做", "快照 失败了会重试吗"]),
    ("一个实例最多能挂几块云盘 每块最大多少", ["一个实例最多能挂几块云盘", "一个实例 云盘 每块最大多少"]),
    # a 吗 running into another ask with no punctuation ends the first ask
    ("快照收费吗自动快照最多保留几个", ["快照收费吗", "自动快照最多保留几个"]),
    ("云盘扩容需要重启吗要等多久生效", ["云盘扩容需要重启吗", "云盘扩容 要等多久生效"]),
    ("mysql 支持读写分离吗怎么开", ["mysql 支持读写分离吗", "mysql 支持读写分离 怎么开"]),  # a short ask after it
    ("快照失败了会重试吗最多重试几次", ["快照失败了会重试吗", "快照 最多重试几次"]),  # 最多 puts a value in question
    ("云服务器能重置密码吗windows呢", ["云服务器能重置密码吗", "windows能重置密码吗"]),  # the same ask, another case
    # a modal, its verb and a final particle ask on their own however short ("能改吗")
    ("mysql 备份默认保留几天 能改吗", ["mysql 备份默认保留几天", "mysql 备份默认保留 能改吗"]),
    # a later ask timed by the first ask's action
    ("实例能降配吗？降的时候要关机不", ["实例能降配吗", "实例 降的时候要关机不"]),
    ("云盘能扩容吗，扩的时候要停机吗", ["云盘能扩容吗", "云盘 扩容的时候要停机吗"]),
])
def test_the_second_ask_is_found_and_given_the_first_asks_subject(message, expected):
    assert split_message(message, TERMS) == expected


@pytest.mark.parametrize("message", [
    "我重启了然后就连不上了怎么办",  # 然后 inside one story, one ask
    "差不多大的盘怎么选",  # 差不多大 asks no size
    "云盘好几秒才响应 怎么排查",  # 好几秒 counts nothing
    "有几点需要注意 怎么配置快照",  # 有几点: some points, not a time of day
    "这个能用吗我试了一下不行",  # what follows the 吗 asks nothing
    "root密吗忘了能不关机重置吗",  # a 吗 inside a clause (密码 mistyped) opens nothing after it
    "ssh连不上 急",
    "除了升级规格还有什么办法",
])
def test_one_ask_stays_whole(message):
    assert split_message(message, TERMS) == [message]


def test_a_time_after_an_action_asks_a_value():
    assert question_type("增值税专用发票 申请后几天能开出来") == "value"
    assert question_type("前几天能登录现在不行了") != "value"  # "a few days ago", no ask of a duration


def _lines_sharing(question: str, passages: list[dict]) -> list[dict]:
    """A scripted extractive answer: the passage line sharing most characters with the question."""
    lines = [ln for p in passages for ln in str(p["text"]).splitlines() if ln.strip()]
    if not lines:
        return []
    best = max(lines, key=lambda ln: sum(ch in question for ch in set(ln)))
    return [{"text": best.strip(), "cites": [1]}]


PAGE = [{"chunk_id": "c1", "source": "faq/cert-lifetime.md",
         "text": "工作负载证书的生命周期默认为 **24 小时**。\n可以通过 proxyMetadata 字段改成别的值，超过 90 天不被接受。"}]


def test_a_later_ask_holding_only_its_siblings_line_gets_the_pages_next_line():
    first, later = "工作负载证书默认多久过期", "工作负载证书默认 能改成更长的吗"
    units = _lines_sharing(later, PAGE)
    assert units == _lines_sharing(first, PAGE)  # the carried subject outweighs the ask's own words
    again = own_lines(later, first, units, PAGE, _lines_sharing)
    assert again is not None
    lines, evidence = again
    assert "proxyMetadata" in lines[0]["text"] and "24" not in lines[0]["text"]
    assert "24 小时" not in evidence[0]["text"]  # struck through its bold marks


def test_a_later_ask_with_its_own_line_keeps_it():
    first, later = "工作负载证书默认多久过期", "proxyMetadata 字段能设超过 90 天吗"
    units = _lines_sharing(later, PAGE)
    assert own_lines(later, first, units, PAGE, _lines_sharing) is None


def test_both_asks_of_a_message_are_answered_on_the_demo_base(demo_knowledge):
    """"系统盘能单独卸下来吗，最大能有多大": split at 多大, the second ask carries 系统盘, and both facts of the
    disk page (detached only when the instance is off; up to 1024 GiB) are in the reply."""
    from graph.service import Copilot
    from tests.graph.conftest import make_context

    result = Copilot(make_context(demo_knowledge)).ask("系统盘能单独卸下来吗，最大能有多大", "two-asks-1",
                                                       kb="demo").to_json()
    assert len(result["standalone"]) == 2 and result["standalone"][1].startswith("系统盘"), result["standalone"]
    text = result["answer"].split("**参考来源**")[0]
    assert "1024" in text and "关机" in text, text


def test_a_later_ask_acting_on_what_the_first_counted_carries_it():
    terms = domain_terms({"deployment", "replicaset"})
    assert split_message("deployment 默认保留几个旧的 replicaset，删掉了还能回滚吗", terms)[1] == \
        "deployment replicaset 删掉了还能回滚吗"


def test_a_story_before_the_first_ask_is_not_carried_whole():
    terms = domain_terms({"root", "密码", "关机", "pod", "节点"})
    second = split_message("pod 已经调度到节点上了，可状态一直卡在 Waiting 起不来，一般是啥原因？要先查哪几样", terms)[1]
    assert second.endswith("要先查哪几样") and "Waiting" not in second, second
