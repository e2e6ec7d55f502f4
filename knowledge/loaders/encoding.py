"""Text files as users have them: UTF-8 (with or without BOM), UTF-16 with BOM, or GBK/GB18030.

Chinese Windows tools still save .txt/.csv/.md in GBK; those files are read, not refused. A
UTF-8 file with a few damaged bytes stays UTF-8 (those bytes become U+FFFD), since GBK decodes
most UTF-8 byte pairs into wrong characters without complaint.
A file that is none of these (a binary file renamed, a damaged export) raises KnowledgeError
with what to do. Tests: `pytest tests/knowledge/test_loader_errors.py`.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from knowledge.errors import KnowledgeError

UNKNOWN_ENCODING = "文件编码无法识别（不是 UTF-8 或 GBK 文本）：请用文本编辑器另存为 UTF-8 编码后重新导入"
DAMAGED_RATIO = 20
"""Valid non-ASCII characters per damaged byte above which a file is read as damaged UTF-8, not GBK."""
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
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass  # not clean UTF-8: damaged UTF-8, or GBK
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    if sum(1 for ch in text if ord(ch) > 127) - bad >= DAMAGED_RATIO * bad:
        return text  # UTF-8 with a few damaged bytes (a cut export): GBK would turn all of it into nonsense
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise KnowledgeError(UNKNOWN_ENCODING) from None


def read_text(path: Path) -> str:
    """A text file's content in whichever of the encodings above it uses."""
    return decode_text(path.read_bytes())
