"""Unpack UI uploads (name, bytes) into a folder; zip archives are expanded safely.

Entry names become document sources, so they are sanitised: `..` refused, absolute and
backslash paths made relative, control and bidi-override characters removed (a name
shown reversed could pass for another file), each part at most MAX_PART_CHARS and the
depth bounded. Expansion stops at MAX_UNPACKED bytes; knowledge.max_chunks_per_file then
refuses a file that expands to too many chunks.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from knowledge.loaders import supported_suffixes

MAX_UNPACKED = 200 * 1024 * 1024
MAX_PART_CHARS = 120
MAX_DEPTH = 16
ARCHIVE_SUFFIXES = (".zip",)
BAD_NAME = "文件名无效（为空、含 .. 或过长）：请改名后重新上传"
UNSAFE_ENTRY = "压缩包内路径不安全（含 .. 或层级过深），已跳过：请重新打包后上传"
TOO_BIG = "压缩包解压后超过 200 MB，已停止解压：请分成几个小压缩包上传"
BAD_ZIP = "不是有效的 zip 压缩包（已损坏或不是 zip 格式）：请重新打包后上传"


def upload_suffixes() -> list[str]:
    """What an upload may be: a file of any loader format, or a zip of them."""
    return [*supported_suffixes(), *ARCHIVE_SUFFIXES]


def _clean_part(part: str) -> str:
    # Cc: control characters (NUL, newlines); Cf: format characters such as U+202E (right-to-left override)
    return "".join(ch for ch in part if unicodedata.category(ch) not in ("Cc", "Cf")).strip()


def _safe_name(name: str) -> str | None:
    parts = [_clean_part(p) for p in PurePosixPath(name.replace("\\", "/")).parts if p not in ("", ".", "/")]
    parts = [p for p in parts if p]
    if not parts or any(p == ".." for p in parts) or len(parts) > MAX_DEPTH:
        return None
    if any(len(p) > MAX_PART_CHARS for p in parts):
        return None
    return "/".join(parts)


def unpack_uploads(files: list[tuple[str, bytes]], target: Path) -> list[tuple[str, str]]:
    """Write files under `target`; returns (name, Chinese error with the fix) for what could not be unpacked.

    One bad entry (encrypted, an unsupported compression, damaged) is reported and skipped; the
    rest of the archive and of the upload is kept."""
    problems: list[tuple[str, str]] = []
    written = 0
    for name, content in files:
        safe = _safe_name(Path(name).name if not name.lower().endswith(".zip") else name)
        if safe is None:
            problems.append((name, BAD_NAME))
            continue
        if safe.lower().endswith(".zip"):
            try:
                with zipfile.ZipFile(io.BytesIO(content)) as archive:
                    for info in archive.infolist():
                        inner = _safe_name(info.filename)
                        if info.is_dir():
                            continue
                        if inner is None:
                            problems.append((f"{name}:{info.filename}", UNSAFE_ENTRY))
                            continue
                        written += info.file_size
                        if written > MAX_UNPACKED:
                            problems.append((name, TOO_BIG))
                            break
                        try:
                            data = archive.read(info)
                        except (RuntimeError, NotImplementedError, zipfile.BadZipFile, zlib.error, EOFError) as exc:
                            problems.append((f"{name}:{inner}", _entry_problem(info, exc)))
                            continue
                        out = target / inner
                        out.parent.mkdir(parents=True, exist_ok=True)
                        out.write_bytes(data)
            except zipfile.BadZipFile:
                problems.append((name, BAD_ZIP))
            continue
        out = target / safe
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(content)
    return problems


def _entry_problem(info: zipfile.ZipInfo, exc: Exception) -> str:
    if info.flag_bits & 0x1:  # the entry is encrypted
        return "压缩包内的这个文件设有密码，无法解压，已跳过：请去掉密码重新打包后上传"
    if isinstance(exc, NotImplementedError):
        return "压缩包内的这个文件用了不支持的压缩方式，已跳过：请用普通 zip（Deflate）重新打包后上传"
    return "压缩包内的这个文件已损坏，无法解压，已跳过：请重新打包后上传"
