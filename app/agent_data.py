"""`smart-copilot data agent`: tool-use trajectories for fine-tuning the investigation.

    smart-copilot data agent --out d/agent.jsonl                 # shipped runbooks, demo KB passages
    smart-copilot data mix --domain d/agent.jsonl d/domain.jsonl --out d/train.jsonl
    smart-copilot finetune --data d/train.jsonl --adapter agent  # meta.json: tool_calling true

The conversations are rendered with what the copilot serves: the investigation prompt
(graph/prompts/investigate.yaml) with the runbook's plan and passages, the tools' schemas
as the registry gives them, and each result worded as the investigation words it for the
model. The generator itself is models/finetune/agent.py.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path
from typing import Any, Callable

from app.output import emit
from app.settings import Settings
from models.finetune.agent import AgentRecipe, agent_records, tool_names
from models.finetune.records import manifest_path, write_dataset


def add_agent_command(sub: Any, command: Callable[..., argparse.ArgumentParser]) -> None:
    agent = command(sub, "agent", "从运行手册和工具定义合成工具调用轨迹（模型排查的微调数据）", run_agent, source=True)
    agent.add_argument("--per-runbook", type=int, default=6, help="每个运行手册生成的轨迹数（默认 6）")
    agent.add_argument("--max-calls", type=int, default=3, help="每条轨迹最多调用运行手册中的几个工具（默认 3）")
    agent.add_argument("--runbooks", type=Path, help="额外的运行手册目录（默认：自带的 + tools.runbooks_dir）")
    agent.add_argument("--tools", nargs="+", metavar="NAME",
                       help="只提供这些工具（默认：graph.investigate.tools，为空则全部）")


def _passages(runbooks: dict[str, Any], chunks: list[Any]) -> dict[str, list[dict[str, Any]]]:
    """Per runbook: the first chunk of each document its advice cites (what a search would show the model)."""
    from graph.passages import to_state

    first: dict[str, Any] = {}
    for chunk in chunks:
        first.setdefault(chunk.source, chunk)
    out: dict[str, list[dict[str, Any]]] = {}
    for rb_id, runbook in runbooks.items():
        sources = [c.source for s in runbook.steps if s.kind == "advise" for c in s.cite if c.source]
        found = [first[s] for s in dict.fromkeys(sources) if s in first]
        out[rb_id] = [dict(to_state(p)) for p in found[:3]]
    return out


def run_agent(args: argparse.Namespace, settings: Settings) -> int:
    from app.commands.data import read_chunks
    from graph.investigation.checks import observation
    from graph.investigation.prompting import opening, plan_text, tool_specs
    from models.errors import ModelError
    from tools.registry import build_registry
    from tools.runbooks import load_runbooks

    extra = [p for p in (args.runbooks, settings.tools.runbooks_dir) if p]
    runbooks = load_runbooks(extra_dirs=extra)
    registry = build_registry(settings.tools, None)  # the schemas only: nothing runs, nothing is audited
    try:
        every = {s["name"]: s for s in registry.specs()}
    finally:
        registry.close()
    wanted = set(args.tools or settings.graph.investigate.tools)
    unknown = sorted(wanted - set(every))
    if unknown:
        raise ModelError(f"没有这些工具：{', '.join(unknown)}（可用：{', '.join(sorted(every))}）")
    specs = {name: spec for name, spec in every.items() if not wanted or name in wanted}
    chunks, where = read_chunks(args, settings)
    limit = settings.graph.investigate.result_chars
    records = agent_records(
        [rb.model_dump(mode="json") for rb in runbooks.values()], tool_specs(specs),
        lambda question, rb_id, passages: opening(question, plan_text(runbooks.get(rb_id or "")),
                                                  passages),  # type: ignore[arg-type]  # PassageData dicts
        lambda call: observation(call, limit),  # type: ignore[arg-type]  # ToolCallData dicts
        _passages(runbooks, chunks),
        AgentRecipe(per_runbook=args.per_runbook, max_calls=args.max_calls, seed=args.seed),
    )
    if not records:
        raise ModelError("没有生成任何轨迹：运行手册中没有调用所选工具的步骤（检查 --tools）")
    statuses = Counter(json.loads(m["content"])["status"] for r in records for m in r.messages if m["role"] == "tool")
    info: dict[str, Any] = {"runbooks": sorted(runbooks), "tools": sorted({t for r in records for t in tool_names(r)}),
                            "trajectories": len(records), "results": dict(statuses), "knowledge": where}
    manifest = write_dataset(args.out, records, sources=["tools/runbooks", "graph/prompts/investigate.yaml", where],
                             seed=args.seed, extra={"agent": info})
    text = (f"已写入 {len(records)} 条工具调用轨迹：{args.out}（{len(info['runbooks'])} 个运行手册，"
            f"工具结果：{'，'.join(f'{k} {v}' for k, v in statuses.items())}）\n清单：{manifest_path(args.out)}")
    emit(args, {"out": str(args.out), **manifest}, text)
    return 0
