"""A follow-up pointing into the previous answer is made standalone from the part its own words select
(graph/referent.py): checks on a built page, then conversations on the keyword demo base."""

from __future__ import annotations

import itertools

import pytest

from graph.pointed_unit import POINTED
from graph.referent import outranks, pointed_referent, points, referent_first, referent_question
from graph.service import Copilot
from tests.graph.conftest import make_context

PAGE = "docs/widget/deploy.md"
CHUNKS = {
    PAGE: [
        {"chunk_id": "d-0", "heading_path": ["第一步：安装组件"], "kind": "doc",
         "text": "1. 下载安装包：\n\n```bash\ncurl -o /tmp/widget.sh http://mirror.example/widget.sh\n```\n"
                 "2. **启动服务**：安装后执行：\n\n```bash\nsystemctl enable --now widgetd\n```"},
        {"chunk_id": "d-1", "heading_path": ["第二步：配置日志"], "kind": "doc",
         "text": "| 系统 | 日志目录 |\n| --- | --- |\n"
                 "系统: CentOS；日志目录: `/var/log/widget`\n系统: Ubuntu；日志目录: `/var/lib/widget/log`"},
        {"chunk_id": "d-2", "heading_path": ["第三步：验证"], "kind": "doc",
         "text": "在控制台 **组件 > 状态** 中查看组件是否在线。"},
    ],
}
PRIOR = {"text": "1. 下载安装包 2. 启动服务：systemctl enable --now widgetd 3. 配置日志",
         "sources": [PAGE], "titles": {PAGE: "部署组件"}, "question": "组件怎么部署"}


def _chunks(source: str) -> list[dict]:
    return CHUNKS.get(source, [])


def test_a_pointer_is_a_word_for_a_part_said_before():
    assert points("启动服务那步失败了咋办") and points("上面那个命令啥意思") and points("第二步没看懂")
    assert not points("组件要收费吗")
    # a bare 这个 opening or ending the message is its subject or problem
    assert not points("这个每天能刷几次") and not points("磁盘满为啥也会导致这个") and points("那个代理那步没装咋办")
    # 这个 asking right after the user's own statement is that statement
    assert not points("确认是 oom 了，4G 的机器 -Xmx 给了 6g，这个该怎么配") and points("我是 centos，那个要怎么装")


def test_the_users_own_words_select_the_unit_and_its_key_terms():
    found = pointed_referent("我是ubuntu 日志那个放哪", PRIOR, _chunks, None)
    assert found is not None and "Ubuntu" in found.unit.text
    assert "配置日志" in found.terms and "/var/lib/widget/log" in found.terms
    standalone = referent_question("我是ubuntu 日志那个放哪", found, "部署组件")
    assert standalone.startswith("部署组件 配置日志") and standalone.endswith("我是ubuntu 日志那个放哪")
    assert "下载安装包" not in standalone  # no other answer text dragged along


def test_a_pointed_command_is_named_by_what_it_runs():
    found = pointed_referent("启动服务那条报错了", PRIOR, _chunks, None)
    assert found is not None and "systemctl enable" in " ".join(found.terms)


def test_no_pointer_no_part_or_a_tie_leaves_the_question_alone():
    assert pointed_referent("日志放哪", PRIOR, _chunks, None) is None  # nothing pointed at
    assert pointed_referent("那个咋弄", PRIOR, _chunks, None) is None  # no own word says which part
    assert pointed_referent("那个日志目录放哪", PRIOR, _chunks, None) is None  # two rows fit as well
    assert pointed_referent("日志那个放哪", {**PRIOR, "sources": []}, _chunks, None) is None


def test_the_unit_stands_over_a_named_item_or_list_item_only_when_the_words_chose_another_part():
    found = pointed_referent("启动服务那条报错了", PRIOR, _chunks, None)
    assert found is not None
    assert outranks(found, "", "", "启动服务那条报错了")
    assert not outranks(found, "named", "systemctl enable --now widgetd", "启动服务那条报错了")  # the same part
    assert outranks(found, "named", "curl -o /tmp/widget.sh", "启动服务那条报错了")  # the answer's other command
    logs = pointed_referent("第二步那个ubuntu的日志目录怎么填", PRIOR, _chunks, None)
    assert logs is not None and "第二步" in logs.unit.scored
    # the page labels the part 第二步: it stands over the answer's second line; an unlabelled ordinal does not
    assert outranks(logs, "item", "启动服务：systemctl enable --now widgetd", "第二步那个ubuntu的日志目录怎么填")
    assert not outranks(found, "item", "下载安装包", "第三个启动服务那条报错了")


def test_the_unit_is_the_turns_evidence():
    other = {"chunk_id": "o-1", "source": "docs/other.md", "title": "其他", "kind": "doc", "heading_path": [],
             "text": "其他页面。", "meta": {"match": "strong"}}
    chosen = referent_first([other], "我是ubuntu 日志那个目录怎么填", PRIOR, _chunks, None, "demo")
    assert len(chosen) == 1 and chosen[0]["meta"][POINTED] and "/var/lib/widget/log" in chosen[0]["text"]


@pytest.fixture(scope="module")
def demo(keyword_demo):
    return Copilot(make_context(keyword_demo))


_sessions = itertools.count()


@pytest.mark.parametrize("first, then, said, fact", [
    # the user's case (ubuntu) and the tool it names select the install line, not the step's other commands
    ("cpu 100% 了 怎么找是哪个进程", "我是ubuntu pidstat那条提示没有这个命令", "sysstat", "apt-get install -y sysstat"),
    # a field of the page's table the previous answer pointed to
    ("扩容完 df 还是老大小 文件系统怎么扩", "xfs那条参数填的是设备名吗", "xfs_growfs", "挂载点"),
])
def test_a_follow_up_pointing_into_the_answer_is_answered_from_that_part(demo, first, then, said, fact):
    session = f"referent-{next(_sessions)}"
    demo.ask(first, session, kb="demo")
    result = demo.ask(then, session, kb="demo").to_json()
    assert said in result["standalone"][0], result["standalone"]
    assert fact in result["answer"], result["answer"]
