"""Every shipped runbook validates and its references resolve; broken YAML gives one clear error."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.tools.conftest import DEMO_DIR
from tools.errors import ToolsError
from tools.runbooks import LIBRARY, RunbookEngine, load_runbooks
from tools.runbooks.schema import AdviseStep, ApproveStep, AskStep, LinkStep, ToolStep

REQUIRED_TOPICS = {"ssh-rdp-cannot-connect", "website-502-504", "dns-not-resolving", "certificate-problem",
                   "disk-full", "cpu-high", "mysql-connect-failed", "mysql-too-many-connections", "object-storage-403",
                   "cdn-origin-error", "memory-oom"}
NETWORK_TOOLS = {"tcp_port_check", "http_check", "tls_check", "dns_lookup", "ping"}


def test_shipped_runbooks_load_and_cover_the_demo_topics(registry) -> None:
    runbooks = load_runbooks()
    assert len(runbooks) >= 8
    assert REQUIRED_TOPICS <= set(runbooks)
    RunbookEngine(runbooks, registry)  # tool names and risk tiers check out


def test_every_runbook_uses_real_tools_and_cites_existing_demo_documents() -> None:
    """Demo-scoped runbooks cite demo documents; product-neutral ones cite by query (the base in use)."""
    if not (DEMO_DIR / "docs").is_dir():
        pytest.skip(f"demo knowledge base not found at {DEMO_DIR}")
    for runbook in load_runbooks().values():
        tools = {s.tool for s in runbook.steps if isinstance(s, (ToolStep, ApproveStep))}
        assert tools, f"{runbook.id} calls no tool"
        sources = [c.source for s in runbook.steps if isinstance(s, AdviseStep) for c in s.cite if c.source]
        if runbook.scope.anywhere:
            assert not sources and all(c.query for s in runbook.steps if isinstance(s, AdviseStep) for c in s.cite)
            continue
        assert runbook.scope.kbs == ["demo"], f"{runbook.id} belongs to the demo cloud"
        assert sources, f"{runbook.id} cites nothing"
        for source in sources:
            assert (DEMO_DIR / source).is_file(), f"{runbook.id} cites missing {source}"
        for step in runbook.steps:
            if isinstance(step, AskStep):
                assert step.slot in runbook.slots
    all_tools = {s.tool for r in load_runbooks().values() for s in r.steps if isinstance(s, (ToolStep, ApproveStep))}
    assert NETWORK_TOOLS - {"ping"} <= all_tools and {"log_analysis", "error_code_lookup", "restart_service"} <= all_tools


def test_every_step_is_reachable_from_the_start() -> None:
    for runbook in load_runbooks().values():
        ids = runbook.step_ids()
        seen, todo = set(), [ids[0]]
        while todo:
            current = todo.pop()
            if current in seen or current == "end":
                continue
            seen.add(current)
            step = runbook.steps[ids.index(current)]
            targets = [step.next] if step.next else [ids[ids.index(current) + 1]] if ids.index(current) + 1 < len(ids) else []
            targets += [c.goto for c in getattr(step, "cases", [])]
            for extra in (getattr(step, "default", None), getattr(step, "on_reject", None)):
                if extra == "next" and ids.index(current) + 1 < len(ids):
                    targets.append(ids[ids.index(current) + 1])
                elif extra:
                    targets.append(extra)
            if isinstance(step, LinkStep) or getattr(step, "kind", "") == "escalate":
                targets = [] if not step.next else targets
            todo += [t for t in targets if t]
        assert seen == set(ids), f"{runbook.id}: unreachable steps {set(ids) - seen}"


def _write(folder: Path, name: str, data) -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True) if not isinstance(data, str) else data, encoding="utf-8")
    return path


def _base() -> dict:
    return {"id": "demo", "title": "演示", "description": "d",
            "slots": {"host": {"prompt": "主机？", "type": "host"}},
            "steps": [{"id": "ask", "kind": "ask", "slot": "host"},
                      {"id": "check", "kind": "tool", "tool": "tcp_port_check", "args": {"host": "{{slots.host}}", "port": 22}},
                      {"id": "b", "kind": "branch", "cases": [{"when": "tool.check.data.open == false", "goto": "end"},
                                                              {"when": 'tool.check.status != "ok"', "goto": "end"}]}]}


@pytest.mark.parametrize("mutate, field", [
    (lambda d: d.update(color="red"), "color"),
    (lambda d: d["steps"][0].update(kind="dance"), "steps[0](ask)"),
    (lambda d: d["steps"][1].update(timeout=3), "steps[1](check).timeout"),
    (lambda d: d["steps"][2]["cases"][0].update(goto="nowhere"), "steps[2](b).cases[0].goto"),
    (lambda d: d["steps"][2]["cases"][0].update(when="tool.ghost.data.open == false"), "steps[2](b).cases[0].when"),
    (lambda d: d["steps"][2]["cases"][0].update(when="tool.check.data.open = 1"), "steps[2](b).cases[0].when"),
    (lambda d: d["steps"][0].update(slot="nope"), "steps[0](ask).slot"),
    (lambda d: d["steps"][1]["args"].update(host="{{slots.nope}}"), "steps[1](check)"),
    (lambda d: d["steps"].append({"id": "l", "kind": "link", "runbook": "ghost"}), "steps[3](l).runbook"),
    (lambda d: d["steps"].append({"id": "ask", "kind": "escalate", "reason": "r", "next_step": "n"}), "steps"),
    (lambda d: d["slots"]["host"].update(type="color"), "slots.host.type"),
])
def test_broken_runbooks_name_file_and_field(tmp_path, mutate, field) -> None:
    data = _base()
    mutate(data)
    path = _write(tmp_path, "broken.yaml", data)
    with pytest.raises(ToolsError) as error:
        load_runbooks(tmp_path)
    assert str(path) in str(error.value)
    assert field in str(error.value)


def test_yaml_syntax_error_and_wrong_top_level(tmp_path) -> None:
    _write(tmp_path, "bad.yaml", "id: [unclosed\n")
    with pytest.raises(ToolsError, match="bad.yaml.*YAML"):
        load_runbooks(tmp_path)
    (tmp_path / "bad.yaml").unlink()
    _write(tmp_path, "list.yaml", "- a\n- b\n")
    with pytest.raises(ToolsError, match="list.yaml"):
        load_runbooks(tmp_path)


def test_duplicate_ids_across_files(tmp_path) -> None:
    _write(tmp_path, "a.yaml", _base())
    _write(tmp_path, "b.yaml", _base())
    with pytest.raises(ToolsError, match="重复"):
        load_runbooks(tmp_path)


def test_risky_tools_only_behind_approval(tmp_path, registry) -> None:
    data = _base()
    data["steps"][1] = {"id": "check", "kind": "tool", "tool": "restart_service", "args": {"service": "nginx"}}
    _write(tmp_path, "risky.yaml", data)
    with pytest.raises(ToolsError, match="approve"):
        RunbookEngine(load_runbooks(tmp_path), registry)
    data["steps"][1] = {"id": "check", "kind": "tool", "tool": "tcp_portcheck", "args": {}}
    _write(tmp_path, "risky.yaml", data)
    with pytest.raises(ToolsError, match="未知工具"):
        RunbookEngine(load_runbooks(tmp_path), registry)


def test_extra_folder_is_loaded_beside_the_library(tmp_path) -> None:
    _write(tmp_path, "extra.yaml", _base())
    runbooks = load_runbooks(LIBRARY, extra_dirs=[tmp_path])
    assert "demo" in runbooks and "disk-full" in runbooks
