"""Ordinals into the previous answer's list: only a list of the kind asked for; an item by its short name;
a FAQ page's title names no subject; a sibling facet and a bare limit of the one setting the answer named."""

from __future__ import annotations

from graph.followup import FollowUps, thread_of
from graph.list_kind import item_name, kinds_agree, list_kind, ordinal_kind
from graph.questions import domain_terms
from graph.references import ordinal_of

RESOLVER = FollowUps(domain_terms({"pod", "pending", "nat 网关", "路由表", "tidb", "k8s", "存活探针", "gc", "sql"}))

CAUSES = ("1. **资源不足**：所有节点剩余的可分配 CPU 或内存都小于 Pod 的 `requests`，事件中出现 `Insufficient cpu` 或 "
          "`Insufficient memory`；\n2. **节点选择约束不满足**：`nodeSelector` 在任何节点上都不存在；\n"
          "3. **污点（taint）未被容忍**：Pod 没有对应的 `tolerations`。")


def turn(question: str, answer: str) -> list[dict]:
    return [{"role": "user", "content": question}, {"role": "assistant", "content": answer}]


def resolve(message: str, history: list[dict]):
    return RESOLVER.resolve(message, thread_of(history, RESOLVER))


def test_the_kind_an_ordinal_asks_for_and_the_kind_a_list_is() -> None:
    assert ordinal_kind("第一步看啥", ordinal_of("第一步看啥")) == "step"
    assert ordinal_kind("第三个条件具体咋配", ordinal_of("第三个条件具体咋配")) == "condition"
    assert ordinal_kind("第二个展开说说", ordinal_of("第二个展开说说")) is None
    assert list_kind("", ["资源不足：所有节点…", "节点选择约束不满足：…", "污点未被容忍：…"]) == "cause"
    assert list_kind("", ["在 私有网络 > 路由表 中新建路由表", "添加路由：目的网段 0.0.0.0/0", "在 关联子网 中勾选"]) == "step"
    assert list_kind("可能原因", ["a", "b"]) == "cause" and list_kind("", ["a", "b"]) is None
    assert not kinds_agree("step", "cause") and not kinds_agree("condition", "step")
    assert kinds_agree(None, "cause") and kinds_agree("step", None) and kinds_agree("cause", "cause")


def test_an_item_is_carried_by_its_short_name_never_a_half_word() -> None:
    assert item_name("资源不足：所有节点剩余的可分配 CPU 或内存都小于 Pod 的 requests") == "资源不足"
    long = "所有节点剩余的可分配 CPU 或内存都小于 Pod 的 requests，事件中出现 Insufficient cpu 或 Insufficient memory"
    assert "Insuffici" not in item_name(long) or "Insufficient" in item_name(long)
    assert item_name(long) == "所有节点剩余的可分配 CPU 或内存都小于 Pod 的 requests"
    assert not item_name("x" * 10 + " " + "Insufficient" * 6).endswith("Insuffici")


def test_a_step_asked_after_a_list_of_causes_is_not_the_first_cause() -> None:
    found = resolve("第一步看啥", turn("pod 一直 pending 起不来", CAUSES))
    assert found.decision == "follow_up" and "资源不足" not in found.standalone and "Insuffici" not in found.standalone
    assert "pending" in found.standalone.lower()
    found = resolve("第一个展开说说", turn("pod 一直 pending 起不来", CAUSES))  # no kind named: the list's item
    assert "资源不足" in found.standalone and "Insuffici" not in found.standalone


def test_a_faq_page_title_is_no_subject() -> None:
    answer = ("修改系统变量 `tidb_gc_life_time` 的值（默认值为 `10m0s`）。[1]\n\n**参考来源**\n"
              "[1] 《SQL 操作常见问题》 `tidb-docs-cn/faq/sql-faq.md` — …")
    found = resolve("多久跑一次", turn("tidb gc 默认保留多长时间的历史数据", answer))
    assert "常见问题" not in found.standalone and "tidb" in found.standalone


def test_a_bare_limit_is_asked_of_the_one_setting_the_answer_named() -> None:
    answer = "要配置历史数据的保留时限，你可以修改系统变量 `tidb_gc_life_time` 的值（默认值为 `10m0s`）。"
    found = resolve("最大能设到多少", turn("tidb gc 默认保留多长时间的历史数据", answer))
    assert found.decision == "follow_up" and "tidb_gc_life_time" in found.standalone
    two = "修改 `tidb_gc_life_time` 或 `tidb_gc_run_interval`。"  # two settings: not known which one
    assert "tidb_gc" not in resolve("最大能设到多少", turn("tidb gc 默认保留多长时间的历史数据", two)).standalone


def test_a_sibling_facet_is_asked_of_the_topic_not_of_the_last_follow_up() -> None:
    history = turn("k8s 存活探针默认多久探一次", "periodSeconds 默认是 10 秒。")
    first = resolve("超时默认几秒", history)
    history += [{"role": "user", "content": "超时默认几秒", "standalone": [first.standalone],
                 "decisions": ["follow_up"]}, {"role": "assistant", "content": "timeoutSeconds 默认值是 1 秒。"}]
    found = resolve("第一次探测前默认等多久", history)
    assert found.decision == "follow_up" and "超时" not in found.standalone and "存活探针" in found.standalone


def followed(history: list[dict], message: str, answer: str) -> list[dict]:
    found = resolve(message, history)
    return history + [{"role": "user", "content": message},
                      {"role": "assistant", "content": answer, "questions": [found.standalone],
                       "decision": found.decision, "focus": [found.encoded]}]


def test_a_next_ask_without_a_subject_leans_on_what_the_last_one_leaned_on() -> None:
    history = followed(turn("cdn 刷新缓存怎么操作", "在控制台提交 URL 刷新。"), "一天能刷几次", "URL 刷新每日 2000 条。")
    found = resolve("多久能生效", history)
    assert found.decision == "follow_up" and "一天能刷" not in found.standalone and "cdn" in found.standalone.lower()
    history = followed(turn("pod 一直 pending 起不来", "看 Events。"), "会丢数据吗", "不会。")
    assert "丢数据" not in resolve("要停机吗", history).standalone


def test_a_demonstrative_before_de_is_no_owner() -> None:
    found = resolve("这种的要重启机器吗", turn("pod 一直 pending 起不来", "看 Events。"))
    assert found.decision == "follow_up" and "这种" not in found.standalone and "的 " not in found.standalone


def test_what_comes_next_is_no_case_to_swap_in() -> None:
    found = resolve("然后呢", turn("pod 一直 pending 起不来", "先看 Events。"))
    assert found.decision == "follow_up" and not found.standalone.startswith("然后")
    assert "pending" in found.standalone.lower() and "怎么做" in found.standalone and found.kind != "swap"


def test_a_step_of_a_list_the_answer_did_not_give_asks_the_procedure() -> None:
    found = resolve("第一步看啥", turn("pod 一直 pending 起不来", CAUSES))
    assert "步骤" in found.standalone and "第一步" in found.standalone
