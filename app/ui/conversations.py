"""Conversations: the past-conversation picker and the Markdown export (pure functions; the export
is a data: link, no file).

A conversation is a Copilot session; the list comes from `copilot.sessions(user)` (merged
with the agent's titles and trash by app/ui/conversation_service.py), so it survives a
server restart (the checkpoints and the index live in data_dir).
"""

from __future__ import annotations

import base64
import html
import re
import time
from typing import Any

from app.ui.icons import BAN, DONE, plain_symbols
from app.ui.links import rewrite_doc_links
from app.ui.sanitize import safe_markdown

ROLE_NAMES = {"user": "客服", "assistant": "助手"}
REPLY_LABELS = {"approve": f"{DONE} 批准执行", "reject": f"{BAN} 不批准", "skip": "跳过此步", "leave": "退出流程"}
"""How a runbook button's reply is shown in the chat (the graph keeps the reply word)."""


def session_choices(sessions: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """Dropdown choices (label, session_id), newest first."""
    choices = []
    for s in sessions:
        when = time.strftime("%m-%d %H:%M", time.localtime(float(s.get("updated_at") or 0)))
        choices.append((f"{when} · {s.get('title') or s['session_id']}", str(s["session_id"])))
    return choices


def chat_messages(history: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Copilot history -> gr.Chatbot messages (role/content dicts), sanitized like live answers."""
    return [{"role": m["role"], "content": safe_markdown(str(m.get("content") or ""))} for m in history
            if m.get("role") in ("user", "assistant")]


def to_markdown(title: str, session_id: str, user: str, history: list[dict[str, Any]]) -> str:
    """A readable Markdown transcript of one conversation."""
    lines = [f"# {title}", "", f"- 会话：`{session_id}`", f"- 用户：{user}",
             f"- 导出时间：{time.strftime('%Y-%m-%d %H:%M:%S')}", ""]
    for message in chat_messages(history):
        role = ROLE_NAMES[message["role"]]
        text = plain_symbols(rewrite_doc_links(str(message.get("content") or "").strip()))  # links lead nowhere here
        lines += [f"## {role}", "", text, ""]
    return "\n".join(lines)


def export_link(title: str, session_id: str, user: str, history: list[dict[str, Any]]) -> str:
    """A download link carrying the transcript itself (data: URL): no file is written, so the
    export reaches only the browser that asked and nothing is left in a shared temp folder."""
    safe = re.sub(r"[^\w-]", "_", session_id)[:40] or "conversation"
    name = f"conversation-{safe}.md"
    payload = base64.b64encode(to_markdown(title, session_id, user, history).encode("utf-8")).decode("ascii")
    return (f"<a class='sc-export-link' download='{name}' href='data:text/markdown;charset=utf-8;base64,{payload}'>"
            f"下载 {html.escape(name)}</a>")
