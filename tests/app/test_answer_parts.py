"""Composition on the real demo KB, wired as `smart-copilot ask` runs keyword only: the part of a
causes section the question names (a closing summary table does not make every part match), the
reply as a whole — the runbook offer included — kept to the question type's budget, and a section
that gives nothing not taking the place of one that does."""

from __future__ import annotations

import re

import pytest

from graph.answer_draft import BUDGET


@pytest.fixture(scope="module")
def ask(tmp_path_factory):
    """The copilot as `smart-copilot ask` builds it on the demo KB, keyword only (the shipped runbooks too)."""
    from app.settings import Settings
    from app.wiring import build_copilot

    settings = Settings.model_validate({"data_dir": str(tmp_path_factory.mktemp("parts")),
                                        "knowledge": {"dense": "off"}})
    copilot = build_copilot(settings)
    counter = iter(range(1000))
    yield lambda message, session=None: copilot.ask(message, session or f"parts-{next(counter)}").to_json()
    copilot.context.knowledge.close()


def body(result: dict) -> str:
    return result["answer"].split("**参考来源**")[0].strip()


def test_only_the_causes_part_the_question_names_with_its_summary_row(ask):
    """The 502/504 page's causes: "502" picks the 502 part; the 504 part stays out even though the
    table closing it names 502 too, and that table's 502 row stays."""
    text = body(ask("偶发 502 低峰过后特别多"))
    assert "keepalive" in text, text
    assert "接口本身处理时间长" not in text, text  # a 504 cause
    assert re.search(r"502：.*健康检查", text), text


def test_the_runbook_offer_counts_in_the_answers_budget(ask):
    result = ask("解析记录加了 ping 域名还是 Name or service not known")
    text = body(result)
    assert "帮我排查" in text, text  # the offer is there
    plain = re.sub(r"\[\d+\]", "", text)  # citation marks are not in the budget
    plain = re.sub(r"^\s+", "", plain, flags=re.M)  # nor list indentation
    assert len(plain) <= BUDGET["symptom"], (len(plain), text)




def test_a_symptom_section_that_gives_nothing_leaves_room_for_the_check_steps(ask):
    """Access denied on MySQL: the page's "现象" section restates the error and gives nothing; the
    check steps (look the account up in mysql.user) still come after the causes list."""
    text = body(ask("Access denied for user 'app'@'10.0.1.23' 密码确认没错"))
    assert "主机部分与客户端来源不匹配" in text, text  # the causes list
    assert "mysql.user" in text, text  # the check step


def test_no_step_of_an_outline_is_left_empty_by_the_topic_check(ask):
    """The data-disk procedure as an outline: "创建文件系统" (a table row with mkfs) and "配置开机自动挂载"
    (look the UUID up with blkid) keep their lines — verify judges them with their step."""
    text = body(ask("新买的数据盘挂上了 系统里看不到 要怎么弄 给个步骤"))
    steps = re.split(r"^\d\. \*\*", text, flags=re.M)[1:]
    assert len(steps) >= 5, text
    assert all(re.search(r"\n {3}\S", s) for s in steps), text  # an indented line under every step heading
    assert "mkfs" in text and "blkid" in text, text


def test_an_outline_leaves_room_for_its_last_step(ask):
    """"慢查询怎么看": the first steps' lead-ins and lists used to take the room and leave "4. **优化**"
    bare, with the FAQ note after it read as its content."""
    text = body(ask("慢查询怎么看"))
    steps = re.split(r"^\d\. \*\*", text, flags=re.M)[1:]
    assert len(steps) == 4, text
    assert all(re.search(r"\n {3}\S", s) for s in steps), text


def test_a_what_if_about_another_platform_gets_the_pages_section_for_it(ask):
    """"如果是 windows 呢" after the data-disk steps: the page's "Windows 实例" section, not its Linux
    commands again (and no Linux FAQ note after it)."""
    ask("新买的数据盘挂上了 系统里看不到 要怎么弄 给个步骤", "parts-windows")
    text = body(ask("如果是 windows 呢", "parts-windows"))
    assert "磁盘管理" in text and "新建简单卷" in text, text
    assert "mount /dev/vdb1" not in text and "/dev/vdb" not in text, text



def test_a_section_titled_topic_colon_question_is_answered_whole(ask):
    """"执行时间：为什么配置了规则还没生效" asks its question after a colon: the section (a daily scan at
    00:00, up to 48 hours) is that question's answer, whole — not only its concluding sentence."""
    text = body(ask("生命周期规则设了 1 天删除，过了一天文件还在"))
    assert "00:00" in text and "48 小时" in text, text


def test_a_question_about_one_cause_gets_that_cause_not_its_neighbours(ask):
    """"空 Referer 被拒绝怎么办" names one cause of the 403 page's list (防盗链); the explicit-Deny cause
    shares only the word 拒绝 and no longer opens the answer."""
    text = body(ask("空 Referer 被拒绝怎么办"))
    assert "防盗链" in text, text
    assert "Deny" not in text, text
