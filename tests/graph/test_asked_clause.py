"""The asking clause chooses the answer's units; what was done or still happens only confirms the page
(graph/asked_clause.py), and a comparison is answered by what covers both sides (graph/contrast.py).

Hand-made units and questions written for this test (not taken from any evaluation set).
"""

from __future__ import annotations

from graph.asked_clause import CONTEXT_WEIGHT, asked_first, clauses
from graph.contrast import both_sides, sidedness, whole_tables
from graph.doc_units import Unit
from graph.question_type import question_type
from graph.relevance import QuestionTerms
from graph.section_answer import from_section


def test_clauses_part_the_ask_from_what_was_done_and_what_persists():
    asking, context = clauses("镜像已经上传了，控制台还是看不到，怎么导入")
    assert asking == ["怎么导入"] and context == ["镜像已经上传了", "控制台还是看不到"]
    assert clauses("证书续好以后要不要重启 nginx") == (["要不要重启 nginx"], ["证书续好以后"])
    assert clauses("以后日志该怎么清") == (["以后日志该怎么清"], [])  # 以后 opening a clause is the future
    assert clauses("是 java 进程 怎么找线程") == (["怎么找线程"], [])  # saying what, not what was done


def test_words_only_the_done_clause_names_weigh_less_when_the_ask_names_its_own():
    terms = QuestionTerms({"上传": 2.0, "镜像": 1.0, "导入": 2.0, "控制台": 1.0}, entities=["镜像"])
    quiet = asked_first(terms, "镜像已经上传了，怎么导入")
    assert quiet.weights["上传"] == 2.0 * CONTEXT_WEIGHT and quiet.weights["导入"] == 2.0
    assert quiet.weights["镜像"] == 1.0  # the message's subject keeps its weight
    # an ask naming nothing of its own ("咋办"): the context is what is asked about
    assert asked_first(terms, "镜像已经上传了，咋办").weights == terms.weights
    assert asked_first(terms, "怎么上传镜像").weights == terms.weights  # nothing reported


PAGE = {"kind": "doc", "title": "对象同步", "heading_path": ["同步"], "text":
        "同步任务创建后会自动开始，第一次同步所有对象。\n"
        "查看同步进度：在任务详情页的「进度」一栏查看已同步的对象数。\n"
        "同步失败的对象会在失败列表中列出，可以重试。"}


def test_the_unit_answering_the_ask_is_shown_not_the_one_describing_the_done_step():
    terms = QuestionTerms({"同步": 1.0, "任务": 2.0, "创建": 2.0, "进度": 3.0, "查看": 1.0})
    question = "同步任务已经创建了，进度在哪查看"
    shown = " ".join(u.text for u in from_section(PAGE, "howto", terms, 400, question))
    assert "已同步的对象数" in shown and "自动开始" not in shown, shown


def test_a_table_cut_into_chunks_is_read_whole():
    head = "状态（表头：状态 | 计费）"
    chunks = [{"chunk_id": "a", "kind": "table", "heading_path": ["状态"], "text": f"{head}\n状态: 已关机；计费: 部分"},
              {"chunk_id": "b", "kind": "table", "heading_path": ["状态"], "text": f"{head}\n状态: 已释放；计费: 否"},
              {"chunk_id": "c", "kind": "doc", "heading_path": ["其他"], "text": "别的"}]
    joined = whole_tables(chunks)
    assert len(joined) == 2 and joined[0]["text"] == f"{head}\n状态: 已关机；计费: 部分\n状态: 已释放；计费: 否"


def test_a_comparison_is_answered_by_the_units_covering_both_sides():
    rows = [Unit("row", "状态: 已关机；计费: 部分"), Unit("row", "状态: 已释放；计费: 否"), Unit("row", "状态: 运行中；计费: 是")]
    assert both_sides(rows, ["关机", "释放"]) == {0, 1}
    prose = [Unit("sentence", "低频适合不常读的数据。"), Unit("sentence", "读取归档前要先解冻。"),
             Unit("sentence", "低频和归档都有最短存储时间。")]
    assert both_sides(prose, ["低频", "归档"]) == {2}  # the one sentence naming both
    assert both_sides(prose[:2], ["低频", "归档"]) == {0, 1}  # else one unit per side
    assert both_sides(prose[:1], ["低频", "归档"]) == set()  # one side only answers half
    assert sidedness(rows, ["关机", "释放"]) > sidedness(prose, ["低频", "归档"]) > sidedness(prose[:1], ["低频", "归档"])


def test_spoken_comparison_forms_ask_a_comparison():
    assert question_type("系统盘跟数据盘到底有啥不一样") == "compare"
    assert question_type("配额跟限制是一回事吗") == "compare"
    assert question_type("改了配置和之前不一样了怎么办") != "compare"  # a change seen, not a comparison


def test_a_side_written_in_several_words_is_the_word_the_other_side_does_not_share():
    from graph.contrast import sides
    assert sides("vnc 登录和 ssh 登录有啥区别", ["vnc", "登录", "ssh", "区别"]) == ["vnc", "ssh"]
    assert sides("加权轮询和加权最小连接数选哪个", ["加权", "轮询", "最小", "连接数"]) == ["轮询", "最小"]
    assert sides("负载均衡的 502 与 504 有何区别", ["负载均衡", "502", "504"]) == ["502", "504"]
