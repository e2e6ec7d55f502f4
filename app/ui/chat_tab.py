"""The chat tab's layout and wiring: conversations sidebar, chat, runbook panel, sources panel.

Handlers live in `app/ui/chat_handlers.py`; this module only places components and
connects events (UI events are private; scripts use the named endpoints in app/ui/api.py).
"""

from __future__ import annotations

from typing import Any, Callable, Iterator

import gradio as gr

from app.ui.chat_handlers import ChatHandlers
from app.ui.conversation_handlers import ConversationHandlers
from app.ui.errors import errors_shown
from app.ui.icons import ADD, BAN, DONE
from app.ui.sources import sources_html

PLACEHOLDER = ("### 你好，我是云技术支持排障助手\n描述用户遇到的问题，我会检索知识库并给出带引用的回答；"
               "需要排查时会带你一步步执行排障流程。\n\n例如：**SSH 连接超时怎么办？** · "
               "**MySQL 报 Too many connections 怎么处理？** · **帮我排查网站 502**")
EXAMPLES = ["SSH 连接超时怎么办？", "MySQL 报 Too many connections 怎么处理？", "CDN 回源 502 是什么原因？"]


def _reply_with(handlers: ChatHandlers, value: str) -> Callable[..., Iterator[tuple]]:
    def reply(messages: list, session: str | None, turns: dict | None, request: gr.Request) -> Iterator[tuple]:
        yield from handlers.reply(value, messages, session, turns, request)

    return reply


def build_chat_tab(handlers: ChatHandlers, manage: ConversationHandlers, badge_text: str) -> dict[str, Any]:
    """Place the chat tab's components inside the current gr.Tab and wire their events."""
    session = gr.State(None)
    turns = gr.State({})
    last_feedback = gr.State(None)
    with gr.Row(equal_height=False):
        with gr.Column(scale=1, min_width=220, elem_id="sc-sidebar"):
            user_md = gr.Markdown("", elem_id="sc-user")
            new_btn = gr.Button(f"{ADD} 新对话", size="sm", elem_id="sc-new")
            search = gr.Textbox(show_label=False, placeholder="搜索对话（标题或内容）", elem_id="sc-conv-search",
                                max_lines=1)
            convs = gr.Dropdown(label="历史对话", choices=[], value=None, interactive=True, elem_id="sc-conversations")
            with gr.Row():
                rename_btn = gr.Button("重命名", size="sm", min_width=60, elem_id="sc-rename")
                delete_btn = gr.Button("删除", size="sm", min_width=60, elem_id="sc-delete-conv")
            with gr.Group(visible=False, elem_id="sc-rename-box") as rename_box:
                new_title = gr.Textbox(label="新名称（回车保存）", max_lines=1, elem_id="sc-rename-title")
                rename_save = gr.Button("保存名称", size="sm", elem_id="sc-rename-save")
            with gr.Group(visible=False, elem_id="sc-delete-box") as delete_box:
                delete_text = gr.Markdown("", elem_id="sc-delete-text")
                with gr.Row():
                    delete_yes = gr.Button("确认删除", variant="stop", size="sm", elem_id="sc-delete-conv-confirm")
                    delete_no = gr.Button("取消", size="sm", elem_id="sc-delete-conv-cancel")
            export_btn = gr.Button("导出为 Markdown", size="sm", elem_id="sc-export")
            export_out = gr.HTML(visible=False, elem_id="sc-export-out")
            with gr.Accordion("回收站", open=False, elem_id="sc-conv-trash"):
                trashed = gr.Dropdown(label="回收站是空的", choices=[], value=None, interactive=True,
                                      elem_id="sc-trash-conversations")
                restore_btn = gr.Button("恢复对话", size="sm", elem_id="sc-restore-conv")
            gr.Markdown(badge_text, elem_id="sc-model-badge")
        with gr.Column(scale=4, min_width=420):
            chatbot = gr.Chatbot(label="对话", height=560, elem_id="sc-chat", placeholder=PLACEHOLDER,
                                 buttons=["copy"], feedback_options=("Like", "Dislike"),
                                 group_consecutive_messages=False)
            progress = gr.Markdown("", elem_id="sc-progress")
            with gr.Row():
                text = gr.Textbox(show_label=False, placeholder="描述问题，回车发送（Shift+回车换行）", lines=1, max_lines=6,
                                  scale=6, elem_id="sc-input", autofocus=True)
                send = gr.Button("发送", variant="primary", scale=1, min_width=80, elem_id="sc-send")
            gr.Examples(EXAMPLES, inputs=text, label="试试这些问题")
            reason_box = gr.Textbox(label="哪里不满意？（可选，回车提交）", visible=False, elem_id="sc-reason")
            cards = gr.HTML("", visible=False, elem_id="sc-runbook")
            with gr.Group(visible=False, elem_id="sc-runbook-controls") as controls:
                options = gr.Radio(choices=[], label="选择回答", visible=False, elem_id="sc-options")
                with gr.Row():
                    with gr.Row(visible=False) as approval:
                        approve = gr.Button(f"{DONE} 批准", variant="primary", size="sm", elem_id="sc-approve")
                        reject = gr.Button(f"{BAN} 不批准", size="sm", elem_id="sc-reject")
                    skip = gr.Button("跳过此步", size="sm", elem_id="sc-skip")
                    leave = gr.Button("退出流程", variant="stop", size="sm", elem_id="sc-leave")
            handoff = gr.Textbox(label="交接摘要（可复制给二线）", lines=8, visible=False, buttons=["copy"],
                                 interactive=False, elem_id="sc-handoff")
        with gr.Column(scale=2, min_width=280):
            sources = gr.HTML(sources_html(None), elem_id="sc-sources", label="参考来源")

    turn_outputs = [chatbot, progress, text, sources, cards, controls, options, handoff, approval, session, turns,
                    convs]
    # one queue slot pool for every chat turn (UI and /chat API), so chat load is bounded as a whole
    common = dict(api_visibility="private", show_progress="hidden", concurrency_id="chat")
    send.click(handlers.respond, [text, chatbot, session, turns], turn_outputs, **common)
    text.submit(handlers.respond, [text, chatbot, session, turns], turn_outputs, **common)
    for button, value in ((approve, "approve"), (reject, "reject"), (skip, "skip"), (leave, "leave")):
        button.click(_reply_with(handlers, value), [chatbot, session, turns], turn_outputs, **common)
    options.input(handlers.reply, [options, chatbot, session, turns], turn_outputs, **common)

    switch_outputs = [chatbot, progress, session, turns, sources, cards, controls, options, handoff, approval, convs]
    new_btn.click(handlers.new_conversation, None, switch_outputs, api_visibility="private")
    convs.input(handlers.open_conversation, [convs], switch_outputs, api_visibility="private")
    export_btn.click(handlers.export, [session], export_out, api_visibility="private")
    chatbot.like(handlers.like, [session, turns], [last_feedback, reason_box], api_visibility="private")
    reason_box.submit(handlers.reason, [reason_box, last_feedback, session, turns], reason_box,
                      api_visibility="private")
    chatbot.select(handlers.select_message, [turns], sources, api_visibility="private")

    private = dict(api_visibility="private")
    search.change(errors_shown(manage.filter_list), [search, convs], convs, **private)
    rename_btn.click(errors_shown(manage.ask_rename), [convs], [rename_box, new_title], **private)
    for event in (rename_save.click, new_title.submit):
        event(errors_shown(manage.rename), [convs, new_title, search], [rename_box, convs], **private)
    delete_btn.click(errors_shown(manage.ask_delete), [convs], [delete_box, delete_text], **private)
    delete_no.click(lambda: gr.update(visible=False), None, delete_box, **private)
    delete_yes.click(errors_shown(manage.delete), [convs], [delete_box, convs, trashed], **private).success(
        handlers.new_conversation, None, switch_outputs, **private)
    convs.change(lambda: (gr.update(visible=False), gr.update(visible=False)), None, [rename_box, delete_box],
                 **private)
    restore_btn.click(errors_shown(manage.restore), [trashed], [convs, trashed], **private)
    return {"user": user_md, "conversations": convs, "chatbot": chatbot, "trash": trashed}
