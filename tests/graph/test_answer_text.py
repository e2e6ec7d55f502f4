"""graph/answer_text.units_text: how extractive units read as Markdown."""

from __future__ import annotations

from graph.answer_text import units_text


def test_a_sentence_after_a_list_is_its_own_paragraph():
    """Markdown reads a line right after a list item as more of that item ("4. **优化**" then a FAQ
    note would show the note as step 4); a blank line ends the list first."""
    text = units_text([
        {"text": "3. **用 EXPLAIN 分析执行计划**", "cites": [1], "block": "step"},
        {"text": "   阅读执行计划时关注 type、key、rows。", "cites": [1], "block": "sentence"},
        {"text": "4. **优化**", "cites": [1], "block": "step"},
        {"text": "long_query_time 默认为 1 秒。", "cites": [2], "block": "sentence"},
    ])
    assert "4. **优化**\n\nlong_query_time 默认为 1 秒。[2]" in text, text
    assert "执行计划**[1]\n   阅读" in text, text  # the lines of a step stay in it


def test_sentences_without_a_list_are_not_spread_apart():
    text = units_text([{"text": "第一句。", "cites": [1], "block": "sentence"},
                       {"text": "第二句。", "cites": [1], "block": "sentence"}])
    assert text == "第一句。[1]\n第二句。[1]", text


def test_a_lead_in_whose_list_was_dropped_goes_too():
    from graph.nodes.verify import without_dangling_leadins

    units = [{"text": "先看状态。", "block": "sentence", "group": 1},
             {"text": "你需要检查以下配置：", "block": "leadin", "group": 2},  # its items were dropped
             {"text": "再看日志：", "block": "leadin", "group": 3},
             {"text": "- tail -f app.log", "block": "item", "group": 3}]
    kept = [u["text"] for u in without_dangling_leadins(units)]
    assert kept == ["先看状态。", "再看日志：", "- tail -f app.log"], kept


def test_a_sentence_need_not_repeat_the_subject_its_section_names(demo_knowledge):
    """A follow-up's standalone carries the conversation's subject ("df 磁盘满 du …"); the sentence
    answering it names none of it, its section (the disk-full page's step 3) does: on topic."""
    from graph.doc_units import merge_texts
    from graph.relevance import on_topic, question_terms
    from graph.topic import on_topic_here
    from tests.graph.conftest import make_context

    source = "docs/disk/disk-full.md"
    chunks = [c for c in demo_knowledge.document_chunks("demo", source)
              if "已删除但未释放" in " ".join(c.get("heading_path") or [])]
    passage = {"kind": "doc", "source": source, "title": "磁盘空间满", "heading_path": chunks[0]["heading_path"],
               "text": merge_texts([c["text"] for c in chunks]), "meta": {"indexed_text": chunks[0]["indexed_text"]}}
    vocab = make_context(demo_knowledge).vocabulary.get(demo_knowledge, "demo")
    terms = question_terms("df 磁盘满 du 以后清理正在写的日志应该咋弄", vocab=vocab, evidence=[passage["text"]])
    sentence = next(s for s in passage["text"].splitlines() if s.startswith("以后清理"))
    assert not on_topic(terms, sentence, passage)  # it names no df / du
    assert on_topic_here(terms, sentence, passage)
    assert not on_topic_here(terms, "输出示例：", passage)  # a line covering nothing of the question is not
