"""Managing things in headless Chromium: conversations (search, rename, delete to the trash, restore),
knowledge bases (delete with confirmation, trash, restore; the default base is protected) and the
status tab's line per background job (a vector backfill held by a gated embedder, so its progress
and ETA are seen for certain). Screenshot: status.png. Run: `pytest -m browser tests/browser`.
"""

from __future__ import annotations

import re

import httpx
import pytest

from tests.app.ui_server import launch_small_app
from tests.browser.helpers import ask, assert_text_drawable, expect, open_page, require_browser, screenshot_dir
from tests.fixtures.gated_embedder import GatedEmbedder

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def gate():
    embedder = GatedEmbedder()
    embedder.open()
    yield embedder
    embedder.open()


@pytest.fixture(scope="module")
def served(tmp_path_factory, gate):
    require_browser()
    app = launch_small_app(tmp_path_factory.mktemp("manage"), with_auth=False, dense="background",
                           embedder_instance=gate)
    yield app
    gate.open()
    app.close()


@pytest.fixture(scope="module")
def page(served):
    from playwright import sync_api
    with sync_api.sync_playwright() as pw:
        browser, tab = open_page(pw, served.url)
        yield tab
        browser.close()


def pick(page, field: str, text: str) -> None:
    page.click(f"{field} input")
    page.locator("ul[role=listbox] li", has_text=text).first.click()


def finish(page) -> None:
    expect()(page.locator("#sc-progress")).to_contain_text("完成", timeout=60_000)


def test_search_rename_delete_and_restore_a_conversation(page):
    ask(page, "SSH 连接超时怎么办？")
    finish(page)
    page.click("#sc-new")
    ask(page, "安全组规则不生效怎么办")
    finish(page)

    page.fill("#sc-conv-search input, #sc-conv-search textarea", "连接超时")
    page.click("#sc-conversations input")
    options = page.locator("ul[role=listbox] li")
    expect()(options).to_have_count(1)
    options.first.click()
    expect()(page.locator("#sc-chat")).to_contain_text("SSH 连接超时怎么办？", timeout=30_000)

    page.click("#sc-rename")
    page.fill("#sc-rename-title input, #sc-rename-title textarea", "客户甲 SSH 超时")
    page.click("#sc-rename-save")
    expect()(page.locator("#sc-conversations input")).to_have_value(re.compile("客户甲 SSH 超时"))
    assert not page.locator("#sc-rename-box").is_visible()

    page.click("#sc-delete-conv")
    expect()(page.locator("#sc-delete-text")).to_contain_text("回收站")
    assert page.locator("#sc-conversations input").input_value().endswith("客户甲 SSH 超时"), "nothing deleted yet"
    page.click("#sc-delete-conv-confirm")
    expect()(page.locator(".toast-wrap").last).to_contain_text("移到回收站")
    expect()(page.locator("#sc-chat .message-row")).to_have_count(0)  # the deleted conversation was open
    page.fill("#sc-conv-search input, #sc-conv-search textarea", "")
    page.click("#sc-conversations input")
    expect()(page.locator("ul[role=listbox] li")).to_have_count(1)
    assert "客户甲" not in page.locator("ul[role=listbox]").inner_text()
    page.keyboard.press("Escape")

    page.locator("#sc-conv-trash").get_by_text("回收站", exact=True).first.click()
    pick(page, "#sc-trash-conversations", "客户甲 SSH 超时")
    page.click("#sc-restore-conv")
    expect()(page.locator(".toast-wrap").last).to_contain_text("已恢复")
    pick(page, "#sc-conversations", "客户甲 SSH 超时")
    expect()(page.locator("#sc-chat")).to_contain_text("SSH 连接超时怎么办？", timeout=30_000)
    expect()(page.locator("#src-1")).to_be_attached()
    assert_text_drawable(page)


def test_the_default_knowledge_base_cannot_be_deleted(page):
    page.get_by_role("tab", name="知识库").click()
    page.wait_for_selector("#sc-kb-summary :text('个切块')")
    page.click("#sc-delete-kb")
    toast = page.locator(".toast-wrap").last
    expect()(toast).to_contain_text("默认知识库，不能删除")
    expect()(toast.locator(".toast-title")).to_have_text("出错了")
    assert not page.locator("#sc-delete-kb-box").is_visible()


def test_delete_a_knowledge_base_to_the_trash_and_restore_it(page, served, tmp_path):
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "valves.md").write_text("# 阀门\n\n氦气阀门每季度巡检一次。\n", encoding="utf-8")
    knowledge = served.copilot.context.knowledge
    knowledge.ingest([tmp_path / "notes"], kb="team-notes")
    knowledge.wait_dense()

    page.click("#sc-kb-refresh")  # the base was made behind the page's back (as by the CLI)
    pick(page, "#sc-kb", "team-notes")
    expect()(page.locator("#sc-kb-summary")).to_contain_text("team-notes")
    page.click("#sc-delete-kb")
    expect()(page.locator("#sc-delete-kb-text")).to_contain_text("1 个文档")
    assert knowledge.has_kb("team-notes"), "asking deletes nothing"
    page.click("#sc-delete-kb-confirm")
    expect()(page.locator("#sc-preview")).to_contain_text("移到回收站", timeout=30_000)
    assert not knowledge.has_kb("team-notes")
    page.click("#sc-kb input")
    assert "team-notes" not in page.locator("ul[role=listbox]").inner_text()
    page.keyboard.press("Escape")

    page.locator("#sc-kb-trash").get_by_text("回收站", exact=True).first.click()
    pick(page, "#sc-trash-items", "知识库 team-notes")
    page.click("#sc-trash-restore")
    expect()(page.locator("#sc-trash-note")).to_contain_text("已恢复知识库", timeout=30_000)
    expect()(page.locator("#sc-kb-summary")).to_contain_text("team-notes")
    assert knowledge.search("氦气阀门", kb="team-notes")[0].source == "valves.md"
    assert_text_drawable(page)


def test_status_tab_shows_a_line_per_background_job_with_eta(page, served, gate, tmp_path_factory):
    shots = screenshot_dir(tmp_path_factory)
    folder = tmp_path_factory.mktemp("backfill")
    for i in range(40):
        (folder / f"d{i:02d}.md").write_text(f"# 巡检记录 {i}\n\n第 {i} 号阀门巡检正常，编号 HV-{i}。\n", encoding="utf-8")
    gate.close()  # hold the vector batches: the job stays visible
    knowledge = served.copilot.context.knowledge
    knowledge.ingest([folder], kb="records")
    page.get_by_role("tab", name="状态").click()
    jobs = page.locator("#sc-jobs")
    expect()(jobs).to_contain_text("向量补全 · 知识库 records：0 / 40 个切块", timeout=30_000)
    expect()(jobs).to_contain_text("正在估算剩余时间")
    gate.allow(1)
    expect()(jobs).to_contain_text("预计还需约", timeout=30_000)  # refreshed by the tab's timer
    assert "16 / 40 个切块（40%）" in jobs.inner_text()
    health = httpx.get(served.url.rstrip("/") + "/healthz", timeout=10, trust_env=False).json()
    assert health["jobs"][0]["kb"] == "records" and health["jobs"][0]["done"] == 16
    assert_text_drawable(page)
    page.screenshot(path=str(shots / "status.png"), full_page=True)
    gate.open()
    expect()(jobs).to_contain_text("已完成，40 个切块", timeout=30_000)
    assert knowledge.show_kb("records")["dense_coverage"] == 1.0
