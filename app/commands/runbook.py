"""`smart-copilot runbook list|validate|run`: troubleshooting runbooks from the shell.

    smart-copilot runbook list [--json]
    smart-copilot runbook validate [FILE...]          # shipped (+ tools.runbooks_dir) when no FILE
    smart-copilot runbook audit [--session S] [--limit N] [--json]   # tool calls and approvals
    smart-copilot runbook run ID [--question Q] [--answers FILE] [--state FILE] [--session S] [--user U] [--no-kb] [--json]

`run` drives the flow in the terminal (input() for each question or approval); with
`--answers FILE` (a YAML/JSON list, or one answer per line) it runs unattended and stops
when the answers run out. Tool calls and approvals go to data_dir/audit.sqlite.
"""

from __future__ import annotations

import argparse
import uuid
from pathlib import Path
from typing import Any, Callable

import yaml

from app.output import add_json_flag, emit
from app.settings import Settings
from tools.errors import ToolsError

ICONS = {"ask": "❓", "tool": "🔧", "advise": "💡", "approve": "⚠️", "escalate": "⛔", "info": "ℹ️", "summary": ""}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("runbook", help="排障运行手册：列出、校验、在终端中运行")
    sub = parser.add_subparsers(dest="runbook_command", required=True)
    listing = sub.add_parser("list", help="列出可用的运行手册")
    add_json_flag(listing)
    listing.set_defaults(handler=run_list)
    validate = sub.add_parser("validate", help="校验运行手册 YAML（不给文件时校验全部已加载的）")
    validate.add_argument("files", nargs="*", type=Path, metavar="FILE")
    add_json_flag(validate)
    validate.set_defaults(handler=run_validate)
    run = sub.add_parser("run", help="在终端中逐步运行一个运行手册")
    run.add_argument("runbook_id", metavar="ID")
    run.add_argument("--question", help="问题描述（不给则在终端询问）")
    run.add_argument("--answers", type=Path, metavar="FILE", help="按顺序回答的答案文件（YAML/JSON 列表或每行一个）")
    run.add_argument("--session", default=None, help="会话 ID（写入审计，默认随机）")
    run.add_argument("--user", default="local", help="坐席名（写入审计，默认 local）")
    run.add_argument("--state", type=Path, metavar="FILE", help="流程状态文件：存在则从中继续，暂停或结束时写回")
    run.add_argument("--no-kb", action="store_true", help="不加载知识库（不引用文档，知识库工具不可用）")
    add_json_flag(run)
    run.set_defaults(handler=run_flow)
    audit = sub.add_parser("audit", help="查看工具调用与审批的审计记录（data_dir/audit.sqlite）")
    audit.add_argument("--session", help="只看某个会话")
    audit.add_argument("--limit", type=int, default=50, help="最多显示多少条（默认 50）")
    add_json_flag(audit)
    audit.set_defaults(handler=run_audit)


def _runbooks(settings: Settings) -> dict:
    from tools.runbooks import load_runbooks

    extra = [settings.tools.runbooks_dir] if settings.tools.runbooks_dir else []
    return load_runbooks(extra_dirs=extra)


def _risks() -> dict[str, str]:
    from tools.catalog import SHIPPED_TOOLS

    return {tool.name: tool.risk for tool in SHIPPED_TOOLS}


def run_list(args: argparse.Namespace, settings: Settings) -> int:
    runbooks = _runbooks(settings)
    rows = [{"id": r.id, "title": r.title, "description": r.description, "intents": r.triggers.intents,
             "steps": len(r.steps)} for r in runbooks.values()]
    text = "\n".join(f"{r['id']:<30} {r['title']}" for r in rows)
    emit(args, rows, text)
    return 0


def run_validate(args: argparse.Namespace, settings: Settings) -> int:
    from tools.runbooks import check_tools, load_paths

    runbooks = load_paths(args.files, base=_runbooks(settings)) if args.files else _runbooks(settings)
    check_tools(runbooks, _risks())
    payload = {"valid": sorted(runbooks), "count": len(runbooks)}
    emit(args, payload, "\n".join(f"✓ {rb_id}" for rb_id in sorted(runbooks)) + f"\n共 {len(runbooks)} 个运行手册校验通过")
    return 0


def run_audit(args: argparse.Namespace, settings: Settings) -> int:
    import time

    from tools.audit import AuditLog

    path = settings.data_dir / "audit.sqlite"
    if not path.is_file():
        raise ToolsError(f"还没有审计记录：{path} 不存在")
    audit = AuditLog(path)
    try:
        records = audit.records(session=args.session, limit=args.limit)
    finally:
        audit.close()
    lines = [f"{time.strftime('%Y-%m-%d %H:%M:%S', time.localtime(r['ts']))}  {r['event']:<8} {r['user']:<10} "
             f"{r['session']:<14} {r['tool']:<16} {r['status']:<8} {r['summary']}" for r in records]
    emit(args, records, "\n".join(lines) or "（没有记录）")
    return 0


def read_answers(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ToolsError(f"无法读取答案文件 {path}：{exc}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        data = None
    if isinstance(data, list):
        return [str(item) for item in data]
    return [line for line in text.splitlines() if line.strip()]


def _render(output: Any) -> str:
    icon = ICONS.get(output.kind, "")
    lines = [f"{icon} {output.text}".strip()]
    for c in output.citations:
        lines.append(f"   [来源] {c.get('source')} — {c.get('title')}")
    return "\n".join(lines)


def run_flow(args: argparse.Namespace, settings: Settings) -> int:
    from tools.registry import build_registry
    from tools.runbooks import RunbookEngine

    knowledge = None
    if not args.no_kb:
        from app.wiring import build_knowledge

        knowledge, _ = build_knowledge(settings)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    registry = build_registry(settings.tools, settings.data_dir, knowledge=knowledge)
    try:
        engine = RunbookEngine(_runbooks(settings), registry, knowledge=knowledge)
        answers = read_answers(args.answers) if args.answers else None
        ask = _answer_source(answers)
        show = (lambda text: None) if args.json else print
        state = _load_state(args.state, args.runbook_id) if args.state and args.state.is_file() else None
        if state is None:
            question = args.question or ask("请描述问题：")
            if question is None:
                raise ToolsError("没有问题描述：请用 --question 提供")
            session = args.session or f"cli-{uuid.uuid4().hex[:8]}"
            state = engine.start(args.runbook_id, question, session, args.user)
        session = state.session
        state, outputs = engine.advance(state, None)
        transcript = list(outputs)
        for output in outputs:
            show(_render(output))
        while not state.finished and state.waiting is not None and state.status != "left":
            reply = ask("> ")
            if reply is None:
                show("（答案已用完，流程暂停在当前步骤）")
                break
            if answers is not None:
                show(f"> {reply}")
            state, outputs = engine.advance(state, reply)
            transcript += outputs
            for output in outputs:
                show(_render(output))
        if args.state:
            args.state.write_text(state.model_dump_json(indent=1), encoding="utf-8")
        payload = {"runbook": state.runbook_id, "status": state.status, "session": session,
                   "waiting": state.waiting if not state.finished else None,
                   "outputs": [o.to_json() for o in transcript], "summary": engine.summary(state),
                   "state": state.model_dump(mode="json")}
        if args.json:
            emit(args, payload)
        return 0
    finally:
        registry.close()
        if knowledge is not None:
            knowledge.close()


def _load_state(path: Path, runbook_id: str) -> Any:
    from pydantic import ValidationError

    from tools.runbooks import RunbookState

    try:
        state = RunbookState.model_validate_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, ValidationError) as exc:
        raise ToolsError(f"流程状态文件 {path} 无法读取：{str(exc).splitlines()[0]}") from None
    if runbook_id not in state.trail:
        raise ToolsError(f"流程状态文件 {path} 属于运行手册 {state.trail[0]}，不是 {runbook_id}")
    return state


def _answer_source(answers: list[str] | None) -> Callable[[str], str | None]:
    if answers is None:
        def interactive(prompt: str) -> str | None:
            try:
                return input(prompt)
            except EOFError:
                return None
        return interactive
    queue = list(answers)
    return lambda prompt: queue.pop(0) if queue else None
