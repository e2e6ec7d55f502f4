"""Deleting in the knowledge tab: a knowledge base or a document goes to the trash, not away.

`KnowledgeTrash` holds the logic (confirm texts, the default base is protected, restore,
delete for good, purge after `app.trash_days`) over KnowledgeService's trash
(knowledge/trash.py); `build_trash_section` places the trash accordion. Every delete
asks for confirmation first; only "彻底删除" in the trash removes data for good, and it
asks again.
"""

from __future__ import annotations

import html
import time
from typing import Any

import gradio as gr

from app.ui.errors import UIError, errors_shown
from app.ui.services import UIServices


class KnowledgeTrash:
    def __init__(self, services: UIServices) -> None:
        self.services = services
        self.days = services.settings.app.trash_days
        self.default_kb = services.settings.knowledge.default_kb

    @property
    def knowledge(self) -> Any:
        return self.services.knowledge

    def purge(self) -> int:
        return self.knowledge.purge_trash(self.days * 86400.0)

    # -- a whole knowledge base ---------------------------------------------------------
    def ask_delete_kb(self, name: str | None) -> str:
        kb = (name or "").strip()
        if not kb or not self.knowledge.has_kb(kb):
            raise UIError("请先选择一个已有的知识库。")
        if kb == self.default_kb:
            raise UIError(f"“{kb}”是对话使用的默认知识库，不能删除。"
                          "如需删除，请先在设置中把 knowledge.default_kb 改为其他知识库。")
        info = self.knowledge.show_kb(kb)
        return (f"确定删除知识库 **{html.escape(kb)}**（{info.get('document_count')} 个文档，{info['chunks']} 个切块）吗？"
                f"删除后它不再被检索，进入回收站，{self.days:g} 天内可以恢复。")

    def delete_kb(self, name: str | None) -> str:
        self.ask_delete_kb(name)
        kb = (name or "").strip()
        self.knowledge.trash_kb(kb)
        return f"已把知识库 **{html.escape(kb)}** 移到回收站（{self.days:g} 天内可在下方“回收站”中恢复）。"

    # -- documents ----------------------------------------------------------------------
    def delete_document(self, kb: str, source: str) -> str:
        self.knowledge.trash_document(kb, source)
        return (f"已把文档 `{html.escape(source)}` 从 **{html.escape(kb)}** 移到回收站"
                f"（{self.days:g} 天内可恢复）。")

    # -- the trash ----------------------------------------------------------------------
    def choices(self) -> list[tuple[str, str]]:
        out = []
        for item in self.knowledge.trashed():
            left = max(0.0, (float(item["deleted_at"]) + self.days * 86400.0 - time.time()) / 86400.0)
            when = f"{left:.1f} 天后彻底删除"
            if item["kind"] == "kb":
                label = f"知识库 {item['kb']}（{item['documents']} 个文档，{when}）"
            else:
                label = f"文档 {item['source']} · {item['kb']}（{item['chunks']} 个切块，{when}）"
            out.append((label, str(item["id"])))
        return out

    def restore(self, item: str | None) -> tuple[str, str]:
        """Restore one trashed item; returns (message, knowledge base to show)."""
        kind, key = self._item(item)
        if kind == "kb":
            self.knowledge.restore_kb(key)
            return f"已恢复知识库 **{html.escape(key)}**。", key
        kb, source = self.knowledge.restore_document(int(key))
        return f"已把文档 `{html.escape(source)}` 恢复到 **{html.escape(kb)}**。", kb

    def ask_purge(self, item: str | None) -> str:
        kind, key = self._item(item)
        what = f"知识库 **{html.escape(key)}**" if kind == "kb" else "这个文档"
        return f"确定彻底删除{what}吗？此操作不能撤销。"

    def purge_item(self, item: str | None) -> str:
        kind, key = self._item(item)
        if kind == "kb":
            self.knowledge.delete_kb(key)
        else:
            self.knowledge.trash.drop_document(int(key))
        return "已彻底删除。"

    def _item(self, item: str | None) -> tuple[str, str]:
        if not item or ":" not in item:
            raise UIError("请先在回收站中选择一项。")
        kind, key = item.split(":", 1)
        return kind, key


def build_trash_section(trash: KnowledgeTrash, refresh_outputs: list, refresh_docs: Any) -> dict[str, Any]:
    """The 回收站 accordion of the knowledge tab; returns its components."""
    with gr.Accordion("回收站", open=False, elem_id="sc-kb-trash"):
        gr.Markdown(f"删除的知识库和文档在这里保留 {trash.days:g} 天，可以恢复；之后自动彻底删除。")
        items = gr.Dropdown(label="回收站中的知识库与文档", choices=[], value=None, interactive=True,
                            elem_id="sc-trash-items")
        with gr.Row():
            restore_btn = gr.Button("恢复", size="sm", variant="primary", elem_id="sc-trash-restore")
            purge_btn = gr.Button("彻底删除", size="sm", elem_id="sc-trash-purge")
            purge_yes = gr.Button("确认彻底删除", size="sm", variant="stop", visible=False, elem_id="sc-trash-purge-confirm")
        note = gr.Markdown("", elem_id="sc-trash-note")

    def listing() -> Any:
        return gr.update(choices=trash.choices(), value=None)

    def restore(item: str | None) -> tuple:
        message, name = trash.restore(item)
        return (message, listing(), *refresh_docs(name))

    def ask_purge(item: str | None) -> tuple:
        return trash.ask_purge(item), gr.update(visible=True)

    def purge(item: str | None) -> tuple:
        return trash.purge_item(item), gr.update(visible=False), listing()

    private = dict(api_visibility="private")
    restore_btn.click(errors_shown(restore), [items], [note, items, *refresh_outputs], **private)
    purge_btn.click(errors_shown(ask_purge), [items], [note, purge_yes], **private)
    purge_yes.click(errors_shown(purge), [items], [note, purge_yes, items], **private)
    items.change(lambda: gr.update(visible=False), None, purge_yes, **private)
    return {"items": items, "listing": listing}
