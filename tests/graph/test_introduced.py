"""Answers that stop at the quoted line's colon (graph/introduced.py) or use a fraction of their room
on the right section (graph/short_fill.py), on real pages of the shared corpora (read at test time)."""

from __future__ import annotations

import pytest

from graph.doc_units import Unit
from graph.extractive import extractive_units
from graph.introduced import carry_introduced, introduced
from graph.relevance import question_terms
from graph.section_answer import section_units
from graph.short_fill import fill_short
from tests.graph.conftest import corpora_pages_kb

OOM = "tidb-docs-cn/troubleshoot-tidb-oom.md"
ISTIOCTL = "istio-zh/content/zh/docs/ops/diagnostic-tools/istioctl/index.md"
CLUSTER = "kubernetes-zh-cn/content/zh-cn/docs/tasks/debug/debug-cluster/_index.md"


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    yield from corpora_pages_kb(tmp_path_factory, [OOM, ISTIOCTL, CLUSTER], "extend")


def _section(kb, page: str, heading: str) -> dict:
    """The page's section under `heading` as one evidence passage (its chunks' text merged)."""
    from graph.doc_units import merge_texts

    source = next(d["source"] for d in kb.show_kb("extend")["documents"] if d["source"].endswith(page.rsplit("/", 1)[-1]))
    chunks = [c for c in kb.document_chunks("extend", source) if heading in (c.get("heading_path") or [""])[-1:]]
    assert chunks, heading
    return {**chunks[0], "source": source, "kb": "extend", "text": merge_texts([c["text"] for c in chunks]),
            "meta": {"indexed_text": chunks[0].get("indexed_text") or ""}}


def test_a_value_answer_quoting_a_lead_in_carries_its_whole_list(pages):
    """"有哪些办法": the OOM page's prepared-statement section says "可以考虑采取以下措施：" and lists three;
    the value budget (200) kept the first only, the setting asked about is in the third."""
    passage = _section(pages, OOM, "预处理语句 (Prepared Statement) 使用过量")
    question = "业务 prepare 了一大堆语句从来不 close，tidb 内存一直涨，有没有参数能限制一下"
    units = extractive_units(question, [passage], qtype="value")
    text = "\n".join(u["text"] for u in units)
    assert "以下措施" in text and "max_prepared_stmt_count" in text, text
    assert len(text) < 760


def test_a_lead_in_introduces_one_list_not_what_follows_it():
    units = [Unit("leadin", "先确认文件系统类型："), Unit("code", "```bash\ndf -Th\n```"),
             Unit("row", "ext4：命令 resize2fs"), Unit("sentence", "然后扩展。")]
    assert introduced(units, 0) == [1]
    listed = [Unit("leadin", "措施如下："), Unit("item", "一"), Unit("item", "二", depth=1), Unit("item", "三"),
              Unit("sentence", "完。")]
    assert introduced(listed, 0) == [1, 2, 3]


def test_an_item_cut_to_its_first_line_gets_its_command_back(pages):
    source = next(d["source"] for d in pages.show_kb("extend")["documents"] if d["source"] == "index.md")
    chunk = next(c for c in pages.document_chunks("extend", source) if "downloadIstioctl" in c["text"])
    passage = {**chunk, "source": source, "kb": "extend"}
    item = next(u for u in section_units(passage) if u.kind == "item" and "PATH" in u.text)
    cut = Unit("item", item.text.split("\n", 1)[0], number=item.number)
    out, groups = carry_introduced([(1, cut)], [1], [passage], 120)
    assert "export PATH" in out[0][1].text and groups == [1]


def test_a_short_answer_from_a_cut_passage_is_completed_from_its_whole_section(pages):
    """The evidence kept one sentence of the "调试关闭/无法访问的节点" section (the one naming NotReady);
    the command to look at the node is in the sentence before it."""
    source = next(d["source"] for d in pages.show_kb("extend")["documents"] if d["source"].endswith("_index.md"))
    chunks = pages.document_chunks("extend", source)
    chunk = next(c for c in chunks if "NotReady 状态五分钟后" in c["text"])
    line = "请注意显示节点为 NotReady 的事件，并注意 Pod 不再运行（它们在 NotReady 状态五分钟后被驱逐）。"
    passage = {**chunk, "source": source, "kb": "extend", "text": line, "meta": {}}
    question = "有个节点变成 NotReady 了，上面的 pod 也跑没了，想 describe 一下看它的详细信息"
    terms = question_terms(question, "", None, [line])
    picked = [(1, Unit("sentence", line))]
    out, groups, whole = fill_short(picked, [1], [passage], terms, 760, lambda p: chunks)
    text = " ".join(u.text for _, u in out)
    assert "kubectl describe node" in text and line in text
    assert whole is not None and whole[0] == 1 and "kubectl describe node" in whole[1]["text"]
    assert len(groups) == len(out)
    same, _, none = fill_short(picked, [1], [passage], terms, 760, None)
    assert none is None and same == picked  # without the page, nothing beyond the passage's one line


def test_a_bold_title_is_a_heading_not_a_lead_in():
    """The demo on-call handbook titles its sections as bold lines ("**4.1 连接数打满**："): quoted for
    an on-call level question, carrying "its list" added the whole off-topic runbook section."""
    from graph.introduced import introduces

    assert not introduces(Unit(kind="leadin", text="**4.1 连接数打满**："))
    assert not introduces(Unit(kind="item", text="1. **先登录进去**："))
    assert introduces(Unit(kind="leadin", text="要解决该问题，可以考虑采取以下措施："))
    assert introduces(Unit(kind="sentence", text="在 ipvs 模式中，执行以下命令："))


def test_a_nested_lead_in_carries_its_list_at_its_own_depth(keyword_demo):
    """"慢查询怎么看": the outline shows step 1's lead-in "常见的信号有：" nested under the step; the
    signals it carries are nested with it (they came out at the top level, breaking the step list)."""
    from tests.graph.conftest import asker

    answer = asker(keyword_demo, "nested")("慢查询怎么看")["answer"]
    lines = answer.split("**参考来源**")[0].splitlines()
    at = next(i for i, line in enumerate(lines) if "常见的信号有" in line)
    signals = [line for line in lines[at + 1:at + 4]]
    assert len(signals) == 3 and all(line.startswith("   - ") for line in signals), answer
