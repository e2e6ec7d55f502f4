"""`smart-copilot analyze` and `smart-copilot ask`: the conversation graph from the shell.

    smart-copilot analyze "504了" --json                  # guard/split/rewrite/route only
    smart-copilot analyze "那它的端口是多少" --history h.json --json
    smart-copilot ask "SSH 连不上怎么办？" --json                # one-off: a fresh conversation
    smart-copilot ask "那它的端口是多少？" --session s1 --json    # --session ID continues one
    tail -50 error.log | smart-copilot ask -                    # `-`: the message from stdin

JSON shapes are the CLI contract (../shared/ARCHITECTURE.md); `ask --full` prints the
whole TurnResult (sections, runbook, trace) instead.
"""

from __future__ import annotations

import argparse
import json
import uuid
from pathlib import Path

from app.cli_vectors import prepare_vectors
from app.kb_option import add_kb_option, chosen, names_of
from app.output import add_json_flag, emit
from app.settings import Settings
from graph.errors import GraphError

ASK_KEYS = ("answer", "refused", "sub_questions", "standalone", "citations", "grounded", "route", "decision")
CITATION_KEYS = ("n", "source", "title", "text")
ANALYZE_KEYS = ("in_domain", "domain_score", "sub_questions", "standalone", "routes", "decision")


def register(subparsers: argparse._SubParsersAction) -> None:
    analyze = subparsers.add_parser("analyze", help="只做理解：拒答判断、拆分、改写、路由（不回答）")
    analyze.add_argument("question", metavar="QUESTION", help="用户消息（- 表示从标准输入读取）")
    add_kb_option(analyze)
    analyze.add_argument("--history", type=Path, metavar="FILE", help='对话历史 JSON 文件：[{"role","content"}, ...]')
    add_json_flag(analyze)
    analyze.set_defaults(handler=run_analyze)

    ask = subparsers.add_parser("ask", help="完整回答一轮对话（带引用）")
    ask.add_argument("question", metavar="QUESTION", help="用户消息（- 表示从标准输入读取，适合长日志或报错）")
    add_kb_option(ask)
    ask.add_argument("--session", metavar="ID", help="会话 ID：同一会话可追问；不给时每次都是新的一次性对话")
    ask.add_argument("--user", default="local", help="用户名（会话按用户隔离，默认 local）")
    ask.add_argument("--full", action="store_true", help="with --json: the whole TurnResult (sections, runbook, trace)")
    add_json_flag(ask)
    ask.set_defaults(handler=run_ask)


def read_history(path: Path) -> list[dict]:
    """A history file: a JSON list of {"role","content"}; GraphError names the problem."""
    from knowledge.errors import KnowledgeError
    from knowledge.loaders import unreadable
    from knowledge.loaders.encoding import decode_text

    try:
        data = json.loads(decode_text(path.read_bytes()))
    except FileNotFoundError:
        raise GraphError(f"历史文件不存在：{path}") from None
    except OSError as exc:
        raise GraphError(f"历史文件 {path} {unreadable(exc)}") from None
    except KnowledgeError as exc:
        raise GraphError(f"历史文件 {path}：{exc}") from None
    except json.JSONDecodeError as exc:
        raise GraphError(f"历史文件 {path} 不是合法的 JSON（第 {exc.lineno} 行第 {exc.colno} 列附近有语法错误）："
                         '请修正后重试，格式：[{"role": "user", "content": "..."}]') from None
    if not isinstance(data, list):
        raise GraphError(f"历史文件 {path} 必须是列表：[{{\"role\": \"user\", \"content\": \"...\"}}, ...]")
    for i, item in enumerate(data):
        if not isinstance(item, dict) or item.get("role") not in ("user", "assistant") or not isinstance(
                item.get("content"), str):
            raise GraphError(f"历史文件 {path} 第 {i + 1} 条必须有 role（user/assistant）和字符串 content")
    return data


def _check_kb(copilot, kb: str | list[str] | None) -> None:
    for name in names_of(kb):
        if not copilot.context.knowledge.has_kb(name):
            names = "、".join(k["name"] for k in copilot.context.knowledge.list_kbs()) or "（无）"
            raise GraphError(f"知识库 {name} 不存在；现有知识库：{names}")


def _prepare_vectors(copilot, kb: str | list[str] | None, settings: Settings) -> None:
    """Complete or announce the vectors of every base the turn reads (None: the default base)."""
    names: list[str | None] = list(names_of(kb)) or [None]
    for name in names:
        prepare_vectors(copilot.context.knowledge, name, settings)


def run_analyze(args: argparse.Namespace, settings: Settings) -> int:
    from app.message_input import read_message
    from app.wiring import build_copilot

    history = read_history(args.history) if args.history else None
    question = read_message(args.question, settings.graph.max_message_chars)  # before anything loads
    copilot = build_copilot(settings, background=False, vectors_required=False)
    kb = chosen(args)
    _check_kb(copilot, kb)
    if settings.graph.guard_weights.get("retrieval", 0.0) > 0:  # otherwise analysis never reads vectors
        _prepare_vectors(copilot, kb, settings)
    result = copilot.analyze(question, history=history, kb=kb)
    payload = {k: result[k] for k in ANALYZE_KEYS}
    text = "\n".join([
        f"领域内：{'是' if result['in_domain'] else '否'}（得分 {result['domain_score']:.2f}，判定 {result['guard']}）",
        *[f"{i}. {q} -> {s} [{r}]" for i, (q, s, r) in
          enumerate(zip(result["sub_questions"], result["standalone"], result["routes"]), 1)],
    ])
    emit(args, payload, text)
    return 0


def run_ask(args: argparse.Namespace, settings: Settings) -> int:
    from app.message_input import read_message
    from app.wiring import build_copilot

    question = read_message(args.question, settings.graph.max_message_chars)  # before anything loads
    copilot = build_copilot(settings, background=False, vectors_required=False)  # no vector server: keywords
    kb = chosen(args)
    _check_kb(copilot, kb)
    _prepare_vectors(copilot, kb, settings)
    # No --session: a one-off question in a conversation of its own (a runbook an earlier
    # command left waiting must not swallow it as its reply).
    session = args.session or f"cli-{uuid.uuid4().hex[:12]}"
    result = copilot.ask(question, session, user=args.user, kb=kb).to_json()
    if args.full:
        payload = result
    else:
        keys = CITATION_KEYS + ("kb",) if len(names_of(kb)) > 1 else CITATION_KEYS  # several bases: name each
        payload = {k: result[k] for k in ASK_KEYS}
        payload["citations"] = [{k: c.get(k) for k in keys} for c in result["citations"]]
        payload["tool_calls"] = result.get("tool_calls") or []  # additive: the model's tool calls this turn
        if result.get("notices"):  # additive: how the turn was served (the vector server was down: keywords only)
            payload["notices"] = result["notices"]
        if result["trace"].get("vector_search"):
            payload["vector_search"] = result["trace"]["vector_search"]
    emit(args, payload, result["answer"])
    return 0
