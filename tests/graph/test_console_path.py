"""A "where" question gets the console path its page gives, with the command doing the same
(graph/console_path.py, graph/answer_shape.Shape.place).

The rule on hand-made chunks, and the whole graph on the demo base with questions written for this
test (not taken from any evaluation set).
"""

from __future__ import annotations

from graph.answer_shape import Shape
from graph.console_path import asks_place, path_passage
from graph.doc_units import parse_units
from graph.relevance import QuestionTerms
from graph.service import Copilot
from tests.graph.conftest import make_context

STEPS = {"chunk_id": "s", "kind": "doc", "heading_path": ["排查步骤"],
         "text": "1. **确认状态**。在控制台的实例列表中确认状态为运行中。"}
FIX = {"chunk_id": "f", "kind": "doc", "heading_path": ["解决方法"],
       "text": "- **白名单缺失**：在实例详情页“数据安全性 → 白名单”中添加客户端网段。也可以用命令行：\n\n"
               "  ```bash\n  cli db modify-whitelist --ips 10.0.1.0/24\n  ```"}
TERMS = QuestionTerms({"数据库": 1.0, "白名单": 1.0, "控制台": 1.0, "哪加": 1.0})


def test_a_place_is_asked_by_where_words_not_by_what_differs_or_is_stuck():
    for asked in ("白名单在控制台哪加", "kubeconfig 去哪下", "从哪查", "证书要上传到哪", "这个在控制台哪里操作",
                  "参数该改哪儿"):
        assert asks_place(asked), asked
    for other in ("A 跟 B 到底差在哪", "一直下不掉，卡在哪了", "问题出在哪", "现在能建哪几个版本", "白名单默认是什么"):
        assert not asks_place(other), other


def test_the_chunk_whose_path_line_covers_the_question_becomes_a_passage_of_its_page():
    page = [STEPS, FIX]
    chosen = [{"kb": "k", "source": "db.md", "kind": "doc", "title": "数据库连不上", "chunk_id": "s", **STEPS}]
    found = path_passage(TERMS, chosen, lambda kb, source: page)
    assert found is not None and found["chunk_id"] == "f" and found["source"] == "db.md"
    assert found["meta"]["added"] == "console_path"
    # a chosen passage giving the path already: nothing added
    assert path_passage(TERMS, [{**chosen[0], **FIX}], lambda kb, source: page) is None
    # a path to something else (the question's words are not on its line): nothing added
    other = {**FIX, "text": "在存储桶“权限管理 → 防盗链”页面查看 Referer 列表。"}
    assert path_passage(TERMS, chosen, lambda kb, source: [STEPS, other]) is None


def test_a_path_line_with_its_command_gets_the_room_to_come_whole():
    units = parse_units("在实例详情页“日志管理 → 慢日志”中可以查看并下载，也可以用命令行下载：\n\n"
                        "```bash\ncli db download-slow-log --id db-1\n```", "doc")
    i = next(k for k, u in enumerate(units) if "→" in u.text)
    assert Shape.of("白名单在控制台哪加").room(units, i, 60) > 60
    assert Shape.of("白名单默认是什么").room(units, i, 60) == 60


def test_where_questions_on_the_demo_base_get_the_path_and_its_command(demo_knowledge):
    copilot = Copilot(make_context(demo_knowledge))
    slow = copilot.ask("mysql 慢日志在控制台哪里下载", "w1").answer
    assert "日志管理 → 慢日志" in slow and "sscli mysql download-slow-log" in slow, slow
    copilot.ask("新建的 RDS 一直连不上 ERROR 2003 (110)", "w2")
    whitelist = copilot.ask("白名单在控制台哪配", "w2").answer
    assert "数据安全性 → 白名单" in whitelist and "modify-db-instance-whitelist" in whitelist, whitelist


def test_a_faq_answer_without_the_place_is_followed_by_the_page_s_path(demo_knowledge):
    text = Copilot(make_context(demo_knowledge)).ask("云数据库的白名单去哪改", "w3").answer
    assert "数据安全性 → 白名单" in text, text


def test_a_place_in_the_console_is_asked_like_a_value():
    from graph.question_type import question_type
    assert question_type("实例在控制台哪重启") == "value"
    assert question_type("报 packet for query is too large，该改哪儿？") == "symptom"  # a fault's setting


def test_a_where_follow_up_after_a_handbook_answer_gets_the_page_s_path(demo_knowledge):
    """After an answer from the on-call handbook, "白名单在哪配" is not asked of the handbook's title (its preamble
    "本页面向 SRE 值班同学…" came back) nor answered by the thread's line merely naming 白名单: the path."""
    copilot = Copilot(make_context(demo_knowledge))
    copilot.ask("安全组放通了 3306 还是连不上 rds", "w4")
    text = copilot.ask("白名单在哪配", "w4").answer
    assert "数据安全性 → 白名单" in text, text
    assert "本页面向" not in text and "值班" not in text.split("**参考来源**")[0], text


def test_a_handbook_title_names_no_thing_a_follow_up_is_about():
    from graph.answered import COLLECTION_TITLE

    assert COLLECTION_TITLE.search("值班手册：数据库故障应急 - SRE 运维空间 - TeamWiki")
    assert COLLECTION_TITLE.search("SQL 操作常见问题") and not COLLECTION_TITLE.search("无法连接数据库 ERROR 2003")
