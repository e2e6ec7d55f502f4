"""The chat sidebar's conversation management: search, rename, delete to the trash, restore.

Callbacks over UIServices.conversations (app/ui/conversation_service.py), wired in
app/ui/chat_tab.py. Deleting asks for confirmation first and only moves the
conversation to the trash, from where it can be restored for `app.trash_days` days.
"""

from __future__ import annotations

import html
from typing import Any

import gradio as gr

from app.ui.conversations import session_choices
from app.ui.errors import UIError
from app.ui.services import UIServices, user_of


def trash_choices(items: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(f"{c['title']}（{c['days_left']:g} 天后彻底删除）", c["session_id"]) for c in items]


class ConversationHandlers:
    def __init__(self, services: UIServices) -> None:
        self.conversations = services.conversations
        self.days = services.settings.app.trash_days

    def listing(self, user: str, selected: str | None = None, query: str = "") -> Any:
        choices = session_choices(self.conversations.listing(user, query))
        return gr.update(choices=choices, value=selected if selected in {c[1] for c in choices} else None)

    def trash(self, user: str) -> Any:
        items = self.conversations.trashed(user)
        return gr.update(choices=trash_choices(items), value=None,
                         label=f"回收站中的对话（{len(items)}）" if items else "回收站是空的")

    def load_trash(self, request: gr.Request) -> Any:
        return self.trash(user_of(request))

    def filter_list(self, query: str | None, selected: str | None, request: gr.Request) -> Any:
        return self.listing(user_of(request), selected, query or "")

    def ask_rename(self, selected: str | None, request: gr.Request) -> tuple:
        user = user_of(request)
        self.conversations.owned(user, selected)
        title = next((s["title"] for s in self.conversations.listing(user) if s["session_id"] == selected), "")
        return gr.update(visible=True), gr.update(value=title)

    def rename(self, selected: str | None, title: str | None, query: str | None, request: gr.Request) -> tuple:
        user = user_of(request)
        name = self.conversations.rename(user, selected, title)
        gr.Info(f"已重命名为“{name}”。", duration=3, title="已完成")
        return gr.update(visible=False), self.listing(user, selected, query or "")

    def ask_delete(self, selected: str | None, request: gr.Request) -> tuple:
        user = user_of(request)
        self.conversations.owned(user, selected)
        title = next((s["title"] for s in self.conversations.listing(user) if s["session_id"] == selected), selected)
        text = (f"确定删除对话“{html.escape(str(title))}”吗？删除后它会进入回收站，"
                f"{self.days:g} 天内可以恢复。")
        return gr.update(visible=True), text

    def delete(self, selected: str | None, request: gr.Request) -> tuple:
        """Move the selected conversation to the trash; the list and the trash refresh."""
        user = user_of(request)
        self.conversations.delete(user, selected)
        gr.Info(f"对话已移到回收站，{self.days:g} 天内可以恢复。", duration=4, title="已删除")
        return gr.update(visible=False), self.listing(user), self.trash(user)

    def restore(self, chosen: str | None, request: gr.Request) -> tuple:
        user = user_of(request)
        if not chosen:
            raise UIError("请先在回收站中选择要恢复的对话。")
        self.conversations.restore(user, chosen)
        gr.Info("对话已恢复到历史对话中。", duration=3, title="已恢复")
        return self.listing(user, chosen), self.trash(user)
