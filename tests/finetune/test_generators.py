"""Self-QA, Self-KG, Self-Instruct, refusal and pretrain generators on the demo KB."""

from __future__ import annotations

import json

import pytest

from knowledge.demo_kb import DEMO_DIR
from models.errors import ModelError
from models.finetune.filters import grounding_score
from models.finetune.pretrain import pretrain_records
from models.finetune.refusal import products_of, refusal_records
from models.finetune.seeds import load_refusal_seeds, load_seed_tasks
from models.finetune.selfinstruct import parse_task, self_instruct
from knowledge.config import KnowledgeSettings
from knowledge.preview import preview_files
from models.finetune.chunks import SectionChunk, chunk_rows
from models.finetune.selfkg import require_table, selfkg
from models.finetune.selfqa import deterministic_selfqa, generative_selfqa
from models.llm.extractive import ExtractiveLLM
from models.llm.scripted import ScriptedLLM


def test_deterministic_selfqa_uses_faq_pairs_verbatim(demo_chunks):
    records = deterministic_selfqa(demo_chunks)
    faq = [json.loads(line) for line in (DEMO_DIR / "faq" / "faq.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    by_question = {r.instruction: r for r in records if r.generator == "selfqa-faq"}
    usable = [p for p in faq if p["question"].strip() and p["answer"].strip()]
    found = [p for p in usable if p["question"].strip() in by_question]
    assert len(found) >= 0.9 * len(usable)
    sample = found[0]
    assert by_question[sample["question"].strip()].output == sample["answer"].strip()


def test_deterministic_selfqa_troubleshooting_sections(demo_chunks):
    records = [r for r in deterministic_selfqa(demo_chunks) if r.source.startswith("docs/scs/ssh-login-failed.md")]
    questions = {r.instruction: r for r in records}
    assert "SSH 无法登录的可能原因有哪些？" in {q.replace("云服务器 ", "") for q in questions}
    steps = next(r for q, r in questions.items() if q.endswith("应该怎么排查？"))
    # a long step-by-step section is outlined: every step's heading, within the length budget
    for step in ("1. 确认实例状态与地址", "3. 检查网络连通性", "6. 处理主机指纹变化"):
        assert step in steps.output
    assert len(steps.output) <= 1200 and steps.context
    assert not any("相关文档" in r.source for r in records)
    assert all(grounding_score(r.output, r.context) > 0.9 for r in records)


def test_generative_selfqa_parses_grounded_pairs_and_skips_garbage(demo_chunks):
    doc = [c for c in demo_chunks if c.source.endswith("ssh-login-failed.md")]
    sections = list(dict.fromkeys(c.heading_path[0] for c in doc))[:3]
    chunks = [c for c in doc if c.heading_path[0] in sections]  # three sections, one model call each
    replies = iter([
        "问题：SSH 默认端口是多少？\n回答：默认是 TCP 22 端口。\n\n问题：连接超时先查什么？\n回答：先查安全组是否放行 22。",
        "我不知道。",
        "Q: Why refused?\nA: sshd is not listening on port 22.",
    ])
    llm = ScriptedLLM(lambda messages, options: next(replies))
    records = generative_selfqa(chunks, llm, per_chunk=2)
    assert [r.instruction for r in records] == ["SSH 默认端口是多少？", "连接超时先查什么？", "Why refused?"]
    assert all(r.generator == "selfqa-llm" and r.context for r in records)
    first_prompt = llm.calls[0][0][-1].content
    assert chunks[0].text[:40] in first_prompt and "2 个" in first_prompt


def test_selfkg_from_error_code_table(demo_chunks):
    path = DEMO_DIR / "tables" / "error-codes.csv"
    table = require_table(preview_files([path], KnowledgeSettings()).chunks, str(path))
    records = selfkg(table, seed=0)
    codes = {row["错误码"] for c in table for row in chunk_rows(c)}
    assert len(codes) > 40
    assert {c for c in codes if any(f"错误码 {c} 是哪个产品" in r.instruction for r in records)} == codes
    multi_hop = next(r for r in records if r.instruction.startswith("我看到报错“ERROR 1040"))
    assert "1040" in multi_hop.output and "可能原因" in multi_hop.output and "解决方法" in multi_hop.output
    assert any("有什么区别" in r.instruction for r in records)
    assert all(grounding_score(r.output, r.context) >= 0.6 for r in records)
    # the table read with the whole folder gives the same rows
    assert len(selfkg(demo_chunks, seed=0)) == len(records)


def test_selfkg_table_without_code_column_is_a_user_error(tmp_path):
    bad = tmp_path / "t.csv"
    bad.write_text("名称,说明\nA,B\n", encoding="utf-8")
    with pytest.raises(ModelError, match="错误码"):
        require_table(preview_files([bad], KnowledgeSettings()).chunks, str(bad))
    faq = tmp_path / "faq.csv"
    faq.write_text("问题,答案\n默认端口？,22\n", encoding="utf-8")
    with pytest.raises(ModelError, match="没有可读的表格行"):
        require_table(preview_files([faq], KnowledgeSettings()).chunks, str(faq))


def test_self_instruct_output_first_and_input_first():
    seeds = load_seed_tasks()
    replies = iter([
        "指令：判断日志级别\n类别：错误\n输入：ERROR disk full\n类别：信息\n输入：INFO service started",
        "指令：解释这个 HTTP 状态码的含义\n输入：502\n输出：网关从上游收到了无效响应。",
        "指令：判断下面的问题是否属于云产品技术支持的范围，只回答“是”或“否”。\n类别：否\n输入：今天吃什么",
        "废话",
    ] * 10)
    llm = ScriptedLLM(lambda messages, options: next(replies))
    records = self_instruct(seeds, llm, n=3, seed=0, max_rounds=8)
    instructions = [r.instruction for r in records]
    assert "判断日志级别" in instructions and "解释这个 HTTP 状态码的含义" in instructions
    assert not any(i.startswith("判断下面的问题是否属于") for i in instructions)  # near-duplicate of a seed
    labelled = {r.input: r.output for r in records if r.instruction == "判断日志级别"}
    assert labelled == {"ERROR disk full": "错误", "INFO service started": "信息"}
    prompts = [call[0][-1].content for call in llm.calls]
    assert any("类别：" in p for p in prompts) and any("输出：" in p for p in prompts)


def test_self_instruct_needs_a_generative_backend():
    with pytest.raises(ModelError, match="生成模型"):
        self_instruct(load_seed_tasks(), ExtractiveLLM(), n=1)


def test_parse_task_without_output_is_unusable():
    assert parse_task("指令：写点什么\n输入：无", "generation") == ("", [])


def test_refusal_and_domain_check_records(demo_chunks):
    topics = products_of(demo_chunks)
    assert "云服务器" in topics
    questions = [c.meta["question"] for c in demo_chunks if c.kind == "faq"]
    records = refusal_records(load_refusal_seeds(), topics, questions, seed=0)
    refusals = [r for r in records if r.generator == "refusal"]
    assert refusals and all("抱歉" in r.output or "Sorry" in r.output for r in refusals)
    assert all("云服务器" in r.output for r in refusals if r.lang == "zh")
    checks = [r for r in records if r.generator == "domain-check"]
    yes, no = [r for r in checks if r.output == "是"], [r for r in checks if r.output == "否"]
    assert len(yes) == len(no) > 10
    assert {r.input for r in yes} <= set(questions)


def test_pretrain_records_carry_headings(demo_chunks):
    records = pretrain_records(demo_chunks)
    assert all(r.kind == "pretrain" and r.text for r in records)
    assert any(r.text.startswith("# SSH 无法登录排查\n## 排查步骤") for r in records)


@pytest.mark.parametrize(
    ("heading", "question"),
    [
        ("可能原因", "扩容云盘的可能原因有哪些？"),
        ("常见错误", "扩容云盘有哪些常见错误？"),
        ("扩容后容量没有变化", "扩容云盘：扩容后容量没有变化，怎么办？"),
        ("Pod 不能创建", "扩容云盘：Pod 不能创建，怎么办？"),
        ("2. 配置分区", "扩容云盘：如何配置分区？"),
        ("扩容前须知", "扩容云盘：请介绍一下“扩容前须知”。"),
        ("分区如何生效", "扩容云盘：分区如何生效？"),
    ],
)
def test_section_question_wording(heading, question):
    chunk = SectionChunk("docs/disk/resize.md", "扩容云盘", ["扩容云盘", heading], "正文内容。" * 10, meta={"product": "云盘"})
    (record,) = deterministic_selfqa([chunk])
    assert record.instruction == question
