"""graph/value_fact.best_fact: a near tie goes to the most relevant page (the last passage), unless
the other line is the one on the very case asked (it repeats the question's own number)."""

from __future__ import annotations

from graph.relevance import question_terms
from graph.value_fact import best_fact


def _page(source: str, heading: str, text: str) -> dict:
    return {"kind": "doc", "source": source, "title": heading, "heading_path": [heading], "text": text, "meta": {}}


def test_a_near_tie_is_taken_from_the_most_relevant_page():
    question = "备份任务的并发线程数默认是多少"
    side = _page("docs/side.md", "备份任务并发线程数", "备份任务的并发线程数可以在配置文件中设置，默认与 CPU 核数有关。")
    anchored = _page("docs/backup.md", "备份任务并发线程数", "备份任务的线程数默认为 8，可以通过 `backup.num-threads` 调整。")
    passages = [side, anchored]
    terms = question_terms(question, "", None, [p["text"] for p in passages])
    picked = best_fact(passages, terms, question, 200)
    assert picked is not None
    n, units = picked
    assert n == 2 and "backup.num-threads" in " ".join(u.text for u in units), (n, units)


def test_the_line_on_the_case_asked_stays_over_the_most_relevant_page():
    question = "500G 的 ssd 云盘 IOPS 能到多少"
    side = _page("docs/side.md", "SSD 云盘 IOPS", "500 GiB 云盘 IOPS 为 16,800。")
    anchored = _page("docs/disk.md", "SSD 云盘 IOPS", "例如 200 GiB 的 SSD 云盘 IOPS 为 7,800。")
    passages = [side, anchored]
    terms = question_terms(question, "", None, [p["text"] for p in passages])
    picked = best_fact(passages, terms, question, 200)
    assert picked is not None
    n, units = picked
    assert n == 1 and "16,800" in " ".join(u.text for u in units), (n, units)
