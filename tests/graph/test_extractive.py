"""Answers by question type from coherent evidence, and the on-topic check — extractive, and on a
model's sentences (scripted backend), through the whole graph."""

from __future__ import annotations

import re

from graph.evidence import build_evidence
from graph.answer_text import units_text
from graph.extractive import extractive_units
from graph.relevance import on_topic, question_terms
from graph.service import Copilot
from knowledge.types import Passage
from models.llm.scripted import ScriptedLLM
from tests.graph.conftest import make_context
from tests.graph.fakes import FakeKnowledge, extractive_answer


def doc(chunk_id: str, source: str, title: str, heads: list[str], text: str, kind: str = "doc") -> Passage:
    return Passage(chunk_id=chunk_id, source=source, title=title, heading_path=heads, text=text, kind=kind, kb="demo",
                   meta={"indexed_text": " > ".join([title, *heads]) + "\n" + text})


SSH_FAQ = Passage(chunk_id="faq-ssh", source="faq/faq.jsonl", title="常见问题",
                  heading_path=["SSH 连接云服务器提示 Connection timed out 怎么办？"], kind="faq", kb="demo",
                  text="问：SSH 连接云服务器提示 Connection timed out 怎么办？\n答：连接超时通常是网络层不通：先确认实例绑定了公网 IP，"
                       "再检查安全组入方向是否放通 TCP 22。可以用 `telnet <公网IP> 22` 测试端口。",
                  meta={"question": "SSH 连接云服务器提示 Connection timed out 怎么办？"})
CLB = doc("clb-1", "docs/clb/502-504.md", "访问负载均衡返回 502/504", ["可能原因", "504 Gateway Timeout"],
          "CLB 把请求发给了后端，但后端在 60 秒内没有返回响应（CLB 空闲连接超时为 60 秒）：\n\n"
          "1. 接口本身处理时间长。\n2. 后端依赖的下游卡住，连接超时。")
DISK = [
    doc("d-0", "docs/disk/expand-disk.md", "扩容云盘", ["扩容前须知"], "- 扩容前务必创建快照。\n- 云盘只能扩大，不能缩小。"),
    doc("d-1", "docs/disk/expand-disk.md", "扩容云盘", ["第一步：在控制台扩容"],
        "1. 进入 **云服务器 > 云盘**。\n2. 点击 **更多 > 扩容**，输入新的容量。"),
    doc("d-2", "docs/disk/expand-disk.md", "扩容云盘", ["第二步：扩展分区"],
        "使用 `growpart` 扩展分区：\n\n```bash\ngrowpart /dev/vdb 1\n```"),
    doc("d-3", "docs/disk/expand-disk.md", "扩容云盘", ["第三步：扩展文件系统"],
        "ext4 执行：\n\n```bash\nresize2fs /dev/vdb1\n```\n\n扩展在线进行，无需卸载。"),
]
SG = [
    doc("sg-0", "docs/vpc/sg.md", "安全组不生效排查", ["现象"], "已放行 8080 端口，外部访问仍然超时。"),
    doc("sg-1", "docs/vpc/sg.md", "安全组不生效排查", ["可能原因"],
        "1. 规则加在了错误的安全组上。\n2. 优先级更高的拒绝规则先命中。\n3. 服务只监听 127.0.0.1。"),
]


def dicts(passages: list[Passage]) -> list[dict]:
    from graph.passages import to_state

    return [to_state(p) for p in passages]


def test_a_sentence_about_another_product_is_not_on_topic():
    terms = question_terms("SSH 连接超时怎么办", "SSH 连接超时怎么办 timeout")
    clb, faq = dicts([CLB, SSH_FAQ])
    assert not on_topic(terms, "CLB 空闲连接超时为 60 秒，后端需要在 60 秒内返回。", clb)
    assert on_topic(terms, "连接超时通常是网络层不通：先确认实例绑定了公网 IP，再检查安全组。", faq)


def test_how_to_on_the_documents_topic_gives_its_steps_in_order_from_one():
    kb = FakeKnowledge(DISK)
    chosen = dicts([DISK[2], DISK[0]])  # retrieval found the middle of the procedure, best LAST
    terms = question_terms("云盘扩容的步骤", "", None, [p["text"] for p in chosen])
    evidence = build_evidence(chosen, kb.document_chunks, "howto", terms, wants_steps=True)
    text = units_text(extractive_units("云盘扩容的步骤", evidence, qtype="howto"))
    steps = re.findall(r"^(\d+)\. \*\*(.+?)\*\*", text, re.M)
    assert [n for n, _ in steps] == ["1", "2", "3"] and steps[0][1] == "在控制台扩容"
    assert text.index("growpart /dev/vdb 1") < text.index("resize2fs /dev/vdb1")
    assert "云服务器 > 云盘" in text and "第二步" not in text


def test_a_symptom_gets_the_causes_list_not_its_own_description():
    kb = FakeKnowledge(SG)
    chosen = dicts([SG[0]])
    question = "安全组里明明放行了 8080 外面访问还是超时"
    terms = question_terms(question, "", None, [p["text"] for p in chosen])
    evidence = build_evidence(chosen, kb.document_chunks, "symptom", terms)
    text = units_text(extractive_units(question, evidence, qtype="symptom"))
    assert "1. 规则加在了错误的安全组上。" in text and "3. 服务只监听 127.0.0.1。" in text
    assert "外部访问仍然超时" not in text  # the 现象 section restates the question


def test_a_value_question_gets_the_sentence_with_the_value_and_its_condition():
    passage = doc("v-1", "docs/sos/sos-overview.md", "对象存储基础", ["预签名 URL"],
                  "预签名 URL 让别人临时访问私有对象。默认有效期 3600 秒，最长 7 天。但链接一旦泄露，任何人都能在有效期内下载。\n\n"
                  "存储桶名称只能用小写字母。")
    units = extractive_units("预签名链接最长能设多久", dicts([passage]), qtype="value")
    text = units_text(units)
    assert "最长 7 天" in text and "一旦泄露" in text and "小写字母" not in text


def _scripted_answer(messages, options) -> str:
    """The answer prompt gets a reply citing the SSH FAQ and, off topic, the CLB page; other prompts nothing."""
    prompt = messages[-1].content
    if "知识块" not in prompt:
        return ""
    faq = re.search(r"\[(\d)\]（FAQ）", prompt)
    clb = re.search(r"\[(\d)\]（文档：访问负载均衡", prompt)
    cites = (faq.group(1) if faq else "1", clb.group(1) if clb else "1")
    return (f"连接超时通常是网络层不通，先确认实例绑定了公网 IP，再检查安全组入方向是否放通 TCP 22[{cites[0]}]。"
            f"CLB 空闲连接超时为 60 秒，后端需要在 60 秒内返回响应[{cites[1]}]。")


def test_model_sentences_get_the_same_check_through_the_graph():
    kb = FakeKnowledge([SSH_FAQ, CLB])
    llm = ScriptedLLM(_scripted_answer)
    result = Copilot(make_context(kb, llm)).ask("SSH 连接超时怎么办？", "s-model").to_json()
    assert result["route"] == "knowledge" and result["model"] == "scripted"
    assert "安全组" in result["answer"] and "60 秒" not in result["answer"]  # the CLB sentence was dropped
    assert [c["source"] for c in result["citations"]] == ["faq/faq.jsonl"]
    assert result["grounded"] and result["trace"]["sections"][0]["dropped"] == 1
    prompt = next(m for m, _ in llm.calls if "知识块" in m[-1].content)[-1].content
    assert "（FAQ）" in prompt  # the same evidence the extractive answer reads


def test_a_how_to_matching_one_step_of_a_console_procedure_gets_the_procedure_whole_with_its_cli(demo_knowledge):
    copilot = Copilot(make_context(demo_knowledge))
    body = copilot.ask("控制台怎么刷新 CDN 的 URL", "steps").answer.split("**参考来源**")[0]
    for step in ("刷新预热", "URL 刷新", "操作记录", "purge-urls"):  # steps 1-3, then the CLI beside them
        assert step in body, body
    assert "x-cache" not in body, body  # not another section's cache-hit check


def test_a_numbered_causes_list_is_not_taken_for_a_procedure(demo_knowledge):
    body = Copilot(make_context(demo_knowledge)).ask("空 Referer 被拒绝怎么办？", "causes").answer.split("**参考来源**")[0]
    assert "防盗链" in body and "跨账号访问" not in body, body


def test_a_cause_the_answer_names_is_followed_by_the_pages_fix_for_it(demo_knowledge):
    body = Copilot(make_context(demo_knowledge)).ask("有个叫 kworker 的进程一直占满 还连着陌生的外网ip", "fix").answer
    body = body.split("**参考来源**")[0]
    assert "挖矿程序" in body and "解绑 EIP" in body and "干净镜像" in body, body
    assert "错开执行时间" not in body, body  # not the fix for a cause it does not name


def test_a_faq_entry_on_a_neighbouring_error_message_does_not_lead(demo_knowledge):
    body = Copilot(make_context(demo_knowledge)).ask("SSH 连接提示 Connection refused 怎么办", "nb").answer
    body = body.split("**参考来源**")[0]
    assert "Connection refused" in body and "连接超时通常是网络层不通" not in body, body
    same = Copilot(make_context(demo_knowledge)).ask("ssh 一直 Connection timed out 怎么办", "nb2").answer
    assert "连接超时通常是网络层不通" in same.split("**参考来源**")[0], same


def test_a_sentence_sending_the_reader_to_a_range_of_steps_brings_the_procedure(demo_knowledge):
    body = Copilot(make_context(demo_knowledge)).ask("新买的数据盘怎么挂上去", "range").answer.split("**参考来源**")[0]
    assert "mkfs" in body and "mount /dev/vdb1 /data" in body, body  # 第三到第五步: partition, file system, mount


def symptom_answer(page: list, question: str) -> str:
    """The answer to a reported problem when selection chose the page's first chunk (evidence adds the rest)."""
    return extractive_answer(page, question, "symptom")


def test_a_problem_reported_on_a_how_to_page_gets_its_steps_whole_not_the_one_step_it_matched():
    """Evidence gives a how-to page's steps for a problem reported; one step alone ("选择 重建索引")
    cannot be followed, so the numbered list comes whole, from its first step."""
    page = [
        doc("s-0", "docs/search/reindex.md", "搜索索引重建", ["概述"], "索引与数据不一致时，搜索结果会停留在旧内容。"),
        doc("s-1", "docs/search/reindex.md", "搜索索引重建", ["操作步骤"],
            "1. 进入控制台 **搜索服务 → 索引管理**；\n2. 选择\"重建索引\"，勾选要更新的文档类型；\n3. 提交后在任务列表查看进度。"),
    ]
    text = symptom_answer(page, "文档改了好几遍，搜出来的还是旧内容，重建索引也找不到")
    assert "1. 进入控制台 **搜索服务 → 索引管理**" in text and "3. 提交后在任务列表查看进度。" in text, text


def test_a_problem_explained_is_followed_by_the_pages_first_solution_step():
    """Why it happens is not what to do: the page's solution section ("解决方法 > 第一步：…") follows the
    explanation, within the answer's room; its later steps do not."""
    page = [
        doc("c-0", "docs/cache/evicted.md", "缓存被逐出", ["现象"], "- 读缓存频繁未命中，后端压力上升。"),
        doc("c-1", "docs/cache/evicted.md", "缓存被逐出", ["可能原因"],
            "1. 缓存内存用满，按 LRU 逐出旧键。\n2. 键的过期时间设置过短。"),
        doc("c-2", "docs/cache/evicted.md", "缓存被逐出", ["解决方法", "第一步：扩大缓存内存"],
            "最直接的办法是扩大内存规格：\n\n```bash\ncachectl resize --memory 8G\n```"),
        doc("c-3", "docs/cache/evicted.md", "缓存被逐出", ["解决方法", "第二步：调整过期时间"], "把热点键的过期时间调长到一小时。"),
    ]
    text = symptom_answer(page, "缓存老是未命中，后端压力一直上升")
    assert "缓存内存用满" in text and "cachectl resize --memory 8G" in text, text
    assert text.index("缓存内存用满") < text.index("cachectl resize") and "一小时" not in text
