"""split: deterministic rules on real Chinese messages, the demo eval set, the model strategy."""

from __future__ import annotations

import pytest

from graph.nodes.split import _model_split
from graph.questions import domain_terms, split_message
from models.llm.scripted import ScriptedLLM
from tests.graph.conftest import DEMO_EVAL, make_context, read_jsonl

TERMS = domain_terms({"云服务器", "安全组", "网络 acl", "mysql", "快照"})


@pytest.mark.parametrize("message, expected", [
    ("云服务器 CPU 100% 怎么排查？跟带宽有关吗？", ["云服务器 CPU 100% 怎么排查", "云服务器 CPU 100% 跟带宽有关吗"]),
    ("安全组和网络 ACL 有什么区别", ["安全组和网络 ACL 有什么区别"]),
    ("SSH 连不上怎么办？另外 RDP 默认端口是多少？", ["SSH 连不上怎么办", "RDP 默认端口是多少"]),
    ("怎么重置云服务器密码，顺便问下快照怎么创建", ["怎么重置云服务器密码", "快照怎么创建"]),
    ("1. 怎么重置密码 2. 怎么扩容云盘 3. 安全组怎么配置", ["怎么重置密码", "怎么扩容云盘", "安全组怎么配置"]),
    ("我的云服务器 CPU 100% 了。怎么排查？", ["我的云服务器 CPU 100% 了。怎么排查"]),
    ("mysql 5.7 和 8.0 选哪个", ["mysql 5.7 和 8.0 选哪个"]),  # versions are no numbered list
    ("504了", ["504了"]),
    # questions separated by spaces only: each asking clause ends a question, statements go with the next one
    ("云盘能缩容吗 扩容后要不要重启", ["云盘能缩容吗", "扩容后要不要重启"]),
    ("实例欠费了 多久会停机 快照会删吗", ["实例欠费了 多久会停机", "快照会删吗"]),
    ("实例欠费了 多久会停机 里面的文件会丢吗", ["实例欠费了 多久会停机", "实例 里面的文件会丢吗"]),
    ("新挂的盘看不到 要怎么处理 给个命令", ["新挂的盘看不到 要怎么处理 给个命令"]),
    ("root密吗忘了 能不关机重置吗", ["root密吗忘了 能不关机重置吗"]),  # a 吗 inside a clause is a typo
    ("cdn 回源 host 怎么填", ["cdn 回源 host 怎么填"]),  # spaces around ASCII words are no boundary
    # a connector after a space, and the longer switch phrases stripped whole
    ("快照创建失败了 另外安全组规则最多几条", ["快照创建失败了", "安全组规则最多几条"]),
    ("挂载另外一块盘 怎么分区", ["挂载另外一块盘 怎么分区"]),
    ("另外问一下 快照怎么删除", ["快照怎么删除"]),
    ("换个事 安全组怎么克隆", ["安全组怎么克隆"]),
    # an A-not-A ask after a comma is a question of its own, with the first question's subject
    # (with the how-to's own action: the later ask is about creating one, not about snapshots at large)
    ("快照怎么创建，要不要关机", ["快照怎么创建", "快照 创建 要不要关机"]),
    ("快照怎么创建，需不需要关机", ["快照怎么创建", "快照 创建 需不需要关机"]),
    ("CDN 怎么刷新缓存，多久生效", ["CDN 怎么刷新缓存", "CDN 刷新缓存 多久生效"]),
    ("CDN 怎么刷新缓存，每天能刷新多少条", ["CDN 怎么刷新缓存", "CDN 每天能刷新多少条"]),  # names the action itself
    ("安全组怎么配置，多久生效", ["安全组怎么配置", "安全组 多久生效"]),  # a generic verb is no action
    # a first question without a subject of its own (an attribute) lends nothing to the next one
    ("上限到底是多少？现在登不上去怎么处理", ["上限到底是多少", "现在登不上去怎么处理"]),
    # the subject carried over stops before the ask's own words (最多, 到底)
    ("安全组规则最多多少条，能不能申请提升", ["安全组规则最多多少条", "安全组规则 能不能申请提升"]),
    # "那 X 呢，Q": two asks; the second is left to lean on the first as rewrite resolves it
    ("那 Windows 呢，要重启吗", ["Windows 呢", "要重启吗"]),
    # "还有条…" describes one more thing of the same situation; "还有个问题" introduces another question
    ("安全组加了条拒绝的规则(优先级10)，还有条放行 80 的(优先级1)，规则没生效吗",
     ["安全组加了条拒绝的规则(优先级10)，还有条放行 80 的(优先级1)，规则没生效吗"]),
    ("快照怎么创建，还有个问题，安全组规则最多几条", ["快照怎么创建", "安全组规则最多几条"]),
])
def test_deterministic_split(message, expected):
    assert split_message(message, TERMS) == expected


def test_pronoun_in_follow_on_question_gets_the_first_subject():
    assert split_message("MySQL 连不上怎么办？还有，它的默认端口是多少？", TERMS)[1] == "MySQL的默认端口是多少"


def test_second_ask_keeps_the_words_the_first_ask_named_its_thing_with():
    # the base knows only "证书"; the later ask still needs "工作负载证书" (the thing), not the predicate
    terms = domain_terms({"证书", "带宽", "eip"})
    assert split_message("sidecar 里工作负载证书默认多久过期？想改成 48 小时该配哪个参数", terms) == [
        "sidecar 里工作负载证书默认多久过期", "sidecar 里工作负载证书 想改成 48 小时该配哪个参数"]
    # no predicate comes along: the thing ends with its last term
    assert split_message("eip 带宽最大能调到多少 调的时候会断吗", terms) == [
        "eip 带宽最大能调到多少", "eip 带宽 调的时候会断吗"]
    # a condition is no part of the name: the later ask gets the entity, not "ssd 云盘 300个G 的话 iops"
    ssd = domain_terms({"ssd", "云盘", "iops"})
    assert split_message("ssd 云盘 300个G 的话 iops 怎么算，上限是多少", ssd) == [
        "ssd 云盘 300个G 的话 iops 怎么算", "ssd 云盘 iops 上限是多少"]


def test_demo_eval_split_exact_count():
    rows = read_jsonl(DEMO_EVAL / "split.jsonl")
    exact = sum(len(split_message(r["message"], TERMS)) == len(r["sub_questions"]) for r in rows)
    assert exact / len(rows) >= 0.9, f"{exact}/{len(rows)}"


def test_model_split_accepted_when_drawn_from_the_message(fake_kb):
    llm = ScriptedLLM(["1. 云服务器 CPU 100% 怎么排查\n2. 云服务器 CPU 100% 跟带宽有关吗"])
    ctx = make_context(fake_kb, llm)
    assert _model_split(ctx, "云服务器 CPU 100% 怎么排查？跟带宽有关吗？") == [
        "云服务器 CPU 100% 怎么排查", "云服务器 CPU 100% 跟带宽有关吗"]
    assert "云服务器 CPU 100% 怎么排查" in llm.calls[0][0][-1].content


def test_model_split_rejected_when_invented(fake_kb):
    ctx = make_context(fake_kb, ScriptedLLM(["如何购买一台新的服务器并迁移全部业务数据"]))
    assert _model_split(ctx, "CPU 100% 怎么排查？") is None
