"""graph/unit_fit.command_after: a sentence saying what to do brings the command lead-in right after
it and its command, judged with the sentence (the lead-in alone shares no word with the question)."""

from __future__ import annotations

from tests.graph.fakes import single_page_units


def test_the_fix_sentence_brings_the_command_that_does_it():
    text = ("当缓存服务连接数被占满时，将出现此告警。\n\n"
            "最常见的情况是，客户端修改了连接池上限，但之后没有重新加载缓存服务，新的上限还未生效。\n\n"
            "为了解决这个问题，请重新加载缓存服务以便生效。\n\n"
            "例如，可以使用以下命令完成：\n\n"
            "```bash\n$ cachectl reload --all\n```\n")
    question = "已经改了连接池上限，缓存服务还在报连接数占满告警，怎么回事"
    shown = single_page_units(question, "docs/cache/conn-full.md", "连接数占满告警", text, "symptom")
    assert "请重新加载缓存服务" in shown and "cachectl reload --all" in shown, shown
