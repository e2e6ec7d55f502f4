"""Knowledge tab logic: stage an upload, flag overlaps, publish, list/preview/delete, test retrieval.

Used by the knowledge tab and by the `ingest` / `search` API endpoints. Talks to the
KnowledgeService behind the Copilot (docs/contracts.md "Knowledge"). Returns plain data;
the tab turns it into tables.
"""

from __future__ import annotations

import html
import time
from pathlib import Path
from typing import Any, Callable

from app.message_input import too_long
from app.ui.errors import UIError
from app.ui.icons import DONE
from app.ui.overlap import find_overlaps
from app.ui.services import UIServices
from app.ui.uploads import StagedUpload, stage_upload
from knowledge.bases import parse_kbs

Progress = Callable[[str, int, int], None]
STATUS_NAMES = {"added": "新增", "updated": "更新", "unchanged": "未变化", "failed": "失败", "deleted": "删除"}
FLAG_NAMES = {"duplicate": "重复", "conflict": "可能矛盾"}
KIND_NAMES = {"doc": "正文", "text": "正文", "code": "代码", "table": "表格", "faq": "问答"}
STAGED_TTL_S = 3600.0


def kb_name(name: str | None, default: str) -> str:
    value = (name or "").strip() or default
    if len(value) > 64 or any(ch in value for ch in "/\\:*?\"<>|") or value.startswith("."):
        raise UIError(f"知识库名称无效：“{value}”（1-64 个字符，不能包含 / \\ : * ? \" < > |）")
    return value


def chosen_bases(knowledge: Any, kb: str | list[str] | None, default: str) -> str | list[str] | None:
    """One base (str), several (list, from "a,b" or a list) or None (the default); UIError names an unknown one."""
    names = [kb_name(n, default) for n in parse_kbs(kb)]
    for name in names:
        if not knowledge.has_kb(name):
            known = "、".join(k["name"] for k in knowledge.list_kbs()) or "无"
            raise UIError(f"知识库“{name}”不存在（已有：{known}）。")
    return None if not names else (names[0] if len(names) == 1 else names)


class KnowledgeHandlers:
    def __init__(self, services: UIServices) -> None:
        self.services = services
        self.settings = services.settings

    @property
    def knowledge(self) -> Any:
        return self.services.knowledge

    # -- upload: stage, check, publish --------------------------------------------------
    def stage(self, files: list[tuple[str, Path]], kb: str | None, user: str,
              progress: Progress | None = None) -> tuple[StagedUpload, list[dict]]:
        """Stage an upload and compute its duplicate/contradiction flags."""
        name = kb_name(kb, self.settings.knowledge.default_kb)
        self.purge()
        staged = stage_upload(files, name, user, self.settings.app, self.services.staging_dir)
        staged_chunks = [c for c in self.knowledge.preview([staged.folder]).chunks if c.text.strip()]
        chunks = staged_chunks[: self.settings.app.check_duplicates]
        flags = find_overlaps(self.knowledge, name, chunks, progress) if chunks else []
        self.services.staged[staged.id] = {"upload": staged, "flags": flags, "at": time.time()}
        return staged, flags

    def purge(self, max_age_s: float = STAGED_TTL_S) -> int:
        """Drop uploads staged longer ago than max_age_s (abandoned review); returns how many."""
        now = time.time()
        old = [k for k, v in self.services.staged.items() if now - v["at"] > max_age_s]
        for key in old:
            self.services.staged.pop(key)["upload"].discard()
        return len(old)

    def take(self, staged_id: str | None, user: str) -> StagedUpload:
        entry = self.services.staged.pop(staged_id or "", None)
        if entry is None or entry["upload"].user != user:
            if entry is not None:
                self.services.staged[staged_id or ""] = entry
            raise UIError("没有待发布的上传（可能已发布或已取消），请重新上传。")
        return entry["upload"]

    def publish(self, staged: StagedUpload, progress: Progress | None = None) -> dict:
        """Ingest a staged upload; per-file results include files refused at staging."""
        try:
            report = self.knowledge.ingest([staged.folder], kb=staged.kb, progress=progress, track_origin=False)
        finally:
            staged.discard()
        data = report.to_json()
        data["files"] = list(report.files) + staged.rejected
        return data

    def discard(self, staged_id: str | None, user: str) -> None:
        self.take(staged_id, user).discard()

    # -- browse ---------------------------------------------------------------------------
    def kb_names(self) -> list[str]:
        return [k["name"] for k in self.knowledge.list_kbs()]

    def documents(self, kb: str | None) -> tuple[str, list[list[Any]]]:
        """(summary Markdown, rows: source, title, chunks, dense, version, updated), newest first."""
        name = kb_name(kb, self.settings.knowledge.default_kb)
        if not self.knowledge.has_kb(name):
            return f"知识库 **{html.escape(name)}** 还不存在，上传文件后会自动创建。", []
        info = self.knowledge.show_kb(name)
        summary = (f"**{html.escape(name)}**：{info.get('document_count', len(info['documents']))} 个文档，"
                   f"{info['chunks']} 个切块，向量覆盖率 {float(info['dense_coverage']) * 100:.0f}%")
        if info.get("dense_pending"):
            summary += f"（{info['dense_pending']} 个文档向量化进行中，完成前这些文档只参与关键词检索）"
        rows = [[d["source"], d["title"], d["chunks"], DONE if d.get("dense") else "…", d["version"],
                 _when(d.get("updated_at"))]
                for d in sorted(info["documents"], key=lambda d: -float(d.get("updated_at") or 0))]
        return summary, rows

    def preview(self, kb: str | None, source: str | None) -> str:
        """A document's chunks as indexed (product prefix, reformatted tables) in Markdown."""
        if not source:
            return "在上方表格中点选一个文档以预览其切块。"
        name = kb_name(kb, self.settings.knowledge.default_kb)
        chunks = self.knowledge.document_chunks(name, source)
        parts = [f"#### {html.escape(source)}：{len(chunks)} 个切块"]
        for i, chunk in enumerate(chunks, 1):
            heading = " › ".join(h for h in chunk.get("heading_path") or [] if h)
            body = html.escape(str(chunk.get("indexed_text") or chunk.get("text") or ""))
            title = f"<b>{i}.</b> {html.escape(heading)}" if heading else f"<b>{i}.</b>"
            kind = KIND_NAMES.get(str(chunk.get("kind")), str(chunk.get("kind") or ""))
            parts.append(f"{title} <sub class='sc-chunk-kind'>{html.escape(kind)}</sub>\n\n```text\n{body}\n```")
        return "\n\n".join(parts)

    def located(self, kb: str | None, source: str | None) -> tuple[str, str]:
        """(knowledge base, source) of the document chosen for deletion; a user error when none is."""
        if not source:
            raise UIError("请先在表格中选择要删除的文档。")
        return kb_name(kb, self.settings.knowledge.default_kb), source

    def chosen(self, kb: str | list[str] | None) -> str | list[str] | None:
        return chosen_bases(self.knowledge, kb, self.settings.knowledge.default_kb)

    def search(self, query: str | None, kb: str | list[str] | None, k: int = 8) -> list[dict]:
        """Ranked passages with lexical, dense and fused scores (the `search` endpoint shape plus scores);
        with several bases, fused across them and each row names its base (`kb`)."""
        return self.search_hits(query, kb, k)[0]

    def search_hits(self, query: str | None, kb: str | list[str] | None, k: int = 8) -> tuple[list[dict], str | None]:
        """`search`, and the Chinese warning to show when the vector server was unreachable (the rows then
        ranked by keywords only, each marked `"vector_search": "unavailable"`)."""
        fallbacks = self.knowledge.vector_fallbacks()
        rows = self._search(query, kb, k)
        notice = self.knowledge.vector_notice(fallbacks)
        if notice:
            for row in rows:
                row["vector_search"] = "unavailable"
        return rows, notice

    def _search(self, query: str | None, kb: str | list[str] | None, k: int) -> list[dict]:
        text = (query or "").strip()
        if not text:
            raise UIError("请输入要测试的问题。")
        if len(text) > self.settings.graph.max_message_chars:
            raise UIError(too_long(text, self.settings.graph.max_message_chars))  # the chat tab's and the CLI's notice
        names = parse_kbs(kb)
        k = max(1, min(int(k or 8), 50))
        out = []
        if len(names) > 1:
            found = self.knowledge.search_bases(text, self.chosen(names), k=k)
        else:
            found = self.knowledge.search(text, kb=kb_name(names[0] if names else None,
                                                         self.settings.knowledge.default_kb), k=k)
        for passage in found:
            row = passage.to_json()
            if len(names) > 1:
                row["kb"] = passage.kb
            row["lexical_score"] = passage.lexical_score
            row["dense_score"] = passage.dense_score
            row["heading"] = " › ".join(passage.heading_path or [])
            out.append(row)
        return out


def _when(stamp: Any) -> str:
    try:
        return time.strftime("%Y-%m-%d %H:%M", time.localtime(float(stamp)))
    except (TypeError, ValueError):
        return str(stamp or "")


def file_rows(files: list[dict]) -> list[list[Any]]:
    return [[f.get("source"), STATUS_NAMES.get(str(f.get("status")), f.get("status")), f.get("chunks", 0),
             f.get("error") or ""] for f in files]


def flag_rows(flags: list[dict]) -> list[list[Any]]:
    rows = []
    for f in flags:
        changes = "；".join(f"{o or '∅'} → {n or '∅'}" for o, n in f.get("changes") or [])
        old, new = (f.get("changes") or [("", "")])[0]
        rows.append([FLAG_NAMES.get(f["kind"], f["kind"]), f["source"], _around(f["text"], new, 90),
                     f["existing_source"], _around(f["existing_text"], old, 90), changes, f["similarity"]])
    return rows


def search_rows(results: list[dict]) -> list[list[Any]]:
    def fmt(value: Any) -> str:
        return f"{value:.4f}" if isinstance(value, (int, float)) else "—"

    return [[i, r["source"], r.get("heading") or r["title"], fmt(r["score"]), fmt(r.get("lexical_score")),
             fmt(r.get("dense_score")), _short(r["text"], 160)] for i, r in enumerate(results, 1)]


def _around(text: str, needle: str, limit: int) -> str:
    """A short excerpt centred on `needle` (the changed value), so the difference is visible."""
    flat = " ".join(str(text).split())
    at = flat.find(needle) if needle else -1
    if at < 0 or len(flat) <= limit:
        return _short(flat, limit)
    start = max(0, min(at - limit // 2, len(flat) - limit))
    return ("…" if start else "") + flat[start:start + limit] + ("…" if start + limit < len(flat) else "")


def _short(text: str, limit: int = 120) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
