"""Text files as users have them: UTF-8 (with or without BOM), UTF-16 with BOM, or GBK/GB18030.

Chinese Windows tools still save .txt/.csv/.md in GBK; those files are read, not refused.
A file that is none of these (a binary file renamed, a damaged export) raises KnowledgeError
with what to do. Tests: `pytest tests/knowledge/test_loader_errors.py`.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from knowledge.errors import KnowledgeError

UNKNOWN_ENCODING = "文件编码无法识别（不是 UTF-8 或 GBK 文本）：请用文本编辑器另存为 UTF-8 编码后重新导入"
BINARY = "文件内容不是文本（含二进制数据，可能是改了扩展名的其他文件）：请确认文件类型后重新导入"


def decode_text(data: bytes) -> str:
    """The text of a file's bytes; KnowledgeError (Chinese, with the fix) when it is not text."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise KnowledgeError(UNKNOWN_ENCODING) from None
        if "\x00" in text:
            raise KnowledgeError(BINARY)
        return text
    if b"\x00" in data:  # no text encoding used here has NUL bytes
        raise KnowledgeError(BINARY)
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise KnowledgeError(UNKNOWN_ENCODING)


def read_text(path: Path) -> str:
    """A text file's content in whichever of the encodings above it uses."""
    return decode_text(path.read_bytes())
