"""The app's own symbols are drawable with fonts-noto-cjk, the font the README installs (no colour emoji).

Scans the user-facing text of app/ui (string literals) and checks every symbol against the
font's character map; `plain_symbols` maps the emoji other layers write. The browser test
checks the rendered page the same way.
"""

from __future__ import annotations

import ast
import subprocess
from pathlib import Path

import pytest

from app.ui.icons import plain_symbols

UI = Path(__file__).resolve().parents[2] / "app" / "ui"


@pytest.fixture(scope="module")
def noto_cjk() -> set[int]:
    ttlib = pytest.importorskip("fontTools.ttLib", reason="fontTools not installed")
    try:
        path = subprocess.run(["fc-match", "-f", "%{file}", "Noto Sans CJK SC"], capture_output=True, text=True,
                              timeout=10).stdout.strip()
    except OSError:
        pytest.skip("fontconfig not installed")
    if "NotoSansCJK" not in path:
        pytest.skip("fonts-noto-cjk not installed")
    return set(ttlib.TTFont(path, fontNumber=0).getBestCmap())


def ui_strings() -> dict[str, str]:
    texts = {}
    for file in sorted(UI.glob("*.py")):
        tree = ast.parse(file.read_text(encoding="utf-8"))
        texts[file.name] = " ".join(node.value for node in ast.walk(tree)
                                    if isinstance(node, ast.Constant) and isinstance(node.value, str))
    return texts


def test_every_symbol_in_the_app_is_in_noto_sans_cjk(noto_cjk):
    missing = {name: sorted({ch for ch in text if ord(ch) >= 0x2000 and ord(ch) not in noto_cjk})
               for name, text in ui_strings().items()}
    missing = {name: chars for name, chars in missing.items() if chars and name != "icons.py"}  # icons maps emoji
    assert not missing, missing


def test_emoji_from_other_layers_become_drawable_symbols(noto_cjk):
    summary = "| 1 | 端口 | `tcp_port_check` | ✅ 端口通 |\n| 2 | 证书 | `tls_check` | ❌ 已过期 |\n| 3 | DNS | x | ⚠️ 超时 |"
    shown = plain_symbols(summary)
    assert "✓ 端口通" in shown and "× 已过期" in shown and "⚠ 超时" in shown
    assert all(ord(ch) < 0x2000 or ord(ch) in noto_cjk for ch in shown)
    assert plain_symbols("💡 提示：`a  b`") == "提示：`a  b`", "decorative emoji go, spacing inside text stays"
