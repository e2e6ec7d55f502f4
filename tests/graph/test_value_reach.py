"""A value asked, the page stating it ranked further down (graph/value_reach.py, used by graph/nodes/select.py,
picked by graph/value_fact.best_fact). Made-up pages; run: pytest tests/graph/test_value_reach.py"""

from __future__ import annotations

from graph.answer_text import units_text
from graph.extractive import extractive_units
from graph.passages import to_state
from graph.relevance import question_terms
from graph.doc_units import parse_units
from graph.relevance import QuestionTerms
from graph.value_reach import farther_value, held_cover, line_score, with_farther
from graph.value_scan import asked_quantity, asking_word
from tests.graph.fakes import FakeKnowledge, page_chunk

QUESTION = "节点代理 ztunnel 大概占多少内存"

# the page retrieval ranks first: about the component, no figure in it
TASK = [page_chunk("docs/ztunnel/overview.md", "ztunnel 节点代理", "t-0", ["概述"],
                   "ztunnel 是在每个节点上运行的节点代理，负责安全连接和验证网格内的工作负载。"
                   "ztunnel 的故障仅限于单个节点。")]
# the reference page further down: the memory figure, and a port number of the same component
FIGURES = [
    page_chunk("docs/ops/performance.md", "性能和可扩展性", "f-0", ["数据平面性能"],
               "以每秒 1000 个请求为例：\n\n- 单个 Sidecar 代理消耗大约 0.20 vCPU 和 60 MB 内存。\n"
               "- 单个 ztunnel 节点代理消耗大约 0.06 vCPU 和 12 MB 内存。"),
    page_chunk("docs/ops/performance.md", "性能和可扩展性", "f-1", ["端口"],
               "流量被重定向到 ztunnel 节点代理的明文侦听端口 15006。"),
]
# a figure of another thing: a size, but not of the asked component
OTHER = [page_chunk("docs/ops/gateway.md", "网关资源", "g-0", ["资源"],
                    "单个网关副本建议预留 512 MB 内存。")]


def _terms(passages):
    return question_terms(QUESTION, "", None, [p["text"] for p in passages])


def _chunks(pages):
    return FakeKnowledge(pages).document_chunks


def test_memory_asked_is_a_size() -> None:
    asked = asked_quantity(QUESTION)
    assert asked is not None and asked.kind == "size"


def test_the_line_of_a_page_further_down_joins_the_evidence() -> None:
    evidence = [to_state(TASK[0])]
    hits = [to_state(p) for p in [*TASK, *OTHER, *FIGURES]]
    terms = _terms(evidence)
    assert held_cover(evidence, terms, QUESTION) == 0.0
    far = farther_value(evidence, terms, QUESTION, lambda: hits, _chunks([*TASK, *OTHER, *FIGURES]))
    assert far is not None and far["source"] == "docs/ops/performance.md" and far["chunk_id"] == "f-0"
    assert "12 MB" in far["meta"]["value_line"]
    answer = units_text(extractive_units(QUESTION, with_farther(evidence, far, QUESTION), qtype="value"))
    assert "12 MB 内存" in answer and "60 MB" not in answer


def test_no_figure_of_another_thing() -> None:
    evidence = [to_state(TASK[0])]
    hits = [to_state(p) for p in [*TASK, *OTHER]]
    assert farther_value(evidence, _terms(evidence), QUESTION, lambda: hits, _chunks([*TASK, *OTHER])) is None


def test_evidence_stating_the_value_searches_no_further() -> None:
    evidence = [to_state(FIGURES[0])]
    calls: list[int] = []

    def hits():
        calls.append(1)
        return [to_state(p) for p in FIGURES]

    terms = _terms(evidence)
    assert held_cover(evidence, terms, QUESTION) >= 1.0 - 1e-9
    assert farther_value(evidence, terms, QUESTION, hits, _chunks(FIGURES)) is None and not calls


# a page further down naming the asked field, with a number but no default: not the answer to "默认是多少"
FIELD_Q = "滚动更新 maxUnavailable 没配的话默认最多多少不可用"
FIELD_TASK = [page_chunk("docs/work/rolling.md", "滚动更新", "r-0", ["概述"], "滚动更新会逐个替换旧的副本。")]
FIELD_OTHER = [page_chunk("docs/work/ordered.md", "有序副本集", "o-0", ["滚动更新"],
                          "如果在 0 到 3 号副本中存在不可用副本，滚动更新时这些副本被计入 `maxUnavailable`。")]
FIELD_REF = [page_chunk("docs/work/reference.md", "滚动更新参数", "x-0", ["maxUnavailable"],
                        "滚动更新时 `maxUnavailable` 默认为 1，即最多 1 个副本不可用。")]


def test_a_page_further_down_states_the_limit_asked() -> None:
    evidence = [to_state(FIELD_TASK[0])]
    terms = question_terms(FIELD_Q, "", None, [FIELD_TASK[0].text])
    pages = [*FIELD_TASK, *FIELD_OTHER]
    assert farther_value(evidence, terms, FIELD_Q, lambda: [to_state(p) for p in pages], _chunks(pages)) is None
    pages = [*FIELD_TASK, *FIELD_OTHER, *FIELD_REF]
    far = farther_value(evidence, terms, FIELD_Q, lambda: [to_state(p) for p in pages], _chunks(pages))
    assert far is not None and far["source"] == "docs/work/reference.md"


def test_asking_words_are_not_the_subject() -> None:
    assert asking_word("多长时间") and asking_word("多少个")
    assert not asking_word("超时") and not asking_word("max_connections")


def test_an_evidence_list_item_is_read_alone() -> None:
    """The item naming the subject holds no number, another item's number is of another thing: the
    evidence does not state the value, the page further down does."""
    listed = page_chunk("docs/ztunnel/ops.md", "节点代理运维", "l-0", ["注意事项"],
                        "注意：\n\n- ztunnel 节点代理随节点启动。\n- 日志保留 7 天，大小上限 100 MB。")
    evidence = [to_state(listed)]
    terms = _terms(evidence)
    assert held_cover(evidence, terms, QUESTION) == 0.0
    pages = [listed, *FIGURES]
    far = farther_value(evidence, terms, QUESTION, lambda: [to_state(p) for p in pages], _chunks(pages))
    assert far is not None and "12 MB" in far["meta"]["value_line"]


PACKET_Q = "DM 全量导入 dump 数据时 loader 报 ERROR 1153 packet for query is too large 错误，max_allowed_packet 默认是多大"
PACKET_FAQ = page_chunk("docs/migrate/faq.md", "迁移常见问题", "p-0", ["导入报 packet for query is too large"],
                        "可以调大以下变量：\n\n- 全局变量 `max_allowed_packet`\n\n设置为比默认 67108864 (64M) 更大的值。")
PACKET_OTHER = page_chunk("docs/migrate/errors.md", "迁移报错处理", "e-0", ["packet for query is too large"],
                          "DM 全量导入 dump 数据时 loader 的 Insert 语句默认大小在 1M 左右，一般不会报 ERROR 1153 packet for query is too large。")


def test_the_value_is_of_the_thing_the_asking_clause_names() -> None:
    """The pasted error is the story; the value asked is max_allowed_packet's: the evidence states it, and
    a page further down repeating the error with another size is not taken."""
    evidence = [to_state(PACKET_FAQ)]
    terms = question_terms(PACKET_Q, "", None, [PACKET_FAQ.text])
    assert held_cover(evidence, terms, PACKET_Q) > 0
    pages = [PACKET_FAQ, PACKET_OTHER]
    assert farther_value(evidence, terms, PACKET_Q, lambda: [to_state(p) for p in pages], _chunks(pages)) is None


def test_a_one_word_subject_looks_no_further() -> None:
    question = "旧版本默认多久"
    evidence = [to_state(TASK[0])]
    old = page_chunk("docs/store/versions.md", "存储引擎", "v-0", ["多版本"], "旧版本默认保留 10 分钟后清理。")
    terms = question_terms(question, "", None, [TASK[0].text])
    pages = [*TASK, old]
    assert farther_value(evidence, terms, question, lambda: [to_state(p) for p in pages], _chunks(pages)) is None


def test_a_farther_figure_must_name_the_most_specific_word_asked() -> None:
    """"CDN 刷新缓存多久生效": a row stating another timeout of the same product (CDN, 缓存) is not the refresh time."""
    question = "CDN 刷新缓存多久生效"
    subject = QuestionTerms({"cdn": 2.7, "刷新": 3.4, "缓存": 2.7, "生效": 1.2}, set(), [], {})
    quantity = asked_quantity(question)
    assert quantity is not None

    def score(text: str) -> float:
        units = parse_units(text, "doc")
        return line_score(quantity, subject, subject, subject, set(), units, 0, "错误码")[1]

    assert score("CDN 回源超时：源站响应时间超过 30 秒；对动态内容直接回源不缓存。") == 0.0
    assert score("CDN 缓存刷新提交后，通常 5 分钟内生效。") > 0.0


def test_a_few_minutes_states_a_duration() -> None:
    asked = asked_quantity("刷新多久生效")
    assert asked is not None and asked.kind == "duration" and asked.held("通常几分钟内在全网完成。", set())
