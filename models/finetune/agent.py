"""Tool-use trajectories for fine-tuning the investigation (`smart-copilot data agent`).

From each runbook (plain dicts, as `tools.runbooks` dumps them) and the tools the model is
offered, synthesize conversations in the chat format the copilot serves: the investigation's
system prompt and question (rendered by the caller, so training sees the served text), then
assistant turns that call the runbook's tools with the symptom's values, tool results
simulated from `seeds/agent_results.yaml` (healthy, a problem, refused by the target policy,
timed out, failed; restarts approved or rejected), and a final answer that cites its
evidence ([T<n>] results, [n] passages). The trainer learns only the assistant turns and
their tool calls (models/finetune/encoding.py). Pure data; `pytest tests/finetune/test_agent_data.py`.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Callable

import yaml

from models.finetune.records import Record
from models.llm.base import ChatMessage, ModelToolCall, ToolSpec

Opening = Callable[[str, str | None, list[dict[str, Any]]], list[ChatMessage]]
"""(question, runbook id, passages) -> the served system message and question."""
Observe = Callable[[dict[str, Any]], str]
"""A call record {"n","tool","args","status","summary","result"} -> the tool message text the model reads."""
Results = Callable[[str, dict[str, Any], str, str], tuple[str, str, dict[str, Any]]]
"""(tool, args, outcome, keyword) -> (status, summary, ToolResult-like JSON): simulated by default; a
caller may run the real tool instead (tests that train on exactly what the registry returns)."""
_SLOT = re.compile(r"\{\{\s*slots\.(\w+)\s*\}\}")
OUTCOMES = (("healthy", 0.4), ("problem", 0.35), ("refused", 0.1), ("timeout", 0.1), ("error", 0.05))
SAMPLES = {"host": ["203.0.113.10", "198.51.100.23", "app.example.com"],
           "url": ["https://shop.example.com/", "https://www.example.com/api/health"],
           "port": ["22", "3306", "443", "80", "3389"], "int": ["80", "3"],
           "text": ["nginx", "mysqld", "java-app"]}
BY_NAME = {"cdn": ["https://cdn.example.com/index.html", "https://static.example.com/app.js"],
           "origin": ["http://203.0.113.10/index.html", "https://origin.example.com/app.js"],
           "domain": ["shop.example.com", "www.example.com"], "db": ["198.51.100.23", "db.example.com"]}
PREFIXES_BY_NAME = (("backend", "后端"), ("db", "数据库"), ("cdn", "CDN "), ("origin", "源站"), ("rdp", "远程桌面"),
                    ("ssh", "SSH "))
KIND_WORDS = {"host": "服务器", "url": "网址", "port": "端口", "log": "日志", "int": "数值"}
PREFIXES = ("", "帮我排查一下：", "客户反馈：", "请帮忙看看，", "急：")


@dataclass
class AgentRecipe:
    per_runbook: int = 6
    """Trajectories per runbook (symptoms and outcomes vary)."""
    max_calls: int = 3
    """Tool steps of the runbook used per trajectory (approval comes on top)."""
    seed: int = 42
    vary: bool = True
    """Vary the question: a prefix ("客户反馈：") and the values the calls use; off: the symptom as given."""


@lru_cache(maxsize=1)
def simulated_results() -> dict[str, Any]:
    text = resources.files("models.finetune").joinpath("seeds", "agent_results.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def _fill(template: Any, values: dict[str, Any]) -> Any:
    if isinstance(template, str):
        return re.sub(r"\{(\w+)\}", lambda m: str(values.get(m.group(1), m.group(0))), template)
    if isinstance(template, dict):
        return {k: _fill(v, values) for k, v in template.items()}
    if isinstance(template, list):
        return [_fill(v, values) for v in template]
    return template


def _slot_value(name: str, slot: dict[str, Any], runbook: dict[str, Any], rng: random.Random) -> str:
    kind = slot.get("type", "text")
    if kind == "log":
        keyword = rng.choice(runbook.get("triggers", {}).get("keywords") or [runbook["title"]])
        return f"2026-01-01 10:00:00 ERROR {keyword}"
    if slot.get("default") and (slot.get("ask") is False or kind in ("port", "int") or rng.random() < 0.5):
        return str(slot["default"])
    if kind == "choice":
        return str((slot.get("choices") or [""])[0])
    hint = next((v for k, v in BY_NAME.items() if k in name and kind in ("host", "url")), None)
    pool = hint or SAMPLES.get(kind, SAMPLES["text"])
    if kind == "port" and "ssh" in name:
        return "22"
    return rng.choice(pool)


def _args(template: dict[str, Any], values: dict[str, str], schema: dict[str, Any]) -> dict[str, Any] | None:
    """A step's arguments with slot values, typed as the tool's schema says; None if it needs a tool result."""
    out: dict[str, Any] = {}
    props = schema.get("properties") or {}
    for key, raw in template.items():
        if isinstance(raw, str) and "{{" in raw:
            if re.search(r"\{\{\s*tool\.", raw):
                return None
            raw = _SLOT.sub(lambda m: values.get(m.group(1), ""), raw)
        if props.get(key, {}).get("type") == "integer" and isinstance(raw, str) and raw.strip().isdigit():
            raw = int(raw)
        out[key] = raw
    return out


def _phrase(name: str, slot_type: str, value: str) -> str:
    """How the symptom mentions a slot's value, e.g. "后端服务器 203.0.113.10", "SSH 端口 22"."""
    if "domain" in name:
        return f"域名 {value}"
    prefix = next((text for key, text in PREFIXES_BY_NAME if key in name), "")
    word = KIND_WORDS.get(slot_type) or ("服务" if "service" in name else "报错信息")
    if prefix and slot_type in ("host", "url"):
        word = "地址"
    return f"{prefix}{word}：{value}" if slot_type in ("log", "text") and word != "服务" else f"{prefix}{word} {value}"


def _result(tool: str, args: dict[str, Any], outcome: str, keyword: str) -> tuple[str, str, dict[str, Any]]:
    """(status, summary, ToolResult-like JSON) of a simulated call."""
    seeds = simulated_results()
    target = args.get("host") or args.get("url") or args.get("name")
    values = {**args, "tool": tool, "keyword": keyword, "target": target}
    if outcome in ("refused", "timeout", "error"):
        kind = outcome if outcome != "refused" else ("refused" if target else "rate_limited")
        error = _fill(seeds["failures"][kind], values)
        return outcome, error, {"status": outcome, "error": error, "data": {}}
    kind = (seeds["tools"].get(tool) or seeds["generic"])[outcome]
    data = {**_fill(kind["data"], values), "healthy": outcome == "healthy", "summary": _fill(kind["summary"], values)}
    return "ok", data["summary"], {"status": "ok", "data": data}


class _Trajectory:
    def __init__(self, messages: list[ChatMessage], observe: Observe) -> None:
        self.messages = list(messages)
        self.observe = observe
        self.calls: list[dict[str, Any]] = []

    def call(self, note: str, tool: str, args: dict[str, Any], status: str, summary: str, result: dict[str, Any],
             approved: bool = False) -> dict[str, Any]:
        call_id = f"call_{len(self.calls) + 1}"
        self.messages.append(ChatMessage("assistant", note, (ModelToolCall(call_id, tool, args),)))
        record = {"id": call_id, "n": len(self.calls) + 1, "tool": tool, "args": args, "status": status,
                  "summary": summary, "approved": approved, "result": result}
        self.calls.append(record)
        self.messages.append(ChatMessage("tool", self.observe(record), tool_call_id=call_id, name=tool))
        return record


def _conclusion(runbook: dict[str, Any], calls: list[dict[str, Any]], cite: bool) -> str:
    problems = [c for c in calls if c["status"] == "ok" and c["result"]["data"].get("healthy") is False
                and not c["approved"]]
    failed = [c for c in calls if c["status"] in ("refused", "timeout", "error", "rejected")]
    fine = [c for c in calls if c["status"] == "ok" and c["result"]["data"].get("healthy") is True and not c["approved"]]
    lines = []
    if problems:
        first = problems[0]
        lines.append(f"结论：{first['summary']} [T{first['n']}]，这是“{runbook['title']}”最可能的直接原因。")
    else:
        lines.append("结论：目前的检查没有发现明确的故障点，问题可能不在 Copilot 能检查的范围内。")
    lines.append("依据：")
    lines += [f"- {c['summary']} [T{c['n']}]" for c in problems + fine]
    lines += [f"- {c['tool']} 未能完成（{c['summary']}）[T{c['n']}]，这部分无法确认。" for c in failed]
    lines += [f"- 已在坐席批准后执行：{c['summary']} [T{c['n']}]" for c in calls if c["approved"]]
    advice = [s for s in runbook.get("steps", []) if s.get("kind") == "advise" and s.get("title")]
    if advice:
        lines.append(f"建议：{advice[0]['title']}" + ("，具体步骤见 [1]。" if cite else "。"))
    escalate = next((s for s in runbook.get("steps", []) if s.get("kind") == "escalate"), None)
    lines.append("下一步：" + (escalate["next_step"] if escalate and (failed or not problems)
                             else runbook.get("resolution") or "按结论处理，未解决请升级。"))
    return "\n".join(lines)


def trajectory(runbook: dict[str, Any], symptom: str, tools: dict[str, ToolSpec], opening: Opening,
               observe: Observe, passages: list[dict[str, Any]], rng: random.Random, recipe: AgentRecipe,
               results: Results | None = None) -> Record | None:
    """One synthesized investigation of `symptom` following `runbook`; None when it calls no offered tool."""
    slots = runbook.get("slots") or {}
    values = {name: _slot_value(name, slot, runbook, rng) for name, slot in slots.items()}
    steps = [s for s in runbook.get("steps", []) if s.get("kind") == "tool" and s.get("tool") in tools]
    planned = [(s, a) for s in steps if (a := _args(s.get("args") or {}, values, tools[s["tool"]].parameters)) is not None]
    planned = planned[: recipe.max_calls]
    if not planned:
        return None
    used = {m.group(1) for s, _ in planned for v in (s.get("args") or {}).values() if isinstance(v, str)
            for m in _SLOT.finditer(v)}
    details = "，".join(_phrase(n, slots[n].get("type", "text"), values[n]) for n in sorted(used) if n in slots)
    question = f"{rng.choice(PREFIXES)}{symptom}" + (f"（{details}）" if details else "") if recipe.vary else symptom
    trail = _Trajectory(opening(question, runbook["id"], passages), observe)
    keyword = rng.choice((runbook.get("triggers") or {}).get("keywords") or [runbook["title"]])
    for step, args in planned:
        outcome = rng.choices([o for o, _ in OUTCOMES], [w for _, w in OUTCOMES])[0]
        note = f"先{step['title']}。" if step.get("title") and rng.random() < 0.5 else ""
        call = trail.call(note, step["tool"], args, *(results or _result)(step["tool"], args, outcome, keyword))
        if call["status"] == "ok" and outcome == "problem":
            break
    approve = next((s for s in runbook.get("steps", []) if s.get("kind") == "approve" and s.get("tool") in tools), None)
    found = any(c["status"] == "ok" and c["result"]["data"].get("healthy") is False for c in trail.calls)
    if approve and found and rng.random() < 0.5:
        args = _args(approve.get("args") or {}, {**values, "service": values.get("service") or "nginx"},
                     tools[approve["tool"]].parameters) or {}
        if rng.random() < 0.5:
            status, summary, result = _result(approve["tool"], args, "healthy", keyword)
            trail.call("证据表明需要重启，请坐席批准。", approve["tool"], args, status, summary, result, approved=True)
        else:
            trail.call("证据表明需要重启，请坐席批准。", approve["tool"], args, "rejected", "坐席拒绝执行，未做任何改动",
                       {"status": "rejected", "error": "坐席拒绝执行，未做任何改动", "data": {}})
    answer = _conclusion(runbook, trail.calls, cite=bool(passages))
    trail.messages.append(ChatMessage("assistant", answer))
    return Record(instruction=question, output=answer, generator="agent", source=f"runbook:{runbook['id']}",
                  messages=[m.to_json() for m in trail.messages], tools=[t.to_json() for t in tools.values()])


def symptoms(runbook: dict[str, Any]) -> list[str]:
    """Ways the problem is described: the runbook's examples, and its keywords said as symptoms."""
    triggers = runbook.get("triggers") or {}
    said = [f"{k}，怎么排查" for k in triggers.get("keywords") or [] if len(k) >= 3 and re.search(r"[\u4e00-\u9fff]", k)]
    return list(dict.fromkeys([*(triggers.get("examples") or []), *said])) or [runbook["title"]]


def agent_records(runbooks: list[dict[str, Any]], tools: list[ToolSpec], opening: Opening, observe: Observe,
                  passages: dict[str, list[dict[str, Any]]], recipe: AgentRecipe,
                  results: Results | None = None) -> list[Record]:
    """`recipe.per_runbook` trajectories per runbook (different symptoms, values and outcomes)."""
    rng = random.Random(recipe.seed)
    offered = {t.name: t for t in tools}
    records: list[Record] = []
    for runbook in sorted(runbooks, key=lambda r: r["id"]):
        said = symptoms(runbook)
        for i in range(recipe.per_runbook):
            record = trajectory(runbook, said[i % len(said)], offered, opening, observe,
                                passages.get(runbook["id"], []), rng, recipe, results)
            if record is not None:
                records.append(record)
    return records


def tool_names(record: Record) -> list[str]:
    return sorted({c["function"]["name"] for m in record.messages for c in m.get("tool_calls") or []})


__all__ = ["AgentRecipe", "agent_records", "trajectory", "symptoms", "tool_names"]
