"""A knowledge file with active HTML, answered in headless Chromium: nothing of it runs or renders.

The payloads found by probing (a password form that submitted, <script>, <svg onload>,
javascript: links, <img onerror>, <iframe>) each set `window.__pwned`; the answer must show
the document's text, no form or input, no script/svg/iframe element and no javascript: link.
Run: `pytest -m browser tests/browser`.
"""

from __future__ import annotations

import pytest

from tests.browser.test_app_browser import ARGS, CHROMIUM
from tests.hardening.hostile import QUESTION, launch_hostile_app

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    from pathlib import Path

    if not Path(CHROMIUM).exists():
        pytest.skip("chromium not installed (apt-get install chromium fonts-noto-cjk)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed (pip install playwright)")
    app = launch_hostile_app(tmp_path_factory.mktemp("hostile-browser"), with_auth=False)
    try:
        with sync_api.sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
            tab = browser.new_page(viewport={"width": 1280, "height": 900}, locale="zh-CN")
            tab.set_default_timeout(60_000)
            tab.goto(app.url)
            tab.wait_for_selector("#sc-input textarea")
            yield tab
            browser.close()
    finally:
        app.close()


def test_hostile_document_html_neither_runs_nor_renders(page):
    expect = pytest.importorskip("playwright.sync_api").expect
    page.fill("#sc-input textarea", QUESTION)
    page.click("#sc-send")
    chat = page.locator("#sc-chat")
    expect(chat).to_contain_text("刷新登录门户页面", timeout=60_000)
    expect(page.locator("#sc-progress")).to_contain_text("完成", timeout=60_000)
    page.wait_for_timeout(500)  # let any onload/onerror handler have its chance
    assert page.evaluate("window.__pwned") is None
    for selector in ("form", "input[type=password]", "script", "svg[onload]", "iframe", "img[onerror]",
                     "a[href^='javascript']", "button:has-text('提交')"):
        assert chat.locator(selector).count() == 0, selector
    assert page.locator("#sc-sources form, #sc-sources script, #sc-sources iframe").count() == 0
    expect(chat).to_contain_text("门户手册")  # the link text stays, without its javascript: target
