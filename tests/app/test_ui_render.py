"""Rendering of a turn: citation links, sections, refusal, badge, sources panel, runbook cards."""

from __future__ import annotations

from app.ui.links import rewrite_doc_links
from app.ui.progress_line import ProgressLine
from app.ui.render import answer_markdown, badge, link_citations, strip_sources
from app.ui.runbook_cards import handoff_summary, runbook_html
from app.ui.sources import highlight, sources_html


def result(**extra):
    base = {
        "answer": "端口 22 需要放通。[1]\n\n**参考来源**\n[1] 《SSH》 `docs/scs/ssh.md` — …",
        "refused": False, "route": "knowledge", "grounded": True, "model": "extractive",
        "standalone": ["SSH 连接超时怎么办"],
        "citations": [{"n": 1, "source": "docs/scs/ssh.md", "title": "SSH 登录失败", "text": "请放通 TCP 22 端口。",
                       "score": 0.0321, "heading": "网络检查"}],
        "sections": [{"question": "SSH 连接超时怎么办", "route": "knowledge", "answer": "端口 22 需要放通。[1]",
                      "grounded": True, "adapter": None}],
    }
    base.update(extra)
    return base


def test_citation_markers_become_links_but_markdown_links_stay():
    assert link_citations("放通 22 端口[1][2]。") == "放通 22 端口[[1]](#src-1)[[2]](#src-2)。"
    assert link_citations("见 [文档](a.md) 和 [3](x)") == "见 [文档](a.md) 和 [3](x)"


def test_sources_list_is_cut_from_the_answer():
    assert strip_sources("答案[1]\n\n**参考来源**\n[1] 《x》") == "答案[1]"
    assert strip_sources("没有来源") == "没有来源"


def test_single_section_answer_has_links_and_extractive_badge():
    text = answer_markdown(result())
    assert "[[1]](#src-1)" in text and "参考来源" not in text
    assert "抽取式模式" in text and "引用已核验" in text


def test_several_sections_get_numbered_headings_with_route():
    sections = [
        {"question": "SSH 超时", "route": "knowledge", "answer": "放通 22。[1]", "grounded": True},
        {"question": "写首诗", "route": "refuse", "answer": "抱歉，我只能回答云产品问题。", "grounded": False},
    ]
    text = answer_markdown(result(sections=sections, route="mixed"))
    assert "#### 1. SSH 超时" in text and "#### 2. 写首诗" in text
    assert "超出服务范围" in text and "> 抱歉" in text


def test_refusal_has_its_own_style():
    text = answer_markdown(result(refused=True, route="refuse", answer="抱歉，这超出了我的范围。", citations=[],
                                  sections=[{"question": "x", "route": "refuse", "answer": "抱歉，这超出了我的范围。"}]))
    assert text.startswith("⊘ **超出服务范围**") and "> 抱歉" in text


def test_ungrounded_knowledge_answer_is_marked():
    sections = [{"question": "q", "route": "knowledge", "answer": "也许是这样。", "grounded": False}]
    text = answer_markdown(result(sections=sections, grounded=False))
    assert "没有找到足够依据" in text and "部分内容缺少依据" in text


def test_badge_names_model_and_adapters():
    shown = badge({"model": "transformers:qwen", "sections": [{"adapter": "scs", "route": "general"}]})
    assert "transformers:qwen" in shown and "scs" in shown
    assert "基座模型" in badge({"model": "openai:m", "sections": [{"adapter": None, "route": "general"}]})


def progress(*stages, section=None):
    line = ProgressLine()
    for stage in stages:
        line.update({"type": "token"} if stage == "token" else {"type": "progress", "stage": stage, "section": section})
    return line


def test_progress_line_marks_done_and_current_in_order():
    assert "▶ **理解问题…**" in progress().markdown() and "sc-pending'>核验" in progress().markdown()
    line = progress("understand", "retrieve", "generate", "token").markdown()
    assert "✓ 理解问题" in line and "✓ 检索" in line and "▶ **生成…**" in line
    assert "sc-pending'>核验" in line and "工具" not in line
    assert line.index("理解问题") < line.index("检索") < line.index("生成") < line.index("核验")


def test_progress_line_of_a_runbook_turn_shows_tools_only_when_a_tool_ran():
    line = progress("understand", "tools", "token")
    running = line.markdown()
    assert running.startswith("✓ 理解问题 → ") and "▶ **工具…**" in running
    assert "检索" not in running and "核验" not in running, "no knowledge stage pending before the tools stage"
    asked = {"runbook": {"outputs": [{"kind": "ask", "text": "系统？"}]}}
    assert line.finished(asked) == "✓ 理解问题 · 完成"
    ran = {"runbook": {"outputs": [{"kind": "tool", "text": "端口检查"}]}}
    assert progress("understand", "tools").finished(ran) == "✓ 理解问题 → ✓ 工具 · 完成"


def test_progress_line_of_a_second_question_and_a_mixed_turn():
    line = progress("understand", "retrieve", "generate", "verify")
    line.update({"type": "progress", "stage": "retrieve", "section": 1})
    shown = line.markdown()
    assert "▶ **检索…**" in shown and "sc-pending'>生成" in shown and shown.endswith("（第 2 个问题）")
    mixed = progress("understand", "tools", "retrieve", "generate", "verify").markdown()
    assert mixed.index("核验") < mixed.index("工具") and "✓ 工具" in mixed
    done = progress("understand", "retrieve", "generate", "verify").finished({})
    assert done == "✓ 理解问题 → ✓ 检索 → ✓ 生成 → ✓ 核验 · 完成"
    assert progress("understand").finished({"route": "refuse"}) == "✓ 理解问题 · 完成"


def test_relative_document_links_point_to_the_source_card_or_become_text():
    cited = [{"n": 2, "source": "docs/mysql/too-many-connections.md"}]
    text = "详见 [ERROR 1040](too-many-connections.md)、[慢查询](../mysql/slow-query.md#定位) 和 [官网](https://x.cn/a.md)。"
    assert rewrite_doc_links(text, cited) == "详见 [ERROR 1040](#src-2)、慢查询 和 [官网](https://x.cn/a.md)。"
    assert rewrite_doc_links(text) == "详见 ERROR 1040、慢查询 和 [官网](https://x.cn/a.md)。"
    assert rewrite_doc_links("![架构图](img/arch.png) 与 [锚点](#src-1)") == "架构图 与 [锚点](#src-1)"
    shown = answer_markdown(result(citations=cited, sections=[
        {"question": "q", "route": "knowledge", "answer": "参考 [ERROR 1040](too-many-connections.md)。[2]",
         "grounded": True}]))
    assert "[ERROR 1040](#src-2)" in shown and "[[2]](#src-2)" in shown and ".md)" not in shown


def test_sources_panel_escapes_and_highlights():
    panel = sources_html(result(citations=[{"n": 2, "source": "a<b>.md", "title": "<script>x</script>",
                                            "text": "SSH 连接超时：请放通 <22> 端口", "score": 0.5}]))
    assert "<script>" not in panel and "&lt;script&gt;" in panel
    assert "id='src-2'" in panel and "a&lt;b&gt;.md" in panel
    assert "<mark>" in panel and "&lt;22&gt;" in panel
    assert "没有引用" in sources_html({"citations": []})
    before_any_turn = sources_html(None)
    assert "没有引用" not in before_any_turn and "提问后" in before_any_turn


def test_highlight_centres_on_the_first_hit():
    text = "前言。" * 200 + "关键的 max_connections 参数"
    snippet = highlight(text, ["max_connections"], limit=100)
    assert snippet.startswith("…") and "<mark>max_connections</mark>" in snippet


def test_runbook_cards_show_tool_status_key_data_raw_output_and_waiting():
    runbook = {
        "id": "ssh-rdp-cannot-connect", "status": "waiting",
        "waiting": {"kind": "approve", "prompt": "要重启 sshd 吗？", "options": ["approve", "reject"]},
        "outputs": [
            {"kind": "tool", "text": "**检查 SSH 端口**", "tool_result": {
                "status": "ok", "data": {"open": False, "healthy": False, "latency_ms": 12, "summary": "端口不通"},
                "error": None, "invocation": {"tool": "tcp_port_check", "args": {"host": "1.2.3.4"}}, "elapsed": 0.5}},
            {"kind": "summary", "text": "## 交接摘要\n- 端口不通"},
        ],
    }
    shown = runbook_html(runbook)
    assert "tcp_port_check" in shown and "已执行" in shown and "发现问题" in shown
    assert "latency_ms" in shown and "<details class='sc-raw'>" in shown and "1.2.3.4" in shown
    assert "等待你批准" in shown and "要重启 sshd 吗？" in shown
    assert handoff_summary(runbook) == "## 交接摘要\n- 端口不通"
    assert runbook_html(None) == ""
