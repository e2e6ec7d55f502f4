"""A sentence picked from a short paragraph's middle brings the sentences the paragraph opens with
(graph/paragraph_head.py)."""

from __future__ import annotations

from graph.doc_units import parse_units
from graph.extractive import extractive_units
from graph.paragraph_head import paragraph_head, with_paragraph_heads
from graph.section_answer import section_units

CAUSE = ("由于 Sidecar 容器安装了本地存储卷，因此节点自动缩放器无法使用注入的 Pod 驱逐节点。这是一个已知的问题。"
         "解决方法是向 Pod 添加注解 `cluster-autoscaler.kubernetes.io/safe-to-evict`。\n\n其他说明见下文。")
TOOL = ("从 v6.5 开始，TiKV 引入 `get-region-read-progress` 子命令，用于获取 Region 的读进度。"
        "你需要指定一个 Region ID 和一个 TiKV，这可以从监控或日志中获得。\n\n- `--log`（可选）：记录最小的锁。")


def _passage(text: str, heading: str = "集群不会自动缩小") -> dict:
    return {"chunk_id": "p-1", "source": "docs/p.md", "title": "常见问题", "heading_path": [heading],
            "kind": "doc", "kb": "demo", "text": text}


def _unit(text: str, opening: str):
    return next(u for u in parse_units(text, "doc") if u.text.startswith(opening))


def test_a_fix_line_brings_the_cause_its_paragraph_opens_with():
    fix = _unit(CAUSE, "解决方法")
    picked, groups = with_paragraph_heads([(1, fix)], [3], [_passage(CAUSE)], section_units, 760, "节点缩不掉是为啥")
    assert [u.text[:4] for _, u in picked] == ["由于 S", "这是一个", "解决方法"] and groups == [3, 3, 3]


def test_no_opening_for_a_first_sentence_a_long_run_or_a_full_budget():
    assert paragraph_head(_unit(CAUSE, "由于"), parse_units(CAUSE, "doc")) == []
    note = "**警告：** 启动时不保证 `memory_limit` 生效。你需要确保实例有足够的可用内存。"
    assert paragraph_head(_unit(note, "你需要"), parse_units(note, "doc")) == []
    long_run = "第一句。第二句。第三句。" + CAUSE
    assert paragraph_head(_unit(long_run, "解决方法"), parse_units(long_run, "doc")) == []
    fix = _unit(CAUSE, "解决方法")
    assert len(with_paragraph_heads([(1, fix)], [0], [_passage(CAUSE)], section_units, 120, "缩不掉")[0]) == 1


def test_an_opening_that_neither_gives_a_cause_nor_names_what_the_line_uses_stays_out():
    plain = "可应用于已完成的部署的所有操作也适用于失败的部署。你可以对其执行扩缩容、回滚到以前的修订版本等操作。"
    line = _unit(plain, "你可以")
    assert len(with_paragraph_heads([(1, line)], [0], [_passage(plain)], section_units, 760, "怎么回滚")[0]) == 1


def test_a_value_line_gets_its_opening_only_when_it_uses_the_name_the_opening_quotes():
    line = _unit(TOOL, "你需要")
    picked, _ = with_paragraph_heads([(1, line)], [0], [_passage(TOOL, "读进度")], section_units, 300, "用什么工具查",
                                     fact=True)
    assert "get-region-read-progress" in picked[0][1].text
    plain = "TiKV 的读进度由 resolver 推进。默认每秒推进一次。"
    second = _unit(plain, "默认")
    assert len(with_paragraph_heads([(1, second)], [0], [_passage(plain)], section_units, 300, "多久推进一次",
                                    fact=True)[0]) == 1


def test_the_answer_to_a_reported_problem_says_why():
    text = " ".join(u["text"] for u in extractive_units("注入了 sidecar 的节点 cluster autoscaler 缩不掉，怎么办",
                                                        [_passage(CAUSE)]))
    assert "safe-to-evict" not in text or "本地存储卷" in text, text
