"""graph/unit_fit.command_after: a sentence saying what to do brings the command lead-in right after
it and its command, judged with the sentence (the lead-in alone shares no word with the question)."""

from __future__ import annotations

from graph.extractive import extractive_units


def test_the_fix_sentence_brings_the_command_that_does_it():
    text = ("当缓存服务连接数被占满时，将出现此告警。\n\n"
            "最常见的情况是，客户端修改了连接池上限，但之后没有重新加载缓存服务，新的上限还未生效。\n\n"
            "为了解决这个问题，请重新加载缓存服务以便生效。\n\n"
            "例如，可以使用以下命令完成：\n\n"
            "```bash\n$ cachectl reload --all\n```\n")
    passage = {"kind": "doc", "source": "docs/cache/conn-full.md", "title": "连接数占满告警",
               "heading_path": [], "text": text, "meta": {}, "chunk_id": "c1"}
    question = "已经改了连接池上限，缓存服务还在报连接数占满告警，怎么回事"
    units = extractive_units(question, [passage], qtype="symptom")
    shown = " ".join(u["text"] for u in units)
    assert "请重新加载缓存服务" in shown and "cachectl reload --all" in shown, shown
