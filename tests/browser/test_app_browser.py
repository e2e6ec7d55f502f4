"""The web app in headless Chromium (Debian /usr/bin/chromium driven by Playwright).

Asks a question, sees the streamed answer and a citation, opens the source; feedback;
walks a runbook step; uploads, previews, deletes (to the trash) and restores in the
knowledge tab; reopens a past conversation with its sources and exports it. Every state
is checked for symbols the README's fonts cannot draw. Screenshots go to a temp dir, or
to $SC_SCREENSHOTS_DIR (docs/screenshots/ is made with that).
Run: `pytest -m browser tests/browser`.
"""

from __future__ import annotations

import base64
import re

import pytest

from tests.app.ui_server import launch_small_app
from tests.browser.helpers import (ask, assert_text_drawable, choose_file, expect, open_page, require_browser,
                                   screenshot_dir)

pytestmark = pytest.mark.browser

FIRST = "SSH 连接超时怎么办？另外帮我写一首诗"
SECOND = "MySQL 存储写满了会怎样"
KNOWLEDGE_DONE = "✓ 理解问题 → ✓ 检索 → ✓ 生成 → ✓ 核验 · 完成"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    require_browser()
    # loopback allowed so the runbook's port check really runs (port 22 is closed here: a finding)
    app = launch_small_app(tmp_path_factory.mktemp("browser"), with_auth=False, tools={"allow_targets": ["127.0.0.1"]})
    yield app
    app.close()


@pytest.fixture(scope="module")
def page(served):
    from playwright import sync_api
    with sync_api.sync_playwright() as pw:
        browser, tab = open_page(pw, served.url)
        yield tab
        browser.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    return screenshot_dir(tmp_path_factory)


def test_before_any_question_the_sources_panel_only_explains_itself(page):
    panel = page.locator("#sc-sources").inner_text()
    assert "提问后" in panel and "没有引用" not in panel
    assert_text_drawable(page)


def test_question_streams_a_cited_answer_and_opens_the_source(page, shots):
    ask(page, FIRST)
    page.wait_for_selector("#sc-progress :text('理解问题')")
    expect()(page.locator("#sc-progress")).to_have_text(KNOWLEDGE_DONE, timeout=60_000)
    chat_text = page.locator("#sc-chat").inner_text()
    assert "22" in chat_text and "安全组" in chat_text
    assert "CLB" not in chat_text and "max_connections" not in chat_text, "no sentence about another product"
    assert "1. SSH 连接超时怎么办" in chat_text and "2. 帮我写一首诗" in chat_text, "one section per sub-question"
    link = page.locator("#sc-chat a[href='#src-1']").first
    link.wait_for()
    assert page.locator("#src-1[open]").count() == 0
    link.click()
    page.wait_for_selector("#src-1[open]")
    assert page.locator("#src-1 .sc-path code").inner_text().strip().endswith((".md", ".jsonl"))
    assert page.locator("#src-1 mark").count() > 0, "query terms are highlighted in the snippet"
    assert page.locator("#sc-chat").get_by_text("抽取式模式").count() > 0
    assert_text_drawable(page)
    page.screenshot(path=str(shots / "chat.png"), full_page=True)


def test_thumbs_up_is_stored_without_asking_why(page, served):
    page.locator("#sc-chat button[aria-label='赞'], #sc-chat button[aria-label='Like']").last.click()
    toast = page.locator(".toast-wrap").last
    expect()(toast).to_contain_text("感谢反馈", timeout=10_000)
    expect()(toast.locator(".toast-title")).to_have_text("提示")
    assert "Info" not in toast.inner_text(), "toast titles are Chinese"
    assert not page.locator("#sc-reason").is_visible(), "a thumbs-up does not open the reason box"
    rows = served.blocks.services.feedback.list(user="local")
    assert rows and rows[0]["rating"] == 1 and rows[0]["question"] == FIRST


def test_thumbs_down_with_reason_is_stored(page, served):
    page.locator("#sc-chat button[aria-label='踩'], #sc-chat button[aria-label='Dislike']").last.click()
    page.wait_for_selector("#sc-reason textarea")
    page.fill("#sc-reason textarea", "没有提到 VNC")
    page.press("#sc-reason textarea", "Enter")
    page.wait_for_selector("#sc-reason", state="hidden")
    rows = served.blocks.services.feedback.list(user="local")
    assert rows and rows[0]["rating"] == -1 and rows[0]["reason"] == "没有提到 VNC"
    assert rows[0]["question"] == FIRST and rows[0]["turn_json"]["citations"]


def test_a_second_question_in_the_same_conversation(page):
    ask(page, SECOND)
    expect()(page.locator("#sc-progress")).to_have_text(KNOWLEDGE_DONE, timeout=60_000)
    expect()(page.locator("#src-1 .sc-path")).to_contain_text("docs/mysql/")
    snippet = page.locator("#sc-sources").text_content()  # the cards are closed: their text is hidden
    assert ".md)" not in snippet and "空间满导致只读" in snippet, "document-relative links show as text"


def test_runbook_step_cards_and_option_buttons(page, shots):
    page.click("#sc-new")
    ask(page, "帮我排查一下 SSH 连不上云服务器 127.0.0.1")
    page.wait_for_selector("#sc-runbook .sc-waiting")
    expect()(page.locator("#sc-progress")).to_contain_text("完成")
    asked = page.locator("#sc-progress").inner_text()
    assert asked.startswith("✓ 理解问题") and "核验" not in asked and "工具" not in asked, asked
    option = page.locator("#sc-options label", has_text="Linux")
    option.click()
    page.wait_for_selector("#sc-runbook .sc-tool")
    expect()(page.locator("#sc-progress")).to_have_text("✓ 理解问题 → ✓ 工具 · 完成")
    assert "tcp_port_check" in page.locator("#sc-runbook .sc-tool").first.inner_text()
    page.locator("#sc-runbook .sc-tool .sc-raw summary").first.click()
    page.wait_for_selector("#sc-runbook .sc-raw[open] pre")
    assert page.locator("#sc-skip").is_visible() and page.locator("#sc-leave").is_visible()
    assert_text_drawable(page)
    page.screenshot(path=str(shots / "runbook.png"), full_page=True)


def test_runbook_ends_with_a_copyable_handoff_summary(page):
    page.locator("#sc-options label", has_text="否").click()  # "问题解决了吗？" -> no: the flow escalates
    expect()(page.locator("#sc-handoff textarea")).to_have_value(re.compile("排障交接摘要"), timeout=30_000)
    assert page.locator("#sc-handoff button[aria-label*='opy'], #sc-handoff button[title*='opy'], "
                        "#sc-handoff button[aria-label*='复制']").count() > 0
    assert not page.locator("#sc-runbook-controls").is_visible()
    assert_text_drawable(page)  # the summary's check marks come from the tools layer


def test_knowledge_tab_upload_preview_and_retrieval_test(page, tmp_path):
    doc = tmp_path / "值班备忘.md"
    doc.write_text("# 值班备忘\n\n氦气阀门每季度巡检一次，巡检编号前缀为 HV-9。\n", encoding="utf-8")
    page.get_by_role("tab", name="知识库").click()
    page.wait_for_selector("#sc-kb-summary :text('个切块')")
    choose_file(page, doc)
    page.click("#sc-upload-check")
    expect()(page.locator("#sc-ingest-results")).to_contain_text("新增", timeout=60_000)
    expect()(page.locator("#sc-docs")).to_contain_text("值班备忘.md")
    page.locator("#sc-docs").get_by_text("值班备忘.md", exact=True).filter(visible=True).first.click()
    expect()(page.locator("#sc-preview")).to_contain_text("1 个切块", timeout=30_000)
    preview = page.locator("#sc-preview").inner_text()
    assert "**" not in preview and "1." in preview and "正文" in preview, preview
    page.fill("#sc-search-q textarea, #sc-search-q input", "氦气阀门多久巡检")
    page.click("#sc-search")
    expect()(page.locator("#sc-search-results")).to_contain_text("值班备忘.md", timeout=60_000)


def test_knowledge_tab_flags_a_contradiction_before_publishing(page, served, shots, tmp_path):
    hit = served.copilot.context.knowledge.search("max_connections 上限 1核2GB", kb="demo", k=1)[0]
    assert "1000" in hit.text
    doc = tmp_path / "连接数上限.md"
    doc.write_text("# 连接数上限\n\n" + hit.text.replace("1000", "1500", 1) + "\n", encoding="utf-8")
    choose_file(page, doc)
    page.click("#sc-upload-check")
    expect()(page.locator("#sc-flags")).to_contain_text("可能矛盾", timeout=60_000)
    expect()(page.locator("#sc-flags")).to_contain_text("1000 → 1500")
    assert page.locator("#sc-publish").is_visible() and page.locator("#sc-cancel").is_visible()
    assert_text_drawable(page)
    page.screenshot(path=str(shots / "knowledge.png"), full_page=True)
    page.click("#sc-publish")
    expect()(page.locator("#sc-ingest-results")).to_contain_text("连接数上限.md", timeout=60_000)
    expect()(page.locator("#sc-flags-summary")).to_contain_text("已发布到")
    assert not page.locator("#sc-publish").is_visible()


def test_knowledge_tab_deletes_a_document_to_the_trash_and_restores_it(page):
    page.locator("#sc-docs").get_by_text("连接数上限.md", exact=True).filter(visible=True).first.click()
    expect()(page.locator("#sc-preview")).to_contain_text("个切块", timeout=30_000)
    expect()(page.locator("#sc-preview")).to_contain_text("1500")
    page.click("#sc-delete-doc")
    expect()(page.locator("#sc-preview")).to_contain_text("确定从")
    expect()(page.locator("#sc-preview")).to_contain_text("天内可在回收站恢复")
    page.click("#sc-confirm-delete")
    expect()(page.locator("#sc-preview")).to_contain_text("移到回收站", timeout=30_000)
    expect()(page.locator("#sc-docs")).not_to_contain_text("连接数上限.md")

    page.locator("#sc-kb-trash").get_by_text("回收站", exact=True).first.click()
    page.click("#sc-trash-items input")
    page.locator("ul[role=listbox] li", has_text="连接数上限.md").first.click()
    page.click("#sc-trash-restore")
    expect()(page.locator("#sc-trash-note")).to_contain_text("已把文档", timeout=30_000)
    expect()(page.locator("#sc-docs")).to_contain_text("连接数上限.md")


def test_knowledge_tab_takes_a_pdfs_title_from_its_heading_line(page, tmp_path):
    from tests.knowledge.files import make_pdf

    pdf = make_pdf(tmp_path / "valves.pdf", ["Valve inspection guide", "Check the helium valve every quarter.",
                                             "Record the HV-9 number after each check."])
    choose_file(page, pdf)
    page.click("#sc-upload-check")
    expect()(page.locator("#sc-ingest-results")).to_contain_text("valves.pdf", timeout=60_000)
    expect()(page.locator("#sc-docs")).to_contain_text("Valve inspection guide")
    assert "Check the helium" not in page.locator("#sc-docs").inner_text(), "the heading line, not the paragraph"


def test_status_tab_shows_backends_and_knowledge_bases(page):
    page.get_by_role("tab", name="状态").click()
    expect()(page.locator("#sc-status")).to_contain_text("抽取式模式", timeout=30_000)
    expect()(page.locator("#sc-status")).to_contain_text("demo")
    expect()(page.locator("#sc-status")).to_contain_text("tcp_port_check")
    expect()(page.locator("#sc-jobs")).to_contain_text("后台任务")
    assert_text_drawable(page)


def test_reopen_a_past_conversation_with_its_sources_and_export_it(page):
    page.get_by_role("tab", name="对话").click()
    page.click("#sc-new")
    expect()(page.locator("#sc-chat")).not_to_contain_text("另外帮我写一首诗")
    expect()(page.locator("#sc-sources")).to_contain_text("提问后")
    page.click("#sc-conversations input")
    page.locator("ul[role=listbox] li", has_text="SSH 连接超时").first.click()
    expect()(page.locator("#sc-chat")).to_contain_text(FIRST, timeout=30_000)
    # the last turn's sources, citation markers still links, the badge still there
    expect()(page.locator("#src-1 .sc-path")).to_contain_text("docs/mysql/")
    assert page.locator("#sc-chat a[href='#src-1']").count() >= 2
    assert page.locator("#sc-chat").get_by_text("抽取式模式").count() == 2
    last_turn = page.locator("#sc-sources").inner_text()  # the whole panel: two turns may cite as many sources
    # clicking the first answer shows the first turn's sources again
    page.locator("#sc-chat .message-row", has_text="帮我写一首诗").last.locator(".message").first.click()
    expect()(page.locator("#sc-sources")).not_to_have_text(last_turn, use_inner_text=True, timeout=10_000)
    expect()(page.locator("#sc-sources")).to_contain_text("faq/faq.jsonl")
    assert_text_drawable(page)

    page.click("#sc-export")
    link = page.locator("#sc-export-out a[download^='conversation-']").first
    link.wait_for(state="attached", timeout=30_000)
    assert (link.get_attribute("download") or "").endswith(".md")
    href = link.get_attribute("href") or ""
    assert href.startswith("data:text/markdown")  # the transcript itself: no file left on the server
    text = base64.b64decode(href.split("base64,", 1)[1]).decode("utf-8")
    assert FIRST in text and SECOND in text and "## 助手" in text
    assert ".md)" not in text and "空间满导致只读" in text, "document-relative links become text in the export"
