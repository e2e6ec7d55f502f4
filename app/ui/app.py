"""`build_app(copilot, settings) -> gr.Blocks`: the web app for support agents, not launched.

Tabs: 对话 (chat, runbook cards, sources), 知识库 (self-service injection), 状态 (backends).
Named API endpoints for scripts are registered alongside (app/ui/api.py). Launch it with
`app.ui.server.launch_app` (queue limits, auth, /healthz) or `smart-copilot serve`.
"""

from __future__ import annotations

from typing import Any

import gradio as gr

from app.settings import Settings
from app.ui.api import register_api
from app.ui.chat_handlers import ChatHandlers
from app.ui.chat_tab import build_chat_tab
from app.ui.conversation_handlers import ConversationHandlers
from app.ui.knowledge_handlers import KnowledgeHandlers
from app.ui.knowledge_tab import build_knowledge_tab
from app.ui.services import build_services
from app.ui.status_tab import build_status_tab


def model_badge(status: dict[str, Any]) -> str:
    """The sidebar badge: the configured model and adapters, or extractive mode."""
    llm = status.get("llm") or {}
    if not llm.get("generative"):
        return "<sub class='sc-badge'>抽取式模式（未配置生成模型）</sub>"
    adapters = status.get("adapters") or []
    names = f" · 适配器：{'、'.join(adapters)}" if adapters else ""
    return f"<sub class='sc-badge'>模型：{llm.get('model') or llm.get('backend')}{names}</sub>"


def build_app(copilot: Any, settings: Settings) -> gr.Blocks:
    """The Gradio Blocks app around a wired Copilot; call `launch_app` (or `.launch`) to serve it."""
    services = build_services(copilot, settings)
    chat = ChatHandlers(services)
    knowledge = KnowledgeHandlers(services)
    status = copilot.status()
    with gr.Blocks(title=settings.app.title, fill_width=True, analytics_enabled=False) as blocks:
        gr.Markdown(f"## {settings.app.title}", elem_id="sc-title")
        with gr.Tabs():
            with gr.Tab("对话", id="chat"):
                manage = ConversationHandlers(services)
                chat_parts = build_chat_tab(chat, manage, model_badge(status))
            with gr.Tab("知识库", id="knowledge") as kb_tab:
                kb_parts = build_knowledge_tab(knowledge)
            with gr.Tab("状态", id="status") as status_tab:
                status_outputs, show_status = build_status_tab(copilot)
        register_api(services, knowledge)
        blocks.load(chat.load, None, [chat_parts["user"], chat_parts["conversations"]], api_visibility="private")
        blocks.load(manage.load_trash, None, chat_parts["trash"], api_visibility="private")
        blocks.load(show_status, None, status_outputs, api_visibility="private")
        blocks.load(kb_parts["refresh"], [kb_parts["kb"]], kb_parts["listing"], api_visibility="private")
        blocks.load(kb_parts["trash"]["listing"], None, kb_parts["trash"]["items"], api_visibility="private")
        status_tab.select(show_status, None, status_outputs, api_visibility="private")
        kb_tab.select(kb_parts["refresh"], [kb_parts["kb"]], kb_parts["listing"], api_visibility="private")
    blocks.services = services  # launch_app and tests reach the feedback store here
    return blocks
