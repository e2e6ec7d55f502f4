"""The status tab and the health endpoint: backends, adapters, embedder, KBs and sizes, data dir, version."""

from __future__ import annotations

import html
import logging
import time
from typing import Any, Callable

import gradio as gr

log = logging.getLogger(__name__)
STARTED = time.time()


def status_markdown(status: dict[str, Any]) -> str:
    llm = status.get("llm") or {}
    adapters = status.get("adapters") or []
    model = f"，模型 `{llm['model']}`" if llm.get("model") else ""
    device = f"，设备 `{llm['device']}`" if llm.get("device") else ""
    name = html.escape(str(llm.get("description") or llm.get("backend") or "未知"))
    lines = [
        "### 模型与后端",
        f"- 生成模型：**{name}**（后端 `{llm.get('backend')}`{model}{device}）",
        f"- LoRA 适配器：{'、'.join(f'`{a}`' for a in adapters) if adapters else '无（基座模型或抽取式模式）'}",
        f"- 向量模型：`{status.get('embedder')}`",
        "", "### 知识库",
        "| 名称 | 文档 | 切块 | 向量覆盖率 |", "|---|---|---|---|",
    ]
    for kb in status.get("kbs") or []:
        default = " （默认）" if kb.get("name") == status.get("default_kb") else ""
        lines.append(f"| {html.escape(str(kb['name']))}{default} | {kb.get('documents')} | {kb.get('chunks')} | "
                     f"{float(kb.get('dense_coverage') or 0) * 100:.0f}% |")
    lines += ["", "### 运行环境",
              f"- 数据目录：`{status.get('data_dir')}`",
              f"- 版本：`{status.get('version')}`",
              f"- 排障流程：{'、'.join(f'`{r}`' for r in status.get('runbooks') or []) or '无'}",
              f"- 诊断工具：{'、'.join(f'`{t}`' for t in status.get('tools') or []) or '无'}",
              f"- 已运行：{int(time.time() - STARTED)} 秒 · 健康检查：`/healthz`"]
    return "\n".join(lines)


def health(copilot: Any, problems: Callable[[], list[str]] | None = None) -> tuple[dict[str, Any], int]:
    """JSON for /healthz and its HTTP status: 200 ok; 503 when a store of the data directory is
    damaged or gone (`problems`, app.datadir) or the knowledge store cannot be read."""
    found = problems() if problems is not None else []
    if found:
        return {"status": "error", "error": "data_dir", "problems": found}, 503
    try:
        status = copilot.status()
    except Exception as exc:  # a health check reports, it does not raise
        log.exception("health check failed")
        return {"status": "error", "error": type(exc).__name__}, 503
    llm = status.get("llm") or {}
    return {
        "status": "ok",
        "version": status.get("version"),
        "llm": llm.get("backend"),
        "generative": bool(llm.get("generative")),
        "embedder": status.get("embedder"),
        "kbs": len(status.get("kbs") or []),
        "chunks": sum(int(kb.get("chunks") or 0) for kb in status.get("kbs") or []),
        "uptime_s": round(time.time() - STARTED, 1),
    }, 200


def build_status_tab(copilot: Any) -> gr.Markdown:
    view = gr.Markdown(elem_id="sc-status")
    refresh = gr.Button("刷新状态", size="sm")
    refresh.click(lambda: status_markdown(copilot.status()), None, view, api_visibility="private")
    return view
