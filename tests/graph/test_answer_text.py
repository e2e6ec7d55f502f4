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


def _step(n: int, title: str) -> dict:
    return {"text": f"{n}. **{title}**", "cites": [1], "block": "step"}


def test_a_step_whose_lines_were_all_dropped_goes_with_them():
    """verify dropped the only sentence under step 2: "2. **检查安全组**" must not stand alone; the steps
    left count from 1 again."""
    from graph.answer_text import without_emptied_steps

    drafted = [_step(1, "确认实例状态"), {"text": "实例须处于运行中。", "cites": [1], "block": "sentence"},
               _step(2, "检查安全组"), {"text": "入方向须放通 22 端口。", "cites": [1], "block": "sentence"},
               _step(3, "登录检查 sshd"), {"text": "通过 VNC 登录查看 sshd。", "cites": [1], "block": "sentence"}]
    kept = [u for u in drafted if "22 端口" not in u["text"]]
    texts = [u["text"] for u in without_emptied_steps(kept, drafted)]
    assert texts == ["1. **确认实例状态**", "实例须处于运行中。", "2. **登录检查 sshd**", "通过 VNC 登录查看 sshd。"], texts


def test_a_step_drafted_bare_stays():
    """An outline names the steps around the one asked without their lines: nothing was dropped."""
    from graph.answer_text import without_emptied_steps

    drafted = [_step(1, "创建"), _step(2, "重启"), {"text": "重启中超过 10 分钟可强制重启。", "cites": [1], "block": "sentence"},
               _step(3, "释放")]
    assert without_emptied_steps(list(drafted), drafted) == drafted


def test_verify_never_leaves_a_step_heading_without_its_lines(fake_kb):
    """The verify node over an extractive draft whose second step's only sentence the passages do not
    support: the sentence is dropped, and so is its heading."""
    from langgraph.runtime import Runtime

    from graph.nodes.verify import verify
    from graph.passages import to_state
    from tests.graph.conftest import make_context
    from tests.graph.fakes import SAMPLE

    ssh = to_state(SAMPLE[0])
    units = [_step(1, "检查安全组"), {"text": "请检查安全组入方向是否放通 TCP 22 端口。", "cites": [1], "block": "sentence"},
             _step(2, "通过 VNC 登录检查 sshd 服务状态"),  # the page has this step, not the sentence under it
             {"text": "建议立即购买更高配置的独享集群并迁移全部业务。", "cites": [1], "block": "sentence"}]
    state = {"draft": {"units": units, "mode": "extractive"}, "passages": [ssh], "retrieved": [ssh], "index": 0,
             "question": "SSH 连不上怎么排查", "standalone": "SSH 连不上怎么排查", "query": "SSH 连不上", "kb": "demo"}
    section = verify(state, Runtime(context=make_context(fake_kb)))["sections"][0]  # type: ignore[arg-type]
    assert "独享集群" not in section["answer"] and "VNC" not in section["answer"], section["answer"]
    assert "1. **检查安全组**" in section["answer"], section["answer"]


def test_verify_that_leaves_only_a_lead_in_says_nothing_was_found(fake_kb):
    """A draft whose only supported line is a lead-in of a line verify drops: the reply is the
    not-found answer with the nearest pages, never an empty section (it was only the runbook offer)."""
    from langgraph.runtime import Runtime

    from graph.nodes.verify import verify
    from graph.passages import to_state
    from tests.graph.conftest import make_context
    from tests.graph.fakes import SAMPLE

    ssh = to_state(SAMPLE[0])
    units = [{"text": "SSH 连接失败时常见的报错有：", "cites": [1], "block": "leadin", "group": 1},
             {"text": "建议立即购买更高配置的独享集群并迁移全部业务。", "cites": [1], "block": "sentence", "group": 2}]
    state = {"draft": {"units": units, "mode": "extractive"}, "passages": [ssh], "retrieved": [ssh], "index": 0,
             "question": "SSH 连不上怎么排查", "standalone": "SSH 连不上怎么排查", "query": "SSH 连不上", "kb": "demo"}
    section = verify(state, Runtime(context=make_context(fake_kb)))["sections"][0]  # type: ignore[arg-type]
    assert "没有找到" in section["answer"] and not section["grounded"], section["answer"]
    assert "独享集群" not in section["answer"]


def test_a_shell_glob_in_code_is_not_a_citation():
    """check-before-deployment.md (TiDB) prints `cat /sys/block/nvme[01]*/queue/scheduler`: compose's
    renumbering read `[01]` as citation 1 and showed `nvme[1]*`, a different command."""
    from pathlib import Path

    import pytest

    from graph.sentences import citations_of, renumber, strip_citations

    page = Path(__file__).resolve().parents[2].parent / "shared/corpora/tidb-docs-cn/check-before-deployment.md"
    if not page.exists():
        pytest.skip("shared corpora not present")
    command = next(line.strip() for line in page.read_text(encoding="utf-8").splitlines() if "nvme[01]" in line)
    step = f"2. 查看调度器[3]：\n```bash\n{command}\n```"
    inline = f"执行 `{command}` 查看[3]"
    for unit in (step, inline):
        assert citations_of(unit) == [3], unit
        assert command in renumber(unit, {3: 1}) and "[1]" in renumber(unit, {3: 1}), renumber(unit, {3: 1})
        assert command in strip_citations(unit) and "[3]" not in strip_citations(unit)


def test_a_numbered_list_goes_on_after_an_items_sub_bullets():
    # the page's causes list: item 2 has nested bullets; item 3 must read "3.", not a new "1."
    from graph.answer_text import renumber
    from graph.doc_units import Unit
    units = [(1, Unit("item", "SecretKey 错误", number=1)), (1, Unit("item", "待签名字符串构造不一致：", number=2)),
             (1, Unit("item", "Content-Type 不一致", depth=1)), (1, Unit("item", "Content-MD5 签了但没发", depth=1)),
             (1, Unit("item", "编码问题", number=3)), (1, Unit("item", "请求在传输中被改写", number=4))]
    texts = [u["text"] for u in renumber(units)]
    assert texts[0].startswith("1. ") and texts[1].startswith("2. "), texts
    assert texts[4].startswith("3. ") and texts[5].startswith("4. "), texts
    assert texts[2].strip().startswith("- ") and texts[3].strip().startswith("- "), texts
    # another passage's list after the nested bullets is another list
    other = units[:3] + [(2, Unit("item", "另一页的第一项", number=1)), (2, Unit("item", "另一页的第二项", number=2))]
    assert [u["text"] for u in renumber(other)][3].startswith("1. ")


def test_a_nested_item_shown_without_its_parent_is_not_indented():
    from graph.answer_text import renumber
    from graph.doc_units import Unit
    alone = renumber([(1, Unit("item", "在控制台为节点池增加节点", depth=1))])
    assert alone[0]["text"] == "- 在控制台为节点池增加节点", alone
    under = renumber([(1, Unit("item", "扩容节点池", number=2)), (1, Unit("item", "在控制台为节点池增加节点", depth=1))])
    assert under[1]["text"].startswith("   - "), under  # under its parent it stays nested


def test_the_nearest_pages_name_each_page_once() -> None:
    """Two sections of one page found: the not-found reply names the page once and the next page after it
    (it said "《容器服务 SKE 基础》（…）、《容器服务 SKE 基础》（…）")."""
    from graph.nodes.verify import nearest_text

    found = [{"source": "docs/ske/ske-overview.md", "title": "容器服务 SKE 基础"},
             {"source": "docs/ske/ske-overview.md", "title": "容器服务 SKE 基础"},
             {"source": "docs/ske/pod-pending.md", "title": "Pod 一直处于 Pending"}]
    text = nearest_text(found)
    assert text.count("ske-overview.md") == 1
    assert "pod-pending.md" in text
