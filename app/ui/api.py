"""Named API endpoints for scripts (gradio_client): chat, resume, ingest, search, feedback, history.

Each is registered with `gr.api(fn, api_name=...)` so the signature is the API: see
docs/readme-app.md for a runnable example. The user is the login name (auth on) or
"local"; sessions are per user, exactly as in the browser. Fixable errors are gr.Error
(gradio_client raises AppError with the Chinese message). Every text parameter has the
app's message limit (checked before anything reads it), and every answer, citation and
streamed token leaves through `app.ui.sanitize` (no active HTML from documents).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import gradio as gr
from gradio import FileData

from app.message_input import too_long
from app.ui.chat_handlers import check_message
from app.ui.errors import errors_shown, shown_error
from app.ui.knowledge_handlers import KnowledgeHandlers
from app.ui.safe_stream import SafeTokens
from app.ui.sanitize import safe_markdown, safe_result
from app.ui.services import UIServices, new_session_id, user_of

MAX_SESSION_ID = 64

def _uploaded(item: Any) -> tuple[str, Path]:
    """(original name, local path) of an uploaded file (FileData or its dict form)."""
    data = item if isinstance(item, dict) else {"path": item.path, "orig_name": item.orig_name}
    path = Path(str(data["path"]))
    return str(data.get("orig_name") or path.name), path


def check_session_id(session_id: str | None) -> str:
    """A session id as the API takes it ("" = a new conversation); bounded before it is stored."""
    session = (session_id or "").strip()
    if len(session) > MAX_SESSION_ID:
        raise shown_error(f"session_id 太长（最多 {MAX_SESSION_ID} 个字符）。", title="参数无效")
    return session


def register_api(services: UIServices, knowledge: KnowledgeHandlers) -> None:
    """Register the endpoints on the Blocks being built (call inside `with gr.Blocks()`)."""
    copilot = services.copilot
    limit = services.settings.graph.max_message_chars

    def chat(message: str, session_id: str = "", kb: str | list[str] = "",
             request: gr.Request = None) -> Iterator[dict]:
        """One turn, streamed: progress and token events, then {"type": "final", "session_id", "result"}.
        An empty session_id starts a new conversation; while a runbook waits, the message is its reply.
        kb: a knowledge base, several ("a,b" or a list; retrieval fused across them), or "" for the default."""
        text = check_message(message, limit)
        bases = knowledge.chosen(kb or None)
        session = check_session_id(session_id) or new_session_id()
        user = user_of(request)
        if bases is not None:
            services.conversations.remember_kbs(user, session, bases)
        tokens = SafeTokens()
        for event in copilot.stream(text, session, user=user, kb=bases):
            if event.get("type") == "final":
                services.conversations.record(user, session, text, event.get("result") or {})
                yield from tokens.flush()
                yield {"type": "final", "session_id": session, "result": safe_result(event.get("result") or {})}
            elif event.get("type") == "token":
                safe = tokens.event(event)
                if safe is not None:
                    yield safe
            else:
                yield dict(event)

    def resume(session_id: str, reply: str, request: gr.Request = None) -> dict:
        """Answer the waiting runbook step: a reply, or approve / reject / skip / leave."""
        session = check_session_id(session_id)
        reply = (reply or "").strip()
        if len(reply) > limit:
            raise shown_error(too_long(reply, limit), title="消息过长")  # the chat's notice
        user = user_of(request)
        result = copilot.resume(session, reply, user=user).to_json()
        services.conversations.record(user, session, reply, result)
        return {"session_id": session, "result": safe_result(result)}

    def ingest(files: list[FileData], kb: str = "", publish: bool = True, request: gr.Request = None) -> dict:
        """Upload files (or a zip) into a knowledge base. Returns the ingest report with per-file results
        and the duplicate/contradiction flags; with publish=false only the flags (nothing is stored)."""
        paths = [_uploaded(f) for f in files or []]
        staged, flags = knowledge.stage(paths, kb or None, user_of(request))
        upload = knowledge.take(staged.id, user_of(request))
        if not publish:
            upload.discard()
            return {"kb": upload.kb, "published": False, "flags": flags, "files": upload.rejected}
        return {**knowledge.publish(upload), "published": True, "flags": flags}

    def search(query: str, kb: str | list[str] = "", k: int = 8) -> list[dict]:
        """Hybrid retrieval only: ranked passages with fused, lexical and dense scores; kb: one base or several
        ("a,b" or a list: fused across them, each row names its base). With the vector server unreachable the
        rows rank by keywords only, say `"vector_search": "unavailable"`, and a warning says so."""
        rows, notice = knowledge.search_hits(query, kb or None, k)
        if notice:
            gr.Warning(notice, title="仅关键词检索")
        return rows

    def feedback(session_id: str, rating: int, reason: str = "", turn: int = 0, question: str = "",
                 result: dict | None = None, request: gr.Request = None) -> dict:
        """Thumbs up (1) or down (-1) on a turn, with an optional reason and the turn's result."""
        if rating not in (1, -1):
            raise shown_error("rating 只能是 1（赞）或 -1（踩）。", title="参数无效")
        row = services.feedback.record(user_of(request), session_id, int(turn), int(rating), reason or "",
                                       question=question or "", result=result or {})
        return {"id": row, "stored": True}

    def history(session_id: str = "", request: gr.Request = None) -> dict:
        """The caller's conversations (titles as renamed, the trash left out), or one conversation's
        messages when session_id is given, with each answer's stored result under `turns` (by position)."""
        user = user_of(request)
        session = check_session_id(session_id)
        if session:
            stored = services.conversations.store.turns(user, session)
            messages = [{**m, "content": safe_markdown(str(m.get("content") or ""))}
                        for m in copilot.history(session, user=user)]
            return {"session_id": session, "messages": messages, "waiting": copilot.waiting(session, user=user),
                    "kbs": services.conversations.kbs_of(user, session),
                    "turns": {str(k): safe_result(v["result"]) for k, v in sorted(stored.items())}}
        return {"sessions": services.conversations.listing(user)}

    pools: dict[str, dict[str, Any]] = {"chat": {"concurrency_id": "chat"}, "resume": {"concurrency_id": "chat"},
             "ingest": {"concurrency_id": "ingest", "concurrency_limit": 1}}
    for fn in (chat, resume, ingest, search, feedback, history):
        gr.api(errors_shown(fn, "请求未完成"), api_name=fn.__name__, **pools.get(fn.__name__, {}))
