"""`ingest`, `kb list|show|delete` and `search`: the knowledge layer's commands.

`--json` shapes follow the CLI contract in ../shared/ARCHITECTURE.md; human output is
Chinese. Progress goes to stderr (bars on a terminal, a line every few seconds otherwise,
app/progress.py) so stdout stays machine-readable.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from app.kb_option import add_kb_option, chosen
from app.output import add_json_flag, emit, fail
from app.progress import stderr_progress
from app.settings import Settings

if TYPE_CHECKING:
    from knowledge.service import KnowledgeService


def register(subparsers: argparse._SubParsersAction) -> None:
    ingest = subparsers.add_parser("ingest", help="把文件或文件夹导入知识库（增量）")
    ingest.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="文件或文件夹")
    ingest.add_argument("--kb", help="知识库名称（默认：knowledge.default_kb）")
    ingest.add_argument("--sync", action="store_true", help="删除文件夹中已不存在的文档")
    ingest.add_argument("--no-progress", action="store_true", help="不显示进度条")
    add_json_flag(ingest)
    ingest.set_defaults(handler=run_ingest)

    kb = subparsers.add_parser("kb", help="管理知识库")
    sub = kb.add_subparsers(dest="kb_command", required=True)
    listing = sub.add_parser("list", help="列出知识库")
    add_json_flag(listing)
    listing.set_defaults(handler=run_kb_list)
    show = sub.add_parser("show", help="显示知识库详情")
    show.add_argument("name")
    add_json_flag(show)
    show.set_defaults(handler=run_kb_show)
    delete = sub.add_parser("delete", help="删除知识库或其中一个文档")
    delete.add_argument("name")
    delete.add_argument("--doc", metavar="SOURCE", help="只删除这个文档（导入时的相对路径）")
    add_json_flag(delete)
    delete.set_defaults(handler=run_kb_delete)

    search = subparsers.add_parser("search", help="混合检索（不生成回答）")
    search.add_argument("query")
    add_kb_option(search)
    search.add_argument("-k", type=int, default=8, help="返回条数（默认 8）")
    add_json_flag(search)
    search.set_defaults(handler=run_search)


def open_service(settings: Settings, wait_for_vectors: bool = False, searching: bool = False) -> "KnowledgeService":
    """The service for one command; `ingest` embeds in the foreground (a CLI run must not exit mid-way).
    For `search` and `ingest` a Chroma server that does not answer is not an error: the search ranks by
    keywords, the ingest indexes keywords and its report says the vectors come later."""
    from knowledge.service import KnowledgeService
    from models.embeddings.registry import create_embedder

    knowledge = settings.knowledge
    if wait_for_vectors and knowledge.dense == "background":
        knowledge = knowledge.model_copy(update={"dense": "sync"})
    from app.storage.build import open_knowledge_backend

    backend = open_knowledge_backend(settings, vectors_required=not (searching or wait_for_vectors))
    return KnowledgeService(knowledge, settings.data_dir, create_embedder(settings.models.embedder),
                            backend=backend, background=False)


def coverage_note(info: dict) -> str:
    """What the vector coverage means for answers, in one phrase."""
    if info.get("dense_state") == "unreadable":
        return "（向量库无法读取：下次 ingest 或启动服务时会重建，期间只用关键词检索）"
    if info.get("dense_state") == "unavailable":
        return "（向量服务器暂时无法连接：期间只用关键词检索，恢复后自动恢复语义检索）"
    note = ""
    if info.get("pending_chunks"):
        note = f"（{info['pending_chunks']} 段待向量化：这些内容暂时只能用关键词检索，运行 smart-copilot ingest 补全）"
    if info.get("skipped_chunks"):
        note += f"（代码/日志等 {info['skipped_chunks']} 段只做关键词检索）"
    return note


def run_ingest(args: argparse.Namespace, settings: Settings) -> int:
    service = open_service(settings, wait_for_vectors=True)
    progress = stderr_progress(not args.no_progress)
    try:
        report = service.ingest(args.paths, kb=args.kb, sync=args.sync, progress=progress)
        info = service.vector_status(report.kb)
    finally:
        if progress is not None:
            progress.close()
        service.close()
    data = report.to_json()
    lines = [f"知识库 {data['kb']}：新增 {data['added']}，更新 {data['updated']}，未变 {data['unchanged']}，"
             f"删除 {data['deleted']}，新切分 {data['chunks']} 段，向量覆盖率 {info['dense_coverage']:.0%}"
             + coverage_note(info)]
    lines += [f"  失败 {e['source']}：{e['error']}" for e in data["errors"]]
    lines += [f"  注意 {w['source']}：{w['warning']}" for w in data.get("warnings", [])]
    if data.get("notices") and args.json:  # stdout keeps the JSON; the warning goes beside the progress lines
        print("\n".join(f"警告：{n}" for n in data["notices"]), file=sys.stderr)
    lines += [f"警告：{n}" for n in data.get("notices", [])]
    emit(args, data, "\n".join(lines))
    return 1 if data["errors"] and not (data["added"] or data["updated"] or data["unchanged"]) else 0


def run_kb_list(args: argparse.Namespace, settings: Settings) -> int:
    service = open_service(settings)
    try:
        kbs = service.list_kbs()
    finally:
        service.close()
    text = "\n".join(f"{k['name']}\t文档 {k['documents']}\t分段 {k['chunks']}\t向量覆盖率 {k['dense_coverage']:.0%}"
                     + coverage_note(k) for k in kbs) or "还没有知识库。用 smart-copilot ingest PATH --kb NAME 创建。"
    emit(args, kbs, text)
    return 0


def run_kb_show(args: argparse.Namespace, settings: Settings) -> int:
    service = open_service(settings)
    try:
        info = service.show_kb(args.name)
    finally:
        service.close()
    lines = [f"知识库 {info['name']}：文档 {info['document_count']}，分段 {info['chunks']}，"
             f"向量覆盖率 {info['dense_coverage']:.0%}（待向量化文档 {info['dense_pending']}）" + coverage_note(info)]
    for d in info["documents"]:
        stamp = datetime.fromtimestamp(d["updated_at"]).strftime("%Y-%m-%d %H:%M")
        lines.append(f"  {d['source']}\t{d['title']}\t{d['chunks']} 段\tv{d['version']}\t{stamp}")
    emit(args, info, "\n".join(lines))
    return 0


def run_kb_delete(args: argparse.Namespace, settings: Settings) -> int:
    service = open_service(settings)
    try:
        if args.doc:
            service.delete_document(args.name, args.doc)
            payload = {"kb": args.name, "deleted": args.doc}
            text = f"已从知识库 {args.name} 删除文档 {args.doc}"
        else:
            service.delete_kb(args.name)
            payload = {"kb": args.name, "deleted": True}
            text = f"已删除知识库 {args.name}"
    finally:
        service.close()
    emit(args, payload, text)
    return 0


def run_search(args: argparse.Namespace, settings: Settings) -> int:
    limit = settings.graph.max_message_chars  # the one message limit, and notice, of every entry point
    if len(args.query.strip()) > limit:
        from app.message_input import too_long

        return fail(too_long(args.query.strip(), limit))
    service = open_service(settings, searching=True)
    try:
        kb = chosen(args)
        fallbacks = service.vector_fallbacks()
        if isinstance(kb, list):
            passages = service.search_bases(args.query, kb, k=args.k)
        else:
            passages = service.search(args.query, kb=kb, k=args.k)
        notice = service.vector_notice(fallbacks)
    finally:
        service.close()
    if notice:  # stdout keeps the contract's shape; the warning goes beside the progress lines
        print(f"警告：{notice}", file=sys.stderr)
    several = isinstance(kb, list)  # each hit names its base (one base: the contract's keys, unchanged)
    data = [{**p.to_json(), "kb": p.kb} if several else p.to_json() for p in passages]
    lines = []
    for i, p in enumerate(passages, start=1):
        heading = " > ".join([p.title, *p.heading_path])
        snippet = p.text.replace("\n", " ")
        where = f"〔{p.kb}〕" if several else ""
        lines.append(f"[{i}] {where}{p.source}  ({heading})  score={p.score:.4f}\n    {snippet[:160]}")
    emit(args, data, "\n".join(lines) or "没有找到相关内容。")
    return 0


