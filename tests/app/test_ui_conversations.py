"""Conversation list entries and the Markdown export."""

from __future__ import annotations

import base64
import re

from app.ui.conversations import chat_messages, export_link, session_choices, to_markdown


def test_session_choices_label_with_time_and_title():
    choices = session_choices([{"session_id": "s1", "title": "SSH 超时", "updated_at": 1_700_000_000.0},
                               {"session_id": "s2", "title": "", "updated_at": 1_700_000_100.0}])
    assert [c[1] for c in choices] == ["s1", "s2"]
    assert choices[0][0].endswith("· SSH 超时") and choices[1][0].endswith("· s2")


def test_markdown_export_keeps_roles_and_text():
    history = [{"role": "user", "content": "SSH 超时怎么办？"}, {"role": "assistant", "content": "放通 22 端口。[1]"},
               {"role": "tool", "content": "ignored"}]
    assert chat_messages(history) == history[:2]
    text = to_markdown("SSH 超时", "s1", "alice", history)
    assert text.startswith("# SSH 超时") and "- 用户：alice" in text
    assert text.index("## 客服") < text.index("SSH 超时怎么办？") < text.index("## 助手") < text.index("放通 22 端口")
    link = export_link("SSH 超时", "../s1", "alice", history)
    assert "download='conversation-___s1.md'" in link
    saved = base64.b64decode(re.search(r"base64,([A-Za-z0-9+/=]+)'", link).group(1)).decode("utf-8")
    assert "- 会话：`../s1`" in saved and saved.rstrip().endswith("放通 22 端口。[1]")
