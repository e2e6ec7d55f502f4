"""A problem reported on a how-to page is answered from the page's troubleshooting section, not its setup
steps (graph/checks_section.py, used by graph/evidence.build_evidence).
Run: pytest tests/graph/test_checks_section.py"""

from __future__ import annotations

from graph.checks_section import checks_section, pasted_pairs, titled_section
from graph.doc_sections import procedure
from graph.evidence import build_evidence
from graph.passages import to_state
from graph.relevance import question_terms
from tests.graph.fakes import FakeKnowledge, page_chunk

TITLE = "镜像加速器：让内网节点拉取公共镜像"


def _chunk(chunk_id: str, heads: list[str], text: str):
    return page_chunk("docs/registry/mirror.md", TITLE, chunk_id, heads, text)


PAGE = [
    _chunk("m-0", [], "镜像加速器在内网缓存公共镜像，节点不必访问外网。"),
    _chunk("m-1", ["配置步骤", "1. 开通加速器"], "1. 进入 **镜像仓库 > 加速器**，点击 **开通**。\n2. 选择地域。"),
    _chunk("m-2", ["配置步骤", "2. 配置节点"],
           "在节点的 `/etc/docker/daemon.json` 中写入加速器地址：\n\n```json\n{\"registry-mirrors\": [\"https://m.example.com\"]}\n```"),
    _chunk("m-3", ["配置步骤", "3. 同步镜像"], "在控制台 **加速器 > 同步规则** 中添加要同步的仓库与标签。"),
    _chunk("m-4", ["排查：节点仍然拉不到镜像"],
           "现象通常是 `docker pull` 卡住很久后报 `i/o timeout`，或者 `manifest unknown`。\n\n"
           "1. **检查 daemon.json 是否生效**：执行 `docker info | grep -A1 Mirrors`，看不到地址就重启 dockerd。\n"
           "2. **检查同步规则**：标签不在同步规则里时，返回 `manifest unknown`。\n"
           "3. **检查节点到加速器的 443 端口**：安全组出方向放行 443。"),
    _chunk("m-5", ["相关文档"], "- [镜像仓库概述](overview.md)"),
]


def _evidence(question: str, found: int) -> list[dict]:
    chosen = [to_state(PAGE[found])]
    terms = question_terms(question, "", None, [p["text"] for p in chosen])
    return build_evidence(chosen, FakeKnowledge(PAGE).document_chunks, "symptom", terms)


def _answer(question: str, found: int) -> str:
    from graph.answer_text import units_text
    from graph.extractive import extractive_units

    return units_text(extractive_units(question, _evidence(question, found), qtype="symptom"))


QUESTION = "节点 docker pull 一直卡住，最后 i/o timeout，加速器已经开通了"


def test_a_fault_found_in_the_troubleshooting_section_gets_its_checks_not_the_setup_steps():
    text = _answer(QUESTION, 4)
    assert "检查 daemon.json 是否生效" in text and "docker info" in text
    assert "点击 **开通**" not in text  # the setup step the user says is done


def test_a_fault_found_in_a_setup_step_brings_the_troubleshooting_section():
    evidence = _evidence(QUESTION, 2)
    assert any((p.get("meta") or {}).get("added") == "checks" for p in evidence)
    assert not any((p.get("meta") or {}).get("procedure") for p in evidence)


def test_a_troubleshooting_section_naming_less_than_the_steps_is_not_taken():
    doc = [to_state(p) for p in PAGE]
    terms = question_terms("加速器 同步规则 怎么加 仓库 标签", "", None, [])
    steps = procedure(doc[1], doc)
    assert steps is not None
    assert checks_section(doc[1], doc, terms.without(TITLE), steps) is None


def test_a_section_on_repairing_counts_as_troubleshooting():
    page = [
        _chunk("r-0", [], "救援终端不经过机器自身的网络，网卡配置被改坏时依然可用。"),
        _chunk("r-1", ["登录步骤"], "1. 进入控制台，点击 **远程连接**。\n2. 输入终端密码。"),
        _chunk("r-2", ["常见操作：在救援终端中修复网络"], "如果网卡没有获取到地址，重新启用 DHCP：\n\n```bash\ndhclient -v eth0\n```"),
    ]
    doc = [to_state(p) for p in page]
    terms = question_terms("ping 不通 网卡配置好像被我改坏了 没有地址", "", None, [])
    found = checks_section(doc[0], doc, terms.without(TITLE), procedure(doc[0], doc))
    assert found is not None and found["heading_path"] == ["常见操作：在救援终端中修复网络"]


BOOT = [
    page_chunk("docs/scs/boot.md", "实例无法启动", "b-0", ["可能原因"], "1. 内核升级失败。\n2. 文件系统损坏。"),
    page_chunk("docs/scs/boot.md", "实例无法启动", "b-1", ["排查步骤", "1. 判断是否需要强制重启"],
               "状态卡住超过 10 分钟时，在控制台点击 **强制重启**。"),
    page_chunk("docs/scs/boot.md", "实例无法启动", "b-2", ["排查步骤", "2. 处理 kernel panic"], "用救援盘挂载系统盘检查内核。"),
    page_chunk("docs/scs/boot.md", "实例无法启动", "b-3", ["排查步骤", "3. 处理 `read-only file system`"],
               "在救援模式下执行：\n\n```bash\nfsck -y /dev/vda1\n```"),
]


def test_the_step_titled_with_the_pasted_message_joins_the_evidence():
    question = "强制重启完 控制台里看到 Read-only file system"
    chosen = [to_state(BOOT[1])]
    terms = question_terms(question, "", None, [p["text"] for p in chosen])
    evidence = build_evidence(chosen, FakeKnowledge(BOOT).document_chunks, "symptom", terms, question=question)
    assert any("read-only file system" in " ".join(p.get("heading_path") or []) for p in evidence)


def test_latin_words_written_apart_quote_no_message():
    assert pasted_pairs("coredns 俩 pod 一直 pending") == set()
    assert "emergency mode" in pasted_pairs("vnc 里看到 You are in emergency mode")
    doc = [to_state(p) for p in BOOT]
    terms = question_terms("kernel 俩 panic 了", "", None, [])
    assert titled_section(doc[1], doc, terms, "kernel 俩 panic 了", set()) is None
