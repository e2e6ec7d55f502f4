"""The status tab and the health endpoint: backends, adapters, embedder, KBs and sizes, background jobs
(vector backfill with progress and ETA, refreshed every few seconds while one runs), data dir, version."""

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
    lines += ["", "### 运行环境", storage_line(status.get("storage") or {}),
              f"- 数据目录：`{status.get('data_dir')}`",
              f"- 版本：`{status.get('version')}`",
              f"- 排障流程：{'、'.join(f'`{r}`' for r in status.get('runbooks') or []) or '无'}",
              f"- 诊断工具：{'、'.join(f'`{t}`' for t in status.get('tools') or []) or '无'}",
              f"- 已运行：{int(time.time() - STARTED)} 秒 · 健康检查：`/healthz`"]
    return "\n".join(lines)


def storage_line(storage: dict[str, Any]) -> str:
    """Where the state lives: this machine's files, or the shared servers (several replicas)."""
    if storage.get("mode") == "server":
        return (f"- 存储：服务器模式（PostgreSQL `{storage.get('postgres')}`，Chroma `{storage.get('chroma')}`；"
                "多个副本共享对话、知识库、审计与反馈）")
    return "- 存储：本机模式（数据目录中的 SQLite 与 Chroma 文件）"


JOB_NAMES = {"embedding": "向量补全"}
JOBS_REFRESH_S = 3.0


def background_jobs(copilot: Any) -> list[dict[str, Any]]:
    """The knowledge layer's background jobs (vector backfill), [] when it has none to report."""
    jobs = getattr(copilot.context.knowledge, "jobs", None)
    return list(jobs()) if callable(jobs) else []


def duration(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    if seconds < 1:
        return "不到 1 秒"
    if seconds < 60:
        return f"{seconds} 秒"
    if seconds < 3600:
        return f"{seconds // 60} 分 {seconds % 60:02d} 秒"
    return f"{seconds // 3600} 小时 {seconds % 3600 // 60:02d} 分"


def job_line(job: dict[str, Any]) -> str:
    """One line per background job: what, which base, how far, how long still."""
    name = JOB_NAMES.get(str(job.get("kind")), str(job.get("kind")))
    kb = html.escape(str(job.get("kb")))
    done, total = int(job.get("done") or 0), int(job.get("total") or 0)
    share = f"（{done * 100 // total}%）" if total else ""
    if job.get("error"):
        return f"- {name} · 知识库 **{kb}**：出错，已停止（{html.escape(str(job['error']))}）；关键词检索不受影响，重启后会继续"
    if not job.get("running"):
        took = duration(float(job.get("finished_at") or 0) - float(job.get("started_at") or 0))
        return f"- {name} · 知识库 **{kb}**：已完成，{total} 个切块，用时 {took}"
    eta = job.get("eta_s")
    left = f"预计还需约 {duration(float(eta))}" if eta is not None else "正在估算剩余时间"
    return (f"- {name} · 知识库 **{kb}**：{done} / {total} 个切块{share}，{left}"
            "（完成前这些文档只参与关键词检索）")


def jobs_markdown(jobs: list[dict[str, Any]]) -> str:
    lines = ["### 后台任务"] + ([job_line(j) for j in jobs] or ["- 当前没有后台任务"])
    return "\n".join(lines)


def health(copilot: Any, starting: bool = False,
           problems: Callable[[], list[str]] | None = None) -> tuple[dict[str, Any], int]:
    """JSON for /healthz and its HTTP status: 503 `starting` until the app serves, 200 ok,
    503 `error` with the `problems` when a store of the data directory is damaged or gone
    (app.datadir) or the knowledge store cannot be read."""
    if starting:
        return {"status": "starting", "uptime_s": round(time.time() - STARTED, 1)}, 503
    found = problems() if problems is not None else []
    if found:
        return {"status": "error", "error": "data_dir", "problems": found}, 503
    try:
        status = copilot.status()
        jobs = [j for j in background_jobs(copilot) if j.get("running")]
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
        "storage": (status.get("storage") or {}).get("mode", "embedded"),
        # the Chroma server is down: still 200 (keyword search serves every question), but say so
        "vector_search": "unavailable" if any(kb.get("dense_state") == "unavailable" for kb in status.get("kbs") or [])
        else "ok",
        "jobs": [{k: j.get(k) for k in ("kind", "kb", "done", "total", "eta_s")} for j in jobs],
    }, 200


def build_status_tab(copilot: Any) -> tuple[gr.Markdown, Any]:
    """The tab's components; returns (view, show) where `show()` gives the outputs [view, jobs, timer]."""
    jobs_view = gr.Markdown(jobs_markdown([]), elem_id="sc-jobs")
    view = gr.Markdown(elem_id="sc-status")
    refresh = gr.Button("刷新状态", size="sm")
    timer = gr.Timer(JOBS_REFRESH_S, active=False)

    def show() -> tuple:
        jobs = background_jobs(copilot)
        return (status_markdown(copilot.status()), jobs_markdown(jobs),
                gr.Timer(active=any(j.get("running") for j in jobs)))

    def tick() -> tuple:
        jobs = background_jobs(copilot)
        return jobs_markdown(jobs), gr.Timer(active=any(j.get("running") for j in jobs))

    outputs = [view, jobs_view, timer]
    refresh.click(show, None, outputs, api_visibility="private")
    timer.tick(tick, None, [jobs_view, timer], api_visibility="private", show_progress="hidden")
    return outputs, show
