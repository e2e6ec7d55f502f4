"""Yes/no questions ("这个能关掉吗", "这俩有关系吗") get the on-topic page's verdict, never an off-topic
passage's line (graph/extractive.py's last resort, graph/value_fact.judges)."""

from __future__ import annotations

from graph.doc_units import Unit
from graph.extractive import extractive_units
from graph.value_fact import judges

LIMITS = {"chunk_id": "o", "kind": "doc", "source": "docs/limits.md", "title": "实例限制参数", "heading_path": ["cpu-quota"],
          "text": "- 限制后台任务使用的 CPU 资源，这是一个软限制。\n- 单位：毫核。", "kb": "t"}
SPOKEN = "升级以后白天业务高峰时跑备份明显比以前慢很多，看监控 CPU、IO 都没吃满，感觉是被什么东西限流了"


def test_a_yes_no_question_is_not_answered_by_an_off_topic_passage():
    """A parameter page sharing "CPU 限制" with a spoken backup question does not judge "能关掉吗"."""
    assert extractive_units(f"{SPOKEN}，这个能关掉吗？", [LIMITS]) == []


def test_other_questions_keep_the_last_resort():
    """Only a yes or no is held to it: a "怎么回事" still gets the nearest lines (an honest hedge follows)."""
    assert extractive_units(f"{SPOKEN}，这是怎么回事", [LIMITS])


def test_judges_reads_verdicts_and_conditions_not_rows():
    assert judges([Unit("sentence", "客户端不关闭游标会导致内存持续上涨。")])
    assert judges([Unit("item", "默认开启，可以在配置中关闭。")])
    assert not judges([Unit("row", "监控：CPU 8 核；内存 16 GB；可以扩容")])
    assert not judges([Unit("sentence", "使用备份工具前先部署集群。")])


def test_the_section_lead_comes_from_the_on_topic_passage():
    """With no judging line, a yes or no gets what the on-topic section is about; none when no
    passage is on topic."""
    from graph.extractive import section_lead
    from graph.relevance import question_terms

    speed = {"chunk_id": "b", "kind": "doc", "source": "docs/backup-speed.md", "title": "备份变慢",
             "heading_path": ["高峰期备份为什么变慢"], "kb": "t",
             "text": "备份任务在业务高峰期间会自动降低占用的 CPU 资源。\n\n- 调速的上限见备份参数。"}
    question = f"{SPOKEN}，这个能关掉吗？"
    terms = question_terms(question, "", None, [LIMITS["text"], speed["text"]])
    lead = section_lead([speed, LIMITS], terms)
    assert lead is not None and lead[0] == 1 and lead[1][0].text.startswith("备份任务在业务高峰期间")
    assert section_lead([LIMITS], terms) is None
