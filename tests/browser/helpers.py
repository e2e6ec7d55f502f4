"""Shared by the browser tests: Chromium arguments, screenshot folder, the font check, small actions."""

from __future__ import annotations

import os
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync", "--disable-dev-shm-usage"]


def require_browser() -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip("chromium not installed (apt-get install chromium fonts-noto-cjk)")
    pytest.importorskip("playwright.sync_api", reason="playwright not installed (pip install playwright)")


def open_page(pw, url: str):
    browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
    tab = browser.new_page(viewport={"width": 1480, "height": 1000}, locale="zh-CN")
    tab.set_default_timeout(60_000)
    tab.goto(url)
    tab.wait_for_selector("#sc-input textarea")
    return browser, tab


def screenshot_dir(tmp_path_factory) -> Path:
    target = os.environ.get("SC_SCREENSHOTS_DIR")
    folder = Path(target) if target else tmp_path_factory.mktemp("shots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def expect():
    return pytest.importorskip("playwright.sync_api").expect


def ask(page, text: str) -> None:
    page.fill("#sc-input textarea", text)
    page.click("#sc-send")


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


FONTS = {"Noto Sans CJK SC": "NotoSansCJK", "DejaVu Sans": "DejaVuSans"}
"""fonts-noto-cjk (the README installs it) and fonts-dejavu-core (every Debian with fontconfig has it)."""


@lru_cache(maxsize=1)
def fresh_debian_cmap() -> frozenset[int] | None:
    """Code points a fresh Debian machine with chromium + fonts-noto-cjk can draw (no colour emoji font)."""
    try:
        from fontTools.ttLib import TTFont
    except ImportError:
        return None
    points: set[int] = set()
    for family, file_part in FONTS.items():
        try:
            path = subprocess.run(["fc-match", "-f", "%{file}", family], capture_output=True, text=True,
                                  timeout=10).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return None
        if file_part not in path:
            return None
        points |= set(TTFont(path, fontNumber=0).getBestCmap())
    return frozenset(points)


def assert_text_drawable(page) -> None:
    """Every symbol the page shows (text, button labels, field values) is in the fonts of a fresh Debian
    machine set up as the README says: no colour emoji that it would draw as an empty box."""
    cmap = fresh_debian_cmap()
    if cmap is None:
        pytest.skip("fonts-noto-cjk, fonts-dejavu-core or fontTools missing: cannot check glyph coverage")
    text = page.evaluate("""() => document.body.innerText + ' ' +
        Array.from(document.querySelectorAll('textarea, input')).map(e => e.value || e.placeholder || '').join(' ')""")
    missing = sorted({ch for ch in text if ord(ch) >= 0x2000 and ord(ch) not in cmap and ch not in "\u200b\u200d"})
    assert not missing, "not drawable with fonts-noto-cjk / fonts-dejavu-core: " + " ".join(f"{c} U+{ord(c):04X}" for c in missing)
