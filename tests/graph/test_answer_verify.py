"""answer and verify: extractive sentences and steps, the model's cited answer, support checks."""

from __future__ import annotations

from graph.answer_text import units_text
from graph.extractive import extractive_units
from graph.nodes.answer import knowledge_blocks
from graph.nodes.verify import check_units, renumbered
from graph.passages import to_state
from models.llm.scripted import ScriptedLLM
from tests.graph.conftest import make_context
from tests.graph.fakes import SAMPLE

SSH, CPU, MYSQL, FAQ, SG = (to_state(p) for p in SAMPLE)


def test_extractive_answer_takes_the_steps_for_a_how_question():
    units = extractive_units("SSH 连不上怎么排查", [CPU, SSH], max_units=4)
    text = units_text(units)
    assert "1. 确认实例处于运行中" in text and "3. 通过 VNC 登录检查 sshd 服务状态" in text
    assert all(u["cites"] == [2] for u in units if "VNC" in u["text"])


def test_extractive_answer_starts_with_the_most_relevant_passage():
    units = extractive_units("云服务器 SSH 默认端口是多少", [SSH, FAQ], max_units=2)
    assert units[0]["cites"] == [2] and "22 端口" in units[0]["text"]


def test_faq_question_line_is_not_an_answer_sentence():
    faq = dict(FAQ, text="问：云服务器 SSH 默认端口是多少？\n答：云服务器的 SSH 服务默认监听 TCP 22 端口。")
    units = extractive_units("SSH 默认端口", [faq])
    assert units and not any(u["text"].startswith("问") for u in units)
    assert units[0]["text"].startswith("云服务器的 SSH")


def test_prompt_blocks_keep_faq_and_documents_apart():
    blocks = knowledge_blocks([SSH, FAQ])
    assert "[1]（文档：SSH 登录失败排查）" in blocks
    assert "[2]（FAQ）\n问：云服务器 SSH 默认端口是多少？\n答：" in blocks


def test_unsupported_sentence_is_dropped_and_citations_renumbered(fake_kb):
    ctx = make_context(fake_kb)
    units = [
        {"text": "出现 Too many connections 说明连接数达到 max_connections 上限。", "cites": [2]},
        {"text": "建议立即购买更高配置的独享集群并迁移全部业务。", "cites": [2]},
    ]
    checked = check_units(ctx, units, [SSH, MYSQL], use_dense=False)
    assert [u["supported"] for u in checked] == [True, False]
    kept, cited = renumbered([u for u in checked if u["supported"]], [SSH, MYSQL])
    assert kept[0]["cites"] == [1] and cited[0]["chunk_id"] == "mysql-1" and len(cited) == 1


def test_uncited_supported_sentence_gets_its_source(fake_kb):
    ctx = make_context(fake_kb)
    checked = check_units(ctx, [{"text": "安全组规则修改后立即生效。", "cites": []}], [SSH, SG], use_dense=False)
    assert checked[0]["supported"] and checked[0]["cites"] == [2]


def test_a_lead_in_made_of_the_step_heading_is_supported_by_it(fake_kb):
    """"用 -v 查看详细过程：" before the command is the heading the chunk sits under, not text of its own."""
    ctx = make_context(fake_kb)
    step = {**SSH, "heading_path": ["排查步骤", "2. 用 -v 查看详细过程"], "text": "```bash\nssh -v root@203.0.113.10\n```"}
    checked = check_units(ctx, [{"text": "用 -v 查看详细过程：", "cites": [1]}], [step], use_dense=False)
    assert checked[0]["supported"], checked
    other = check_units(ctx, [{"text": "先重装系统再登录：", "cites": [1]}], [step], use_dense=False)
    assert not other[0]["supported"], other


def test_model_judge_rescues_a_paraphrase(fake_kb):
    ctx = make_context(fake_kb, ScriptedLLM(["SUPPORTED"]), verify_model_judge=True)
    checked = check_units(ctx, [{"text": "改完立刻起作用。", "cites": [1]}], [SG], use_dense=False)
    assert checked[0]["supported"] and "安全组" in ctx.llm.calls[0][0][-1].content


def test_embedding_similarity_supports_a_paraphrase_in_model_answers(fake_kb):
    from models.config import EmbedderSettings
    from models.embeddings.registry import create_embedder

    ctx = make_context(fake_kb)
    ctx.embedder = create_embedder(EmbedderSettings(backend="hash"))
    same = {"text": SG["text"], "cites": [1]}  # identical text: cosine 1 whatever the embedder
    other = {"text": "今天的晚饭很好吃。", "cites": [1]}
    with_dense = check_units(ctx, [same, other], [SG], use_dense=True)
    assert with_dense[0]["support"] == 1.0 and not with_dense[1]["supported"]
