"""A knowledge file with active HTML, answered in headless Chromium: nothing of it runs or renders.

The payloads found by probing (a password form that submitted, <script>, <svg onload>,
javascript: links, <img onerror>, <iframe>) each set `window.__pwned`; the answer must show
the document's text, no form or input, no script/svg/iframe element and no javascript: link.
Run: `pytest -m browser tests/browser`.
"""

from __future__ import annotations

import pytest

from tests.browser.helpers import open_page, require_browser
from tests.hardening.hostile import QUESTION, launch_hostile_app

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    require_browser()
    from playwright import sync_api

    app = launch_hostile_app(tmp_path_factory.mktemp("hostile-browser"), with_auth=False)
    try:
        with sync_api.sync_playwright() as pw:
            browser, tab = open_page(pw, app.url)
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
