"""End to end with a real (tiny) model: a Qwen2-shaped model and tokenizer built here, a LoRA
adapter fine-tuned on a handful of `data agent` trajectories until it reproduces their format,
then one turn through the router and the graph: the model's tool call is parsed, executed
through the tool registry (policy, audit), and the answer is written from the result.

The trajectories are generated with the real tool results (`results=` runs the registry), so the
tiny model learns exactly what the graph will show it; what is shown is the format and the
plumbing, not a model's judgment.
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from graph.config import GraphSettings, InvestigateSettings
from graph.context import GraphContext
from graph.investigation.checks import observation
from graph.investigation.prompting import opening, registry_specs, tool_specs
from graph.service import Copilot
from models.finetune.agent import AgentRecipe, agent_records
from models.finetune.config import FinetuneSettings
from models.finetune.job import TrainJob
from models.finetune.records import write_dataset
from models.llm.tool_calls import tools_block
from tests.fixtures.tiny_lm import QWEN25_TOOL_TEMPLATE, build_tiny_model
from tests.graph.fakes import FakeKnowledge
from tools.config import ToolSettings
from tools.registry import build_registry

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("single_thread")]
QUESTION = "帮我检查一下 127.0.0.1 的 1 端口为什么连不上"
RUNBOOK = {  # one tool step; the values are fixed so every trajectory makes the same call
    "id": "port-check", "title": "端口连不上",
    "triggers": {"examples": [QUESTION, "服务端口连不上了", "端口 1 连接失败，帮我看看", "客户说端口不通"]},
    "slots": {"host": {"type": "host", "default": "127.0.0.1", "ask": False},
              "port": {"type": "port", "default": "1", "ask": False}},
    "steps": [{"kind": "tool", "id": "check", "tool": "tcp_port_check", "title": "检查端口",
               "args": {"host": "{{slots.host}}", "port": "{{slots.port}}"}}],
}


def test_a_fine_tuned_tiny_model_investigates_through_the_graph(tmp_path, monkeypatch):
    import tools.network.tcp as tcp_tool
    from models.config import ModelSettings
    from models.finetune.trainer import train
    from models.llm.adapters import scan_adapters
    from models.llm.transformers_backend import TransformersLLM
    from models.router import AdapterRouter

    # The real connection is made, but its measured time is fixed: under load it changed the result's
    # digits between training and the turn, and the tiny model (trained on exact results) then
    # wrote "结论：1。" instead of its trained conclusion.
    real_connect = tcp_tool.connect

    def connect_fixed_time(*args):
        sock, _, error = real_connect(*args)
        return sock, 0.1, error

    monkeypatch.setattr(tcp_tool, "connect", connect_fixed_time)
    registry = build_registry(ToolSettings(allow_targets=["127.0.0.1"]), tmp_path / "tools", knowledge=FakeKnowledge())
    settings = GraphSettings(investigate=InvestigateSettings(max_passages=0, tools=["tcp_port_check"], reply_tokens=160))
    context = GraphContext(llm=None, knowledge=FakeKnowledge(), tools=registry, settings=settings)  # type: ignore[arg-type]
    specs = tool_specs(registry_specs(context))

    def real(tool, args, outcome, keyword):
        result = registry.invoke(tool, args, "data", "trainer")
        return result.status, result.summary if result.status == "ok" else result.error, result.to_json()

    records = agent_records([RUNBOOK], specs, lambda q, rb, passages: opening(q, "无", passages),
                            lambda call: observation(call, settings.investigate.result_chars), {},
                            AgentRecipe(per_runbook=4, seed=0, vary=False), real)
    data = tmp_path / "agent.jsonl"
    write_dataset(data, records, sources=["test"], seed=0)
    texts = [m["content"] for r in records for m in r.messages] + [tools_block(specs)] + [
        json.dumps(m.get("tool_calls"), ensure_ascii=False) for r in records for m in r.messages]
    base = build_tiny_model(tmp_path / "tiny-agent", hidden_size=48, chat_template=QWEN25_TOOL_TEMPLATE,
                            vocab_size=2000, texts=texts)
    config = FinetuneSettings.model_validate({
        "max_steps": 36, "batch_size": 4, "grad_accum": 1, "max_seq_len": 1024, "eval_every": 36,
        "learning_rate": 2e-2, "eval_ratio": 0.0, "early_stop_patience": 0, "packing": False,
        "lora": {"rank": 16, "alpha": 32, "dropout": 0.0}})
    job = TrainJob(base=base, data=data, name="agent", output_dir=tmp_path / "adapters" / "agent",
                   work_dir=tmp_path / "work", domain="排查")
    result = train(job, config)
    assert result.meta["tool_calling"] is True and result.meta["agent_data"]["tools"] == ["tcp_port_check"]

    llm = TransformersLLM.load(base, scan_adapters(tmp_path / "adapters"))
    router = AdapterRouter.for_backend(ModelSettings(), llm)
    copilot = Copilot(replace(context, llm=llm, router=router))
    turn = copilot.ask(QUESTION, "e2e", user="agent")

    assert turn.route == "investigate" and turn.sections[0]["adapter"] == "agent"  # the tool-trained adapter
    assert [(c["tool"], c["args"], c["status"]) for c in turn.tool_calls] == [
        ("tcp_port_check", {"host": "127.0.0.1", "port": 1}, "ok")]
    assert turn.investigation["status"] == "done" and turn.investigation["steps"] == 2
    calls = registry.audit.records(session="e2e")
    assert [(r["tool"], r["user"], r["status"]) for r in calls] == [("tcp_port_check", "agent", "ok")]
    conclusion = turn.answer.split("**检查记录**")[0]
    assert "连接被拒绝" in conclusion and "[T1]" in conclusion  # the model's own words, from the result
