"""Which cited page a follow-up leans on (graph/answered.answered_subject over graph/thread.subject_titles):
the page on the user's problem, not a table or formula page the reply's first line was cited from.
Run: pytest tests/graph/test_answered_page.py"""

from __future__ import annotations

from graph.answered import answered_subject
from graph.subject import DomainTerms
from graph.thread import Thread, subject_titles

REPLY = """SSD 云盘的 IOPS 上限按容量计算 [1]，压测参数不对时测不出来 [2]。

**参考来源**
[1] 《云盘类型与性能》 `docs/disk/disk-types.md` — IOPS = min(1800 + 30 × 容量, 26000)
[2] 《云盘 IOPS 不达标》 `docs/disk/iops-low.md` — 用 fio 测试时加 --direct=1
"""
QUESTION = "用 dd 压了下 200G 的 ssd 云盘，iops 才一千多，不是说 7800 嘛"


def test_the_page_on_the_reported_problem_is_what_the_reply_answered():
    thread = Thread(question=QUESTION, topic=QUESTION, answer=REPLY)
    terms = DomainTerms(["云盘", "ssd", "iops", "fio"])
    assert answered_subject(thread, terms).startswith("云盘 IOPS 不达标")


def test_titles_naming_as_much_of_the_question_keep_the_source_list_order():
    assert subject_titles(REPLY, "云盘怎么选") == ["云盘类型与性能", "云盘 IOPS 不达标"]
    assert subject_titles(REPLY, QUESTION) == ["云盘 IOPS 不达标", "云盘类型与性能"]
