"""The web app in headless Chromium (Debian /usr/bin/chromium driven by Playwright).

Asks a question, sees the streamed answer and a citation, opens the source; walks a
runbook step; uploads and searches in the knowledge tab. Screenshots go to a temp dir,
or to $SC_SCREENSHOTS_DIR (docs/screenshots/ is made with that).
Run: `pytest -m browser tests/browser`.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from tests.app.ui_server import launch_small_app

pytestmark = pytest.mark.browser
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync", "--disable-dev-shm-usage"]


FIRST = "SSH 连接超时怎么办？另外帮我写一首诗"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium not installed (apt-get install chromium fonts-noto-cjk)")
    pytest.importorskip("playwright.sync_api", reason="playwright not installed (pip install playwright)")
    # loopback allowed so the runbook's port check really runs (port 22 is closed here: a finding)
    app = launch_small_app(tmp_path_factory.mktemp("browser"), with_auth=False, tools={"allow_targets": ["127.0.0.1"]})
    yield app
    app.close()


@pytest.fixture(scope="module")
def page(served):
    from playwright import sync_api
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        tab = browser.new_page(viewport={"width": 1480, "height": 1000}, locale="zh-CN")
        tab.set_default_timeout(60_000)
        tab.goto(served.url)
        tab.wait_for_selector("#sc-input textarea")
        yield tab
        browser.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    target = os.environ.get("SC_SCREENSHOTS_DIR")
    folder = Path(target) if target else tmp_path_factory.mktemp("shots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def choose_file(page, path: Path) -> None:
    """Put a file into the upload box; retried because a tab switch can re-render the box mid-upload."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(3):
        page.locator("#sc-upload input[type=file]").set_input_files(str(path))
        try:
            page.wait_for_selector(f"#sc-upload :text('{path.name}')", timeout=20_000)
            return
        except PlaywrightTimeout:
            if attempt == 2:
                raise


def ask(page, text: str) -> None:
    page.fill("#sc-input textarea", text)
    page.click("#sc-send")


def test_question_streams_a_cited_answer_and_opens_the_source(page, shots):
    ask(page, FIRST)
    page.wait_for_selector("#sc-progress :text('理解问题')")
    page.wait_for_selector("#sc-progress :text('完成')")
    chat_text = page.locator("#sc-chat").inner_text()
    assert "22" in chat_text
    assert "1. SSH 连接超时怎么办" in chat_text and "2. 帮我写一首诗" in chat_text, "one section per sub-question"
    link = page.locator("#sc-chat a[href='#src-1']").first
    link.wait_for()
    assert page.locator("#src-1[open]").count() == 0
    link.click()
    page.wait_for_selector("#src-1[open]")
    assert page.locator("#src-1 .sc-path code").inner_text().strip().endswith((".md", ".jsonl"))
    assert page.locator("#src-1 mark").count() > 0, "query terms are highlighted in the snippet"
    assert page.locator("#sc-chat").get_by_text("抽取式模式").count() > 0
    page.screenshot(path=str(shots / "chat.png"), full_page=True)


def test_thumbs_down_with_reason_is_stored(page, served):
    page.locator("#sc-chat button[aria-label='踩'], #sc-chat button[aria-label='Dislike']").last.click()
    page.wait_for_selector("#sc-reason textarea")
    page.fill("#sc-reason textarea", "没有提到 VNC")
    page.press("#sc-reason textarea", "Enter")
    page.wait_for_selector("#sc-reason", state="hidden")
    rows = served.blocks.services.feedback.list(user="local")
    assert rows and rows[0]["rating"] == -1 and rows[0]["reason"] == "没有提到 VNC"
    assert rows[0]["question"] == FIRST and rows[0]["turn_json"]["citations"]


def test_runbook_step_cards_and_option_buttons(page, shots):
    page.click("#sc-new")
    ask(page, "帮我排查一下 SSH 连不上云服务器 127.0.0.1")
    page.wait_for_selector("#sc-runbook .sc-waiting")
    option = page.locator("#sc-options label", has_text="Linux")
    option.click()
    page.wait_for_selector("#sc-runbook .sc-tool")
    assert "tcp_port_check" in page.locator("#sc-runbook .sc-tool").first.inner_text()
    page.locator("#sc-runbook .sc-tool .sc-raw summary").first.click()
    page.wait_for_selector("#sc-runbook .sc-raw[open] pre")
    assert page.locator("#sc-skip").is_visible() and page.locator("#sc-leave").is_visible()
    page.screenshot(path=str(shots / "runbook.png"), full_page=True)


def test_runbook_ends_with_a_copyable_handoff_summary(page):
    expect = pytest.importorskip("playwright.sync_api").expect
    page.locator("#sc-options label", has_text="否").click()  # "问题解决了吗？" -> no: the flow escalates
    expect(page.locator("#sc-handoff textarea")).to_have_value(re.compile("排障交接摘要"), timeout=30_000)
    assert page.locator("#sc-handoff button[aria-label*='opy'], #sc-handoff button[title*='opy'], "
                        "#sc-handoff button[aria-label*='复制']").count() > 0
    assert not page.locator("#sc-runbook-controls").is_visible()


def test_knowledge_tab_upload_and_retrieval_test(page, shots, tmp_path):
    doc = tmp_path / "值班备忘.md"
    doc.write_text("# 值班备忘\n\n氦气阀门每季度巡检一次，巡检编号前缀为 HV-9。\n", encoding="utf-8")
    page.get_by_role("tab", name="知识库").click()
    page.wait_for_selector("#sc-kb-summary :text('个切块')")
    choose_file(page, doc)
    page.click("#sc-upload-check")
    expect = pytest.importorskip("playwright.sync_api").expect
    expect(page.locator("#sc-ingest-results")).to_contain_text("新增", timeout=60_000)
    expect(page.locator("#sc-docs")).to_contain_text("值班备忘.md")
    page.fill("#sc-search-q textarea, #sc-search-q input", "氦气阀门多久巡检")
    page.click("#sc-search")
    expect(page.locator("#sc-search-results")).to_contain_text("值班备忘.md", timeout=60_000)


def test_knowledge_tab_flags_a_contradiction_before_publishing(page, served, shots, tmp_path):
    expect = pytest.importorskip("playwright.sync_api").expect
    hit = served.copilot.context.knowledge.search("max_connections 上限 1核2GB", kb="demo", k=1)[0]
    assert "1000" in hit.text
    doc = tmp_path / "连接数上限.md"
    doc.write_text("# 连接数上限\n\n" + hit.text.replace("1000", "1500", 1) + "\n", encoding="utf-8")
    choose_file(page, doc)
    page.click("#sc-upload-check")
    expect(page.locator("#sc-flags")).to_contain_text("可能矛盾", timeout=60_000)
    expect(page.locator("#sc-flags")).to_contain_text("1000 → 1500")
    assert page.locator("#sc-publish").is_visible() and page.locator("#sc-cancel").is_visible()
    page.screenshot(path=str(shots / "knowledge.png"), full_page=True)
    page.click("#sc-publish")
    expect(page.locator("#sc-ingest-results")).to_contain_text("连接数上限.md", timeout=60_000)
    expect(page.locator("#sc-flags-summary")).to_contain_text("已发布到")
    assert not page.locator("#sc-publish").is_visible()


def test_knowledge_tab_preview_and_delete_a_document(page):
    expect = pytest.importorskip("playwright.sync_api").expect
    page.locator("#sc-docs").get_by_text("连接数上限.md", exact=True).filter(visible=True).first.click()
    expect(page.locator("#sc-preview")).to_contain_text("个切块", timeout=30_000)
    expect(page.locator("#sc-preview")).to_contain_text("1500")
    page.click("#sc-delete-doc")
    expect(page.locator("#sc-preview")).to_contain_text("确定从")
    page.click("#sc-confirm-delete")
    expect(page.locator("#sc-preview")).to_contain_text("已从", timeout=30_000)
    expect(page.locator("#sc-docs")).not_to_contain_text("连接数上限.md")


def test_status_tab_shows_backends_and_knowledge_bases(page, shots):
    page.get_by_role("tab", name="状态").click()
    expect = pytest.importorskip("playwright.sync_api").expect
    expect(page.locator("#sc-status")).to_contain_text("抽取式模式", timeout=30_000)
    expect(page.locator("#sc-status")).to_contain_text("demo")
    expect(page.locator("#sc-status")).to_contain_text("tcp_port_check")
    page.screenshot(path=str(shots / "status.png"), full_page=True)


def test_reopen_a_past_conversation_and_export_it(page):
    expect = pytest.importorskip("playwright.sync_api").expect
    page.get_by_role("tab", name="对话").click()
    page.click("#sc-new")
    expect(page.locator("#sc-chat")).not_to_contain_text("另外帮我写一首诗")
    page.click("#sc-conversations input")
    page.locator("ul[role=listbox] li", has_text="SSH 连接超时").first.click()
    expect(page.locator("#sc-chat")).to_contain_text(FIRST, timeout=30_000)
    page.click("#sc-export")
    link = page.locator("#sc-export-out a[download^='conversation-']").first
    link.wait_for(state="attached", timeout=30_000)
    assert (link.get_attribute("download") or "").endswith(".md")
    assert (link.get_attribute("href") or "").startswith("data:text/markdown")  # no file left on the server
