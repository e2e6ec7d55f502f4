"""The chat tab's event handlers: stream a turn, runbook replies, conversations, feedback.

Handlers are plain functions over UIServices and Gradio values, wired to components in
`app/ui/chat_tab.py`. User mistakes raise gr.Error (Chinese); anything unexpected is
logged and shown as a short apology in the chat, never as a traceback.
"""

from __future__ import annotations

import logging
from typing import Any, Iterator

import gradio as gr

from app.message_input import too_long
from app.feedback import FeedbackError
from app.ui.conversations import REPLY_LABELS, export_link, session_choices
from app.ui.errors import shown_error, user_errors
from app.ui.icons import WARN
from app.ui.progress_line import ProgressLine
from app.ui.render import answer_markdown, streaming_markdown
from app.ui.runbook_cards import handoff_summary, runbook_html
from app.ui.services import UIServices, new_session_id, user_of
from app.ui.sources import sources_html

log = logging.getLogger(__name__)
FAILED = f"{WARN} 抱歉，处理这条消息时出错了，请稍后重试或换个说法。"


def check_message(message: str | None, limit: int) -> str:
    text = (message or "").strip()
    if not text:
        raise shown_error("请输入问题后再发送。", title="输入为空")
    if len(text) > limit:
        raise shown_error(too_long(text, limit), title="消息过长")  # the CLI's and the graph's notice
    return text


def runbook_updates(runbook: dict | None) -> tuple[Any, Any, Any, Any, Any]:
    """(cards html, controls group, options radio, hand-off summary, approve/reject row) for a turn's runbook."""
    waiting = (runbook or {}).get("waiting") or None
    options = [str(o) for o in (waiting or {}).get("options") or []]
    summary = handoff_summary(runbook)
    approve = bool(waiting and waiting.get("kind") == "approve")
    return (
        gr.update(value=runbook_html(runbook), visible=bool(runbook)),
        gr.update(visible=bool(waiting)),
        gr.update(choices=options, value=None, visible=bool(options) and not approve),  # approvals use the buttons
        gr.update(value=summary, visible=bool(summary)),
        gr.update(visible=approve),
    )


class ChatHandlers:
    """Every chat-tab callback, sharing one UIServices."""

    def __init__(self, services: UIServices) -> None:
        self.services = services
        self.copilot = services.copilot
        self.limit = services.settings.graph.max_message_chars

    # -- a turn -------------------------------------------------------------------------
    def respond(self, message: str, messages: list[dict], session_id: str | None, turns: dict | None,
                kbs: list[str] | None, request: gr.Request, shown: str | None = None) -> Iterator[tuple]:
        """Stream one turn: progress stages, tokens, then the rendered sections and panels.

        `kbs`: the picker's bases (several: retrieval fused across them); remembered per conversation."""
        text = check_message(message, self.limit)
        user = user_of(request)
        bases = self.bases(kbs)
        session_id = session_id or new_session_id()
        if bases is not None:
            self.services.conversations.remember_kbs(user, session_id, bases)
        turns = dict(turns or {})
        messages = list(messages or []) + [{"role": "user", "content": shown or text},
                                           {"role": "assistant", "content": "…"}]
        buffer = ""
        keep = gr.update()

        def frame(progress_text: str, convs: Any = keep) -> tuple:
            return (messages, progress_text, "", keep, keep, keep, keep, keep, keep, session_id, turns, convs)

        line = ProgressLine()
        yield frame(line.markdown())
        result: dict | None = None
        try:
            for event in self.copilot.stream(text, session_id, user=user, kb=bases):
                kind = event.get("type")
                if kind in ("progress", "token"):
                    line.update(event)
                if kind == "token":
                    buffer += str(event.get("text") or "")
                    messages[-1] = {"role": "assistant", "content": streaming_markdown(buffer)}
                if kind in ("progress", "token"):
                    yield frame(line.markdown())
                elif kind == "final":
                    result = event.get("result") or {}
        except user_errors() as exc:
            messages[-1] = {"role": "assistant", "content": f"{WARN} {exc}"}
            gr.Warning(str(exc), title="无法处理")
        except Exception:  # the agent gets a short message; the log keeps the traceback
            log.exception("chat turn failed (user=%s session=%s)", user, session_id)
            messages[-1] = {"role": "assistant", "content": FAILED}
            gr.Warning("处理出错，已记录日志。", title="出错了")
        if result is None:
            yield frame("", self.conversation_list(user))
            return
        messages[-1] = {"role": "assistant", "content": answer_markdown(result)}
        for notice in result.get("notices") or []:  # e.g. the vector server is down: keywords only
            gr.Warning(str(notice), title="仅关键词检索")
        turns[str(len(messages) - 1)] = {"question": text, "result": result}
        self.services.conversations.record(user, session_id, text, result)
        flow = result.get("runbook") or result.get("investigation")
        cards, controls, options, summary, approval = runbook_updates(flow)
        yield (messages, line.finished(result), "",
               sources_html(result), cards, controls, options, summary, approval, session_id, turns,
               self.conversation_list(user, session_id))

    def reply(self, value: str, messages: list[dict], session_id: str | None, turns: dict | None,
              request: gr.Request) -> Iterator[tuple]:
        """A runbook button or option (or approve/reject for an investigation): the reply goes to the waiting flow."""
        if not session_id or self.copilot.waiting(session_id, user=user_of(request)) is None:
            raise shown_error("当前会话没有等待回复的排障流程。", title="无法继续")
        yield from self.respond(value, messages, session_id, turns, None, request, shown=REPLY_LABELS.get(value, value))

    # -- conversations ------------------------------------------------------------------
    def conversation_list(self, user: str, selected: str | None = None, query: str = "") -> Any:
        choices = session_choices(self.services.conversations.listing(user, query))
        return gr.update(choices=choices, value=selected if selected in {c[1] for c in choices} else None)

    def new_conversation(self, request: gr.Request) -> tuple:
        cards, controls, options, summary, approval = runbook_updates(None)
        return ([], "", new_session_id(), {}, sources_html(None), cards, controls, options, summary, approval,
                self.conversation_list(user_of(request)), self.kb_picker())

    def open_conversation(self, session_id: str | None, request: gr.Request) -> tuple:
        """Load a past conversation (also after a restart); a waiting runbook shows its controls."""
        user = user_of(request)
        if not session_id:
            return self.new_conversation(request)
        messages, turns, last = self.services.conversations.reopen(user, session_id)
        waiting = self.copilot.waiting(session_id, user=user)
        runbook: dict[str, Any] | None = (last or {}).get("runbook") or (last or {}).get("investigation")
        if waiting and (runbook or {}).get("waiting") != waiting:
            runbook = ({"kind": "investigation", "plan": waiting.get("investigation"), "status": "waiting",
                        "waiting": waiting, "outputs": []} if waiting.get("investigation")
                       else {"id": waiting.get("runbook"), "status": "waiting", "waiting": waiting, "outputs": []})
        cards, controls, options, summary, approval = runbook_updates(runbook)
        sources = sources_html(last) if last is not None else sources_html(None)
        return (messages, "", session_id, turns, sources, cards, controls, options, summary, approval, gr.update(),
                self.kb_picker(self.services.conversations.kbs_of(user, session_id)))

    # -- knowledge bases of a conversation ------------------------------------------------
    def bases(self, kbs: list[str] | str | None) -> str | list[str] | None:
        """The picker's choice for the graph: None (default), one name, or several; unknown names refused."""
        from app.ui.errors import UIError
        from app.ui.knowledge_handlers import chosen_bases

        try:
            return chosen_bases(self.services.knowledge, kbs or None, self.services.settings.knowledge.default_kb)
        except UIError as exc:
            raise shown_error(str(exc), title="知识库不可用") from None

    def kb_picker(self, chosen: list[str] | None = None) -> Any:
        """The picker with today's bases; `chosen` (a conversation's) or the default base selected."""
        names = [k["name"] for k in self.services.knowledge.list_kbs()]
        default = self.services.settings.knowledge.default_kb
        value = [n for n in chosen or [] if n in names] or ([default] if default in names else names[:1])
        return gr.update(choices=names, value=value)

    def remember_kbs(self, kbs: list[str] | None, session_id: str | None, request: gr.Request) -> None:
        """The picker changed: the open conversation keeps the new choice."""
        if session_id and kbs:
            self.services.conversations.remember_kbs(user_of(request), session_id, self.bases(kbs) or [])

    def load(self, request: gr.Request) -> tuple:
        """On page load: who is signed in and their conversations."""
        user = user_of(request)
        return f"登录用户：**{user}**", self.conversation_list(user)

    def export(self, session_id: str | None, request: gr.Request) -> Any:
        user = user_of(request)
        if not session_id:
            raise shown_error("当前没有可导出的对话。", title="无法导出")
        history = self.copilot.history(session_id, user=user)
        if not history:
            raise shown_error("这个对话还没有内容。", title="无法导出")
        named = {s["session_id"]: s["title"] for s in self.services.conversations.listing(user)}
        title = named.get(session_id) or next((m["content"] for m in history if m["role"] == "user"), session_id)
        title = title[:40]
        return gr.update(value=export_link(title, session_id, user, history), visible=True)

    # -- feedback and sources -----------------------------------------------------------
    def like(self, data: gr.LikeData, session_id: str | None, turns: dict | None, request: gr.Request) -> tuple:
        """Thumbs up/down on an answer: stored at once; only a thumbs-down opens the box for the optional why."""
        index = data.index if isinstance(data.index, int) else data.index[0]
        rating = 1 if data.liked is True or data.liked == "Like" else -1
        self._store(session_id, turns, index, rating, "", request)
        gr.Info("感谢反馈！" + ("" if rating > 0 else "可以在下方补充原因。"), duration=3, title="已记录")
        return {"turn": index, "rating": rating}, gr.update(visible=rating < 0, value="")

    def reason(self, text: str, last: dict | None, session_id: str | None, turns: dict | None,
               request: gr.Request) -> Any:
        if not last:
            raise shown_error("请先点赞或点踩一条回答。", title="没有反馈对象")
        self._store(session_id, turns, int(last["turn"]), int(last["rating"]), text or "", request)
        gr.Info("已记录原因。", duration=3, title="已记录")
        return gr.update(visible=False, value="")

    def _store(self, session_id: str | None, turns: dict | None, index: int, rating: int, reason: str,
               request: gr.Request) -> None:
        turn = (turns or {}).get(str(index)) or {}
        try:
            self.services.feedback.record(user_of(request), session_id or "", index, rating, reason,
                                          question=turn.get("question", ""), result=turn.get("result"))
        except FeedbackError as exc:
            raise shown_error(str(exc), title="反馈未保存") from None

    def select_message(self, data: gr.SelectData, turns: dict | None) -> Any:
        """Clicking an answer shows that turn's sources."""
        index = data.index if isinstance(data.index, int) else data.index[0]
        turn = (turns or {}).get(str(index))
        return sources_html(turn["result"]) if turn else gr.update()
