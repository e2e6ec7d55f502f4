"""Asked for another way ("暂时不想扩容，还有别的法子吗"), a section listing named ways gives them all, in
order: the words matched are those of the way ruled out, not of the others (graph/alternatives.lists_ways).
Run: pytest tests/graph/test_other_ways.py"""

from __future__ import annotations

from graph.alternatives import lists_ways
from graph.answer_text import units_text
from graph.doc_units import parse_units
from graph.extractive import extractive_units
from graph.passages import to_state
from tests.graph.fakes import page_chunk

WAYS = ("1. **扩容队列**：在控制台把队列的并发上限调大，扩容需要重启消费者。\n"
        "2. **批量消费**：把单条消费改成批量拉取，每批 100 条。\n"
        "3. **开启死信**：消费失败三次的消息转入死信队列，不再阻塞：\n\n"
        "   ```bash\n   sscli mq set-dead-letter --queue orders --max-retry 3\n   ```\n\n"
        "4. **限流生产者**：在生产端设置发送速率上限。")
SECTION = page_chunk("docs/mq/backlog.md", "消息堆积处理", "mq-1", ["解决方法"], WAYS)


def test_a_list_of_named_ways():
    assert lists_ways(parse_units(WAYS))
    assert not lists_ways(parse_units("1. 进入控制台；\n2. 点击扩容；\n3. 等待完成。"))


def test_another_way_asked_gets_every_way_with_its_command():
    question = "消息堆积处理 暂时不想扩容队列，还有别的法子吗"
    text = units_text(extractive_units(question, [to_state(SECTION)], qtype="howto"))
    assert "sscli mq set-dead-letter" in text and "限流生产者" in text and "批量消费" in text
