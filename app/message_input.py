"""The user's message as the command line and the web app take it: one length notice everywhere.

`read_message(arg)` is the QUESTION argument of `ask`/`analyze`; `-` reads the message from
stdin (a long log or a pasted error is awkward as a shell argument). Its bytes are decoded
like a text file (UTF-8, UTF-16 with BOM, GBK) and at most MAX_STDIN_BYTES are kept; the
rest is only counted, so a huge pipe cannot fill memory. `too_long(text, limit)` (graph/prompts) is the notice
the graph gives (graph/prompts/replies*.yaml `too_long`, in the message's language); the
CLI checks it before loading anything and the chat tab shows the same text.
Tests: tests/app/test_cli_message.py.
"""

from __future__ import annotations

import sys
from typing import BinaryIO

from graph.errors import GraphError
from graph.prompts import too_long
from knowledge.errors import KnowledgeError
from knowledge.loaders.encoding import decode_text

STDIN = "-"
MAX_STDIN_BYTES = 1024 * 1024
CHUNK = 64 * 1024


def read_message(arg: str, limit: int, stdin: BinaryIO | None = None) -> str:
    """The message of a QUESTION argument (`-`: stdin), stripped; GraphError (Chinese) when too long."""
    if arg != STDIN:
        text = arg.strip()
        if len(text) > limit:
            raise GraphError(too_long(text, limit))
        return text
    stream = stdin if stdin is not None else sys.stdin.buffer
    data = stream.read(MAX_STDIN_BYTES + 1)
    extra = 0
    while len(data) > MAX_STDIN_BYTES and (more := stream.read(CHUNK)):  # count, never keep, what is beyond
        extra += len(more)
    if len(data) > MAX_STDIN_BYTES:  # far over any limit: the length beyond is estimated at the kept part's rate
        sample = data[:MAX_STDIN_BYTES].decode("utf-8", errors="ignore")
        beyond = (len(data) - MAX_STDIN_BYTES + extra) * len(sample) // MAX_STDIN_BYTES
        raise GraphError(too_long(sample, limit, len(sample) + beyond))
    try:
        text = decode_text(data).strip()
    except KnowledgeError:
        raise GraphError("标准输入的内容不是文本：请输入 UTF-8 编码的文字，或把问题直接写在命令行上") from None
    if len(text) > limit:
        raise GraphError(too_long(text, limit))
    return text
