"""howto_steps: a how-to question that selected its page's intro gets the page's section showing the steps."""

from __future__ import annotations

from dataclasses import replace

from langgraph.runtime import Runtime

from graph.howto_steps import needs_steps, shows_steps, steps_section
from graph.nodes.select import select
from tests.graph.conftest import make_context
from tests.graph.fakes import FakeKnowledge
from knowledge.types import Passage

SOURCE = "docs/backup/snapshot-policy.md"
TITLE = "设置自动快照策略"


def chunk(chunk_id: str, heads: list[str], text: str) -> Passage:
    return Passage(chunk_id=chunk_id, source=SOURCE, title=TITLE, heading_path=heads, text=text, kind="doc", kb="demo")


PAGE = [
    chunk("p-0", [], "自动快照策略按设定的时间点为云盘定期创建快照，适合需要每天留存备份的业务盘。"),
    chunk("p-1", ["计费说明"], "快照按占用的存储容量计费，每 GB 每月 0.12 元。"),
    chunk("p-2", ["设置自动快照策略"], "1. 进入 **存储 > 快照 > 自动快照策略**，点击 **新建策略**。\n"
                                      "2. 选择执行时间和保留天数。\n3. 在 **关联云盘** 中勾选要备份的云盘。"),
    chunk("p-3", ["删除策略"], "```bash\nsscli snapshot delete-policy --policy-id sp-1\n```"),
    chunk("p-4", ["常见问题"], "1. 策略能改吗？\n2. 可以，在列表中编辑。"),
]


class IntroOnly(FakeKnowledge):
    """Selection that keeps only the page's intro (as retrieval often does for a spoken how-to)."""

    def __init__(self) -> None:
        super().__init__(PAGE)

    def select(self, query, passages, max_passages=4, alternatives=None):
        return [replace(PAGE[0], meta={"match": "strong"})]


def run(question: str) -> dict:
    state = {"index": 1, "count": 1, "question": question, "standalone": question,
             "route": {"route": "knowledge"}, "kb": "demo", "passages": [], "siblings": []}
    return select(state, Runtime(context=make_context(IntroOnly())))  # type: ignore[arg-type]


def test_what_shows_steps():
    assert shows_steps("1. 打开控制台\n2. 点击新建")
    assert shows_steps("在 **网络 > 安全组 > 入方向** 中添加规则")
    assert shows_steps("执行：\n```bash\nsscli x\n```")
    assert not shows_steps("快照按容量计费。1 GB 每月 0.12 元。")  # one number is no list
    assert not shows_steps("A > B 时会告警")  # a comparison is no menu path


def test_the_section_showing_the_page_task_is_chosen_not_an_aside():
    anchor = {"source": SOURCE, "kb": "demo", "title": TITLE, "heading_path": [], "text": PAGE[0].text, "meta": {}}
    chunks = [{"chunk_id": p.chunk_id, "heading_path": p.heading_path, "text": p.text, "kind": "doc"} for p in PAGE]
    found = steps_section(anchor, chunks, "每天自动备份盘要怎么配", {()})
    assert found is not None and found["heading_path"] == ["设置自动快照策略"]  # shares the title, before 删除策略
    assert "关联云盘" in found["text"] and found["meta"]["via"].startswith(TITLE) and found["meta"]["added"] == "task"
    assert steps_section(anchor, chunks, "每天自动备份盘要怎么配", {(), ("设置自动快照策略",)})["heading_path"] == ["删除策略"]
    assert steps_section(anchor, chunks[:2], "每天自动备份盘要怎么配", {()}) is None  # no section shows steps


def test_needs_steps_only_when_the_page_shows_none_and_no_faq_leads():
    intro = {"source": SOURCE, "kb": "demo", "kind": "doc", "text": PAGE[0].text}
    assert needs_steps(intro, [intro])
    assert not needs_steps(intro, [{**intro, "text": PAGE[2].text}, intro])  # its steps are in evidence already
    assert needs_steps(intro, [intro, {"source": "other.md", "kb": "demo", "kind": "doc", "text": PAGE[2].text}])
    assert not needs_steps({"kind": "faq", "text": "可以。"}, [intro])


def test_a_howto_question_gets_the_steps_section_a_value_question_does_not():
    howto = run("每天自动备份盘要怎么配")
    assert any("关联云盘" in p["text"] for p in howto["passages"])
    value = run("自动快照策略收费多少")
    assert not any("关联云盘" in p["text"] for p in value["passages"])


def test_the_page_titles_words_do_not_choose_the_section():
    """"服务器密码忘了" met on "重置实例密码": 密码 is the page's topic, so it does not pull the section
    "使用密钥对代替密码"; with nothing else asked, the first way of doing the page's task is given."""
    doc = [{"chunk_id": "p-1", "heading_path": ["方式一：关机后重置（通用）"], "kind": "doc",
            "text": "1. 进入 **云服务器 > 实例**。\n2. 点击 **关机**。\n3. 点击 **重置密码**。"},
           {"chunk_id": "p-2", "heading_path": ["使用密钥对代替密码"], "kind": "doc",
            "text": "1. 在本地生成密钥。\n2. 导入密钥对。\n3. 绑定密钥对。"}]
    anchor = {"source": "docs/scs/reset-password.md", "title": "重置实例密码", "text": "忘记了登录密码时可以重置密码。"}
    assert steps_section(anchor, doc, "服务器密码忘了", set())["heading_path"] == ["方式一：关机后重置（通用）"]
    assert steps_section(anchor, doc, "怎么改成用密钥对登录", set())["heading_path"] == ["使用密钥对代替密码"]


def test_a_problem_stated_without_a_question_word_gets_the_how_to_pages_steps(keyword_demo):
    """Through the whole graph on the demo base: a bare "X 忘了" (a symptom) met by a how-to page's intro
    gets the section showing its steps, not the intro sentence alone."""
    from tests.graph.conftest import asker

    body = asker(keyword_demo, "forgot")("服务器密码忘了")["answer"].split("**参考来源**")[0]
    assert "1. " in body and "重置密码" in body and "已关机" in body and "ssh-keygen" not in body
