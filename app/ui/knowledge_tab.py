"""The knowledge tab: upload (stage -> flags -> publish), documents, chunk preview, retrieval test.

Layout and Gradio glue only; the logic is in `app/ui/knowledge_handlers.py`. Errors an
agent can fix become gr.Error in Chinese.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gradio as gr

from app.ui.errors import UIError, errors_shown
from app.ui.icons import DONE

from app.ui.knowledge_handlers import KnowledgeHandlers, file_rows, flag_rows, search_rows
from app.ui.knowledge_trash import KnowledgeTrash, build_trash_section
from app.ui.services import user_of

FILE_HEADERS = ["文件", "结果", "切块数", "原因"]
DOC_HEADERS = ["文档", "标题", "切块数", "向量", "版本", "更新时间"]
FLAG_HEADERS = ["类型", "上传文件", "上传内容", "已有文档", "已有内容", "差异", "相似度"]
SEARCH_HEADERS = ["排名", "文档", "章节", "融合分", "词法分", "向量分", "内容"]


def _paths(files: Any) -> list[tuple[str, Path]]:
    items = files if isinstance(files, list) else ([files] if files else [])
    return [(Path(str(f)).name, Path(str(f))) for f in items]


def build_knowledge_tab(h: KnowledgeHandlers) -> dict[str, Any]:
    app = h.settings.app
    trash = KnowledgeTrash(h.services)
    trash.purge()  # what has been in the trash longer than app.trash_days
    staged_id = gr.State(None)
    with gr.Row():
        kb = gr.Dropdown(label="知识库（可输入新名称创建）", choices=h.kb_names(), value=h.settings.knowledge.default_kb,
                         allow_custom_value=True, interactive=True, scale=3, elem_id="sc-kb")
        refresh = gr.Button("刷新", size="sm", scale=1, elem_id="sc-kb-refresh")
        delete_kb_btn = gr.Button("删除知识库", size="sm", scale=1, elem_id="sc-delete-kb")
    with gr.Group(visible=False, elem_id="sc-delete-kb-box") as delete_kb_box:
        delete_kb_text = gr.Markdown("", elem_id="sc-delete-kb-text")
        with gr.Row():
            delete_kb_yes = gr.Button("确认删除知识库", variant="stop", size="sm", elem_id="sc-delete-kb-confirm")
            delete_kb_no = gr.Button("取消", size="sm", elem_id="sc-delete-kb-cancel")
    kb_summary = gr.Markdown(elem_id="sc-kb-summary")
    with gr.Accordion("上传文件", open=True):
        gr.Markdown(f"支持 {'、'.join(app.upload_types)}；单个文件不超过 {app.max_upload_mb:g} MB，"
                    f"一次最多 {app.max_upload_files} 个文件。发布前会检查与现有知识重复或矛盾的内容。")
        upload = gr.File(label="选择文件或 zip", file_count="multiple", file_types=list(app.upload_types),
                         type="filepath", elem_id="sc-upload")
        check_btn = gr.Button("上传并检查", variant="primary", elem_id="sc-upload-check")
        flags_md = gr.Markdown(visible=False, elem_id="sc-flags-summary")
        flags = gr.Dataframe(headers=FLAG_HEADERS, visible=False, interactive=False, wrap=True, elem_id="sc-flags",
                             column_widths=["8%", "12%", "27%", "12%", "27%", "9%", "5%"])
        with gr.Row(visible=False) as confirm_row:
            publish_btn = gr.Button("确认发布", variant="primary", elem_id="sc-publish")
            cancel_btn = gr.Button("取消上传", variant="stop", elem_id="sc-cancel")
        results = gr.Dataframe(headers=FILE_HEADERS, label="导入结果", interactive=False, wrap=True,
                               elem_id="sc-ingest-results")
    with gr.Accordion("文档", open=True):
        docs = gr.Dataframe(headers=DOC_HEADERS, interactive=False, wrap=True, elem_id="sc-docs")
        with gr.Row():
            doc = gr.Dropdown(label="选中的文档", choices=[], interactive=True, allow_custom_value=True, scale=4)
            delete_btn = gr.Button("删除文档", size="sm", scale=1, elem_id="sc-delete-doc")
            confirm_delete = gr.Button("确认删除", variant="stop", size="sm", scale=1, visible=False,
                                       elem_id="sc-confirm-delete")
        preview = gr.Markdown("在上方表格中点选一个文档以预览其切块。", elem_id="sc-preview", max_height=480)
    with gr.Accordion("检索测试", open=True):
        with gr.Row():
            query = gr.Textbox(label="测试问题", placeholder="例如：安全组规则不生效", scale=5, elem_id="sc-search-q")
            k = gr.Slider(1, 20, value=8, step=1, label="返回条数", scale=1)
        search_btn = gr.Button("检索", elem_id="sc-search")
        hits = gr.Dataframe(headers=SEARCH_HEADERS, interactive=False, wrap=True, elem_id="sc-search-results")
    listing = [kb_summary, docs, doc, kb]

    def refresh_docs(name: str | None) -> tuple:
        summary, rows = h.documents(name)
        sources = [r[0] for r in rows]
        return (summary, rows, gr.update(choices=sources, value=None),
                gr.update(choices=h.kb_names(), value=name))

    def published(data: dict, kb_: str) -> tuple:
        """Outputs after a publish: summary, flags hidden, results, listing refreshed, upload box cleared."""
        for notice in data.get("notices") or []:  # e.g. the vector server is down: keywords now, vectors later
            gr.Warning(notice, title="向量稍后补齐")
        return (None, gr.update(value=_done_text(data), visible=True), gr.update(visible=False),
                gr.update(visible=False), file_rows(data["files"]), *refresh_docs(kb_), gr.update(value=None))

    def check(files: Any, name: str | None, request: gr.Request, progress=gr.Progress()) -> tuple:
        def report(stage: str, done: int, total: int) -> None:
            progress((done, total), desc=stage)

        staged, found = h.stage(_paths(files), name, user_of(request), report)
        if not found:
            return published(h.publish(h.take(staged.id, user_of(request)), report), staged.kb)
        text = f"⚠ 发现 **{len(found)}** 处与知识库 **{staged.kb}** 中已有内容重复或可能矛盾，请核对后确认发布或取消。"
        keep = gr.update()
        return (staged.id, gr.update(value=text, visible=True), gr.update(value=flag_rows(found), visible=True),
                gr.update(visible=True), keep, keep, keep, keep, keep, keep)

    def publish(sid: str | None, request: gr.Request, progress=gr.Progress()) -> tuple:
        staged = h.take(sid, user_of(request))
        return published(h.publish(staged, lambda s, d, t: progress((d, t), desc=s)), staged.kb)

    def cancel(sid: str | None, request: gr.Request) -> tuple:
        h.discard(sid, user_of(request))
        return (None, gr.update(value="已取消上传，未做任何修改。", visible=True), gr.update(visible=False),
                gr.update(visible=False), gr.update(value=None))

    trash_parts = build_trash_section(trash, listing, refresh_docs)

    def ask_delete(name: str | None, source: str | None) -> tuple:
        if not source:
            raise UIError("请先在表格中选择要删除的文档。")
        return (f"⚠ 确定从 **{name}** 删除文档 `{source}` 吗？删除后它不会再被检索到，{trash.days:g} 天内可在回收站恢复。"
                "点击“确认删除”继续。", gr.update(visible=True))

    def delete(name: str | None, source: str | None) -> tuple:
        message = trash.delete_document(*h.located(name, source))
        return (message, gr.update(visible=False), *refresh_docs(name), trash_parts["listing"]())

    def ask_delete_kb(name: str | None) -> tuple:
        return gr.update(visible=True), trash.ask_delete_kb(name)

    def delete_kb(name: str | None) -> tuple:
        message = trash.delete_kb(name)
        gr.Info(f"知识库已移到回收站，{trash.days:g} 天内可以恢复。", duration=4, title="已删除")
        return (gr.update(visible=False), message, *refresh_docs(h.settings.knowledge.default_kb),
                trash_parts["listing"]())

    def run_search(q: str, name: str | None, count: float) -> list:
        rows, notice = h.search_hits(q, name, int(count))
        if notice:
            gr.Warning(notice, title="仅关键词检索")
        return search_rows(rows)

    private = dict(api_visibility="private")
    # uploads run one at a time in their own pool: a big ingest never takes a chat slot
    ingest = dict(private, concurrency_id="ingest", concurrency_limit=1)
    upload_outputs = [staged_id, flags_md, flags, confirm_row, results, *listing, upload]
    check_btn.click(errors_shown(check), [upload, kb], upload_outputs, **ingest)
    publish_btn.click(errors_shown(publish), [staged_id], upload_outputs, **ingest)
    cancel_btn.click(errors_shown(cancel), [staged_id], [staged_id, flags_md, flags, confirm_row, upload], **private)
    kb.input(errors_shown(refresh_docs), [kb], listing, **private)
    refresh.click(errors_shown(refresh_docs), [kb], listing, **private)

    def pick(data: gr.SelectData, rows: Any, name: str | None) -> tuple:
        return _pick_in(h, data, rows, name)

    docs.select(errors_shown(pick), [docs, kb], [doc, preview], **private)
    doc.input(errors_shown(h.preview), [kb, doc], preview, **private)
    delete_btn.click(errors_shown(ask_delete), [kb, doc], [preview, confirm_delete], **private)
    confirm_delete.click(errors_shown(delete), [kb, doc], [preview, confirm_delete, *listing, trash_parts["items"]],
                         **private)
    delete_kb_btn.click(errors_shown(ask_delete_kb), [kb], [delete_kb_box, delete_kb_text], **private)
    delete_kb_no.click(lambda: gr.update(visible=False), None, delete_kb_box, **private)
    delete_kb_yes.click(errors_shown(delete_kb), [kb], [delete_kb_box, preview, *listing, trash_parts["items"]],
                        **private)
    kb.change(lambda: gr.update(visible=False), None, delete_kb_box, **private)
    doc.change(lambda: gr.update(visible=False), None, confirm_delete, **private)
    search_btn.click(errors_shown(run_search), [query, kb, k], hits, **private)
    query.submit(errors_shown(run_search), [query, kb, k], hits, **private)
    return {"kb": kb, "listing": listing, "refresh": refresh_docs, "trash": trash_parts}


def _pick_in(h: KnowledgeHandlers, data: gr.SelectData, rows: Any, name: str | None) -> tuple:
    row = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
    source = _cell(rows, row)
    return gr.update(value=source), h.preview(name, source)


def _cell(rows: Any, row: int) -> str | None:
    values = rows.values.tolist() if hasattr(rows, "values") else list(rows or [])
    return str(values[row][0]) if 0 <= row < len(values) and values[row] else None


def _done_text(data: dict) -> str:
    return (f"{DONE} 已发布到 **{data['kb']}**：新增 {data['added']}，更新 {data['updated']}，未变化 {data['unchanged']}，"
            f"失败 {sum(1 for f in data['files'] if f.get('status') == 'failed')}，"
            f"共 {data['chunks']} 个新切块。")
