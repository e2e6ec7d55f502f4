"""Loads runbook YAML files (yaml.safe_load) into validated `Runbook` models.

Every problem becomes one ToolsError naming the file and the field: schema errors,
duplicate ids, step targets, slot names, placeholders and conditions that point nowhere,
links to unknown runbooks, tool results without a branch for a tool that did not run
(tools.runbooks.checks). Tool names are checked against a registry in `check_tools`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

import yaml
from pydantic import ValidationError

from tools.errors import ToolsError
from tools.runbooks.checks import unhandled_result_problem
from tools.runbooks.conditions import Condition, ConditionError
from tools.runbooks.schema import AdviseStep, ApproveStep, AskStep, BranchStep, EscalateStep, LinkStep, Runbook, ToolStep
from tools.runbooks.scope import link_scope_problem
from tools.runbooks.templating import placeholders

LIBRARY = Path(__file__).parent / "library"


def load_runbooks(dir: Path | str | None = None, extra_dirs: Iterable[Path | str] = ()) -> dict[str, Runbook]:
    """Runbooks by id from `dir` (default: the shipped library) plus `extra_dirs`."""
    folders = [Path(dir) if dir is not None else LIBRARY, *(Path(d) for d in extra_dirs)]
    runbooks: dict[str, Runbook] = {}
    origin: dict[str, Path] = {}
    for folder in folders:
        if not folder.is_dir():
            raise ToolsError(f"运行手册目录不存在：{folder}")
        for path in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]):
            runbook = load_file(path)
            if runbook.id in runbooks:
                raise ToolsError(f"运行手册 {path} 的 id {runbook.id!r} 与 {origin[runbook.id]} 重复")
            runbooks[runbook.id] = runbook
            origin[runbook.id] = path
    for rb_id, runbook in runbooks.items():
        problem = reference_problem(runbook, runbooks)
        if problem:
            raise ToolsError(f"运行手册 {origin[rb_id]} 无效：{problem}")
    return runbooks


def load_paths(paths: Iterable[Path | str], base: dict[str, Runbook] | None = None) -> dict[str, Runbook]:
    """Validate individual files against `base` (default: the shipped library) for link targets.

    A file may redefine a shipped runbook (same id) — it replaces it for the check.
    Returns the runbooks of the given files.
    """
    combined = dict(load_runbooks() if base is None else base)
    loaded: dict[str, tuple[Path, Runbook]] = {}
    for raw in paths:
        path = Path(raw)
        if not path.is_file():
            raise ToolsError(f"运行手册文件不存在：{path}")
        runbook = load_file(path)
        if runbook.id in loaded:
            raise ToolsError(f"运行手册 {path} 的 id {runbook.id!r} 与 {loaded[runbook.id][0]} 重复")
        loaded[runbook.id] = (path, runbook)
        combined[runbook.id] = runbook
    for path, runbook in loaded.values():
        problem = reference_problem(runbook, combined)
        if problem:
            raise ToolsError(f"运行手册 {path} 无效：{problem}")
    return {rb_id: rb for rb_id, (_, rb) in loaded.items()}


# libyaml's safe loader when PyYAML has it: the same documents, ~10x less CPU at every start.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_file(path: Path) -> Runbook:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER)
    except yaml.YAMLError as exc:
        raise ToolsError(f"运行手册 {path} 不是合法的 YAML：{exc}") from None
    except OSError as exc:
        raise ToolsError(f"无法读取运行手册 {path}：{exc}") from None
    if not isinstance(data, dict):
        raise ToolsError(f"运行手册 {path} 的顶层必须是键值映射（mapping）")
    try:
        return Runbook.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = _field_name(err["loc"], data)
        more = f"（另有 {exc.error_count() - 1} 处问题）" if exc.error_count() > 1 else ""
        raise ToolsError(f"运行手册 {path} 无效：字段 {field}：{err['msg']}{more}") from None


def _field_name(loc: tuple[Any, ...], data: dict[str, Any]) -> str:
    """`steps[2](check_port).tool` rather than pydantic's union-tagged location."""
    parts: list[str] = []
    node: Any = data
    for item in loc:
        if isinstance(item, int):
            label = f"[{item}]"
            if isinstance(node, list) and item < len(node) and isinstance(node[item], dict) and "id" in node[item]:
                label += f"({node[item]['id']})"
            parts.append(label)
            node = node[item] if isinstance(node, list) and item < len(node) else None
        elif isinstance(node, dict) and node.get("kind") == item:
            continue  # discriminator tag added by pydantic
        elif isinstance(node, dict) and item in node:
            parts.append(f".{item}" if parts else str(item))
            node = node[item]
        else:
            parts.append(f".{item}" if parts else str(item))
            node = None
    return "".join(parts) or "（顶层）"


def reference_problem(runbook: Runbook, runbooks: dict[str, Runbook]) -> str | None:
    """The first dangling reference inside a runbook, described with its field, or None."""
    ids = set(runbook.step_ids())
    tool_steps = {s.id for s in runbook.steps if isinstance(s, (ToolStep, ApproveStep))}
    targets = ids | {"end"}
    for i, step in enumerate(runbook.steps):
        where = f"steps[{i}]({step.id})"
        jumps: list[tuple[str, str]] = [("next", step.next)] if step.next else []
        if isinstance(step, BranchStep):
            jumps += [(f"cases[{j}].goto", c.goto) for j, c in enumerate(step.cases)]
            if step.default != "next":
                jumps.append(("default", step.default))
            for j, case in enumerate(step.cases):
                try:
                    paths = Condition(case.when).paths()
                except ConditionError as exc:
                    return f"字段 {where}.cases[{j}].when：{exc}"
                problem = _path_problem(paths, runbook, tool_steps)
                if problem:
                    return f"字段 {where}.cases[{j}].when：{problem}"
        if isinstance(step, ApproveStep) and step.on_reject != "next":
            jumps.append(("on_reject", step.on_reject))
        for field, target in jumps:
            if target not in targets:
                return f"字段 {where}.{field}：没有 id 为 {target!r} 的步骤"
        templated: list[Any] = []
        if isinstance(step, AskStep) and step.slot not in runbook.slots:
            return f"字段 {where}.slot：没有名为 {step.slot!r} 的槽位"
        if isinstance(step, LinkStep):
            if step.runbook not in runbooks:
                return f"字段 {where}.runbook：没有 id 为 {step.runbook!r} 的运行手册"
            unknown = [k for k in step.slots if k not in runbooks[step.runbook].slots]
            if unknown:
                return f"字段 {where}.slots：运行手册 {step.runbook} 没有槽位 {unknown[0]!r}"
            templated.append(step.slots)
        if isinstance(step, (ToolStep, ApproveStep)):
            templated.append(step.args)
        if isinstance(step, ApproveStep):
            templated.append(step.prompt)
        if isinstance(step, AdviseStep):
            templated += [step.text, *[c.query for c in step.cite if c.query]]
        if isinstance(step, EscalateStep):
            templated += [step.reason, step.next_step]
        problem = _path_problem(placeholders(templated), runbook, tool_steps)
        if problem:
            return f"字段 {where}：{problem}"
    return unhandled_result_problem(runbook) or link_scope_problem(runbook, runbooks)


def _path_problem(paths: list[tuple[str, ...]], runbook: Runbook, tool_steps: set[str]) -> str | None:
    for parts in paths:
        if len(parts) < 2:
            return f"{'.'.join(parts)} 不完整"
        if parts[0] == "slots" and parts[1] not in runbook.slots:
            return f"引用了不存在的槽位 {parts[1]!r}"
        if parts[0] == "tool" and parts[1] not in tool_steps:
            return f"引用了不存在的工具步骤 {parts[1]!r}"
    return None


def check_tools(runbooks: dict[str, Runbook], risks: dict[str, str]) -> None:
    """Tool names exist; read-only tools in tool steps, changes_something ones only behind approve."""
    for runbook in runbooks.values():
        for i, step in enumerate(runbook.steps):
            if not isinstance(step, (ToolStep, ApproveStep)):
                continue
            where = f"运行手册 {runbook.id} 字段 steps[{i}]({step.id}).tool"
            if step.tool not in risks:
                raise ToolsError(f"{where}：未知工具 {step.tool!r}（可用：{', '.join(sorted(risks))}）")
            if isinstance(step, ToolStep) and risks[step.tool] != "read_only":
                raise ToolsError(f"{where}：{step.tool} 会改变系统状态，只能放在 approve 步骤中")
            if isinstance(step, ApproveStep) and risks[step.tool] == "read_only":
                raise ToolsError(f"{where}：{step.tool} 是只读工具，请用 tool 步骤")
