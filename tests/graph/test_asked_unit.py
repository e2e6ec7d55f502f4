"""A value question asking a count, a duration or how often gets the line giving a number in that
unit (graph/question_type.asked_unit, graph/value_fact), not a line sharing more words.
Run: pytest tests/graph/test_asked_unit.py"""

from __future__ import annotations

from graph.answer_text import units_text
from graph.extractive import extractive_units
from graph.passages import to_state
from graph.question_type import asked_unit
from knowledge.types import Passage

TABLE = Passage(chunk_id="t-1", source="docs/mq/consumer.md", title="消息队列消费者", heading_path=["重试参数"], kind="table",
                kb="demo", text="重试参数（表头：参数 | 默认值 | 说明）\n"
                                "参数: 拉取周期；默认值: 10 秒；说明: 相邻两次拉取消息的间隔\n"
                                "参数: 拉取等待；默认值: 3 秒；说明: 没有消息时一次拉取最多等待的时长\n"
                                "参数: 最大重试；默认值: 16 次；说明: 消费失败后最多重新投递的次数")
FAQ = Passage(chunk_id="f-1", source="faq/faq.jsonl", title="常见问题", heading_path=["消息队列消费失败怎么办？"], kind="faq",
              kb="demo", text="问：消息队列消费失败怎么办？\n答：检查消费者日志中的失败原因，确认业务代码返回了成功状态。",
              meta={"question": "消息队列消费失败怎么办？"})


def test_the_unit_asked():
    assert asked_unit("失败几次会进死信").search("最多 16 次")
    assert not asked_unit("失败几次会进死信").search("等待 3 秒")
    assert asked_unit("要等多久").search("约 15 秒") and asked_unit("怎么配置") is None
    assert asked_unit("只看到几条记录，是不是丢数据了？") is None  # a count reported, not asked
    # a vague duration answers "多久" ("通常几分钟内完成"); a vague count does not answer "几次"
    assert asked_unit("刷新缓存多久生效").search("通常几分钟内在全网完成")
    assert asked_unit("多长时间能恢复").search("大约半小时")
    assert not asked_unit("失败几次会进死信").search("重试几次")


def test_a_count_asked_gets_the_row_with_that_count_not_the_faq_sharing_the_words():
    text = units_text(extractive_units("消息队列消费失败几次就不再投递", [to_state(FAQ), to_state(TABLE)], qtype="value"))
    assert "16 次" in text and "业务代码" not in text


def test_how_often_gets_the_interval_not_another_duration():
    text = units_text(extractive_units("消息队列默认多久拉一次", [to_state(TABLE)], qtype="value"))
    assert "10 秒" in text.splitlines()[0]  # the interval leads (not the wait sharing "一次")


LOCK = Passage(chunk_id="l-1", source="docs/cache/evict.md", title="缓存实例内存满", heading_path=["处理"], kind="doc", kb="demo",
               text="- 清理过期键，分批执行：\n\n```bash\nredis-cli --scan --pattern 'tmp:*' | xargs redis-cli unlink\n```\n\n"
                    "只读保护期间执行清理键的操作是不可行的，清理同样需要写入，会被拒绝。请先升级内存规格。")


def test_a_may_i_question_gets_the_line_that_judges_it():
    text = units_text(extractive_units("缓存满了我先清理掉点键行不行", [to_state(LOCK)], qtype="value"))
    assert text.startswith("只读保护期间执行清理键的操作是不可行的")


QUOTA = Passage(chunk_id="q-1", source="docs/cdn/refresh.md", title="缓存刷新", heading_path=["刷新配额"], kind="table", kb="demo",
                text="刷新配额（表头：类型 | 每日配额 | 适用场景）\n"
                     "类型: 目录刷新；每日配额: 100 个/天；适用场景: 整个目录的文件都更新了\n"
                     "类型: URL 刷新；每日配额: 2000 条/天；适用场景: 更新了少量具体文件")


def test_a_count_asked_with_the_general_measure_word_takes_the_page_s_own():
    # "多少个" is how people ask any count; the page counts URLs in 条
    assert asked_unit("一天能刷多少个URL").search("2000 条/天")
    assert not asked_unit("失败几条会告警").search("3 个")  # a specific measure word stays itself
    text = units_text(extractive_units("一天能刷多少个URL", [to_state(QUOTA)], qtype="value"))
    assert "2000 条/天" in text.splitlines()[0]
