"""Upload checks and staging for the knowledge tab: limits, types, sanitised names.

An upload is checked (count, size, type), its names sanitised, then written (zips
expanded safely by knowledge.uploads) to data_dir/uploads/<id>/, where it waits until
the agent publishes it. Files that fail a check are reported per file, not fatal.
"""

from __future__ import annotations

import re
import shutil
import unicodedata
import uuid
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from app.settings import AppSettings
from app.ui.errors import UIError
from knowledge.uploads import unpack_uploads

UNSAFE = re.compile(r"[^\w.\-（）()\[\] ]+")


def sanitize_name(name: str) -> str:
    """A safe file name: last path part only, no control/shell characters, no leading dots, <= 120 chars."""
    base = PurePath(str(name).replace("\\", "/")).name
    base = "".join(ch for ch in unicodedata.normalize("NFC", base) if unicodedata.category(ch)[0] != "C")
    base = UNSAFE.sub("_", base).strip(" ._")
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, ""
    stem = re.sub(r"_+", "_", stem).strip(" _")[: 120 - len(ext) - 1] or "upload"
    return f"{stem}.{ext.lower()}" if ext else stem


@dataclass
class StagedUpload:
    """Files waiting to be published into a knowledge base."""

    id: str
    folder: Path
    kb: str
    user: str
    names: list[str] = field(default_factory=list)
    rejected: list[dict] = field(default_factory=list)
    """{"source","status":"failed","chunks":0,"error"} for files refused before ingest."""

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def stage_upload(paths: list[tuple[str, Path]], kb: str, user: str, settings: AppSettings, root: Path) -> StagedUpload:
    """Check and write an upload under `root`; raises UIError when nothing usable remains."""
    if not paths:
        raise UIError("请先选择要上传的文件。")
    if len(paths) > settings.max_upload_files:
        raise UIError(f"一次最多上传 {settings.max_upload_files} 个文件（本次 {len(paths)} 个），可以打包成 zip 上传。")
    allowed = {t.lower() for t in settings.upload_types}
    limit = int(settings.max_upload_mb * 1024 * 1024)
    staged = StagedUpload(id=uuid.uuid4().hex[:12], folder=root / uuid.uuid4().hex[:12], kb=kb, user=user)
    accepted: list[tuple[str, bytes]] = []
    seen: set[str] = set()
    for original, path in paths:
        name = sanitize_name(original)
        ext = Path(name).suffix.lower()
        size = path.stat().st_size if path.is_file() else -1
        error = None
        if ext not in allowed:
            error = f"不支持的文件类型 {ext or '（无扩展名）'}，支持：{'、'.join(sorted(allowed))}"
        elif size < 0:
            error = "文件未上传完整"
        elif size > limit:
            error = f"文件太大（{size / 1048576:.1f} MB），上限 {settings.max_upload_mb:g} MB"
        elif name in seen:
            error = "与本次上传的另一个文件重名，已跳过"
        if error:
            staged.rejected.append({"source": name, "status": "failed", "chunks": 0, "error": error})
            continue
        seen.add(name)
        accepted.append((name, path.read_bytes()))
    staged.folder.mkdir(parents=True, exist_ok=True)
    for source, error in unpack_uploads(accepted, staged.folder):
        staged.rejected.append({"source": source, "status": "failed", "chunks": 0, "error": error})
    staged.names = sorted(str(p.relative_to(staged.folder)) for p in staged.folder.rglob("*") if p.is_file())
    if not staged.names:
        staged.discard()
        reasons = "；".join(f"{r['source']}：{r['error']}" for r in staged.rejected) or "没有可导入的文件"
        raise UIError(f"没有可导入的文件。{reasons}")
    return staged
