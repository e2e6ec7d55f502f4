"""The one step a question asks about, answered whole (graph/asked_step.py), on the real demo KB:
a follow-up pointing at a step and an error one troubleshooting step handles get that step, not
the outline of every step; a question about the whole procedure still gets the outline."""

from __future__ import annotations

import itertools

import pytest

from graph.service import Copilot
from tests.graph.conftest import make_context


@pytest.fixture(scope="module")
def copilot(demo_knowledge):
    return Copilot(make_context(demo_knowledge))


def body(result: dict) -> str:
    return result["answer"].split("**参考来源**")[0]


_sessions = itertools.count()


def test_a_follow_up_about_the_second_step_gets_that_step(copilot):
    session = f"asked-step-{next(_sessions)}"
    first = body(copilot.ask("云盘扩容的步骤", session, kb="demo").to_json())
    assert "growpart" in first and "lsblk" in first, first  # the whole procedure first
    second = body(copilot.ask("第二步具体怎么写", session, kb="demo").to_json())
    assert "lsblk" in second and "rescan" in second, second
    assert "growpart" not in second and "resize2fs" not in second, second  # not steps 3-4 again
    assert not second.lstrip().startswith(("1.", "2.")), second  # no list started in the middle


def test_an_error_one_troubleshooting_step_handles_gets_that_step(copilot):
    text = body(copilot.ask("windows 远程桌面报 CredSSP 加密数据库修正 咋办", "asked-step-credssp", kb="demo").to_json())
    assert "Windows 更新" in text and "易受攻击" in text, text
    assert "Default.rdp" not in text and "nc -zv" not in text, text  # other steps stay out


def test_the_words_of_the_step_retrieval_landed_in_still_tell_the_step(copilot):
    """The chunk retrieved sits in step 3 ("深入到线程和代码"); its heading is not the procedure's
    context: "线程" still picks that step over "找到消耗 CPU 的进程"."""
    session = f"asked-step-{next(_sessions)}"
    copilot.ask("服务器 cpu 一直 100% 怎么查是哪个进程", session, kb="demo")
    text = body(copilot.ask("是 java 进程 怎么找到具体哪个线程", session, kb="demo").to_json())
    assert "top -H -p" in text and "jstack" in text, text
    assert "sar -u" not in text and "uptime" not in text, text  # the other steps stay out


def test_a_question_about_the_whole_procedure_gets_every_step(demo_knowledge):
    from graph.asked_step import asked_step, steps_of
    from graph.doc_units import parse_units
    from graph.doc_sections import procedure
    from graph.relevance import question_terms

    chunks = demo_knowledge.document_chunks("demo", "docs/disk/expand-disk.md")
    steps = procedure({"source": "docs/disk/expand-disk.md", "title": "扩容云盘", "kb": "demo"}, chunks)
    assert steps is not None
    parts = steps_of(parse_units(steps["text"], "doc"))
    assert len(parts) == 5
    assert asked_step(parts, question_terms("云盘扩容的步骤"), "扩容云盘") is None
    assert asked_step(parts, question_terms("云盘扩容：扩展文件系统 具体怎么写"), "扩容云盘") == 3


def test_a_handbooks_numbered_chapters_are_no_procedure(demo_knowledge):
    """The on-call handbook's "1. 故障分级与响应时限 … 4. 常见场景处理流程 > 4.1 连接数打满" are chapters and
    scenarios, not steps; the data-disk page's "第一步…" and a troubleshooting page's "### 1. …" under
    "排查步骤" are steps."""
    from graph.doc_sections import procedure

    def proc(source: str):
        chunks = demo_knowledge.document_chunks("demo", source)
        title = next(d["title"] for d in demo_knowledge.show_kb("demo")["documents"] if d["source"] == source)
        return procedure({"source": source, "title": title, "kb": "demo"}, chunks)

    handbook = proc("wiki/oncall-handbook.html")
    assert handbook is None or not (handbook.get("meta") or {}).get("procedure"), handbook and handbook["text"][:200]
    assert (proc("docs/disk/mount-data-disk.md") or {}).get("meta", {}).get("procedure")
    assert (proc("docs/scs/ssh-login-failed.md") or {}).get("meta", {}).get("procedure")


def test_the_step_a_problem_matches_is_completed_through_its_action_inside_the_outline(demo_knowledge):
    from graph.service import Copilot
    from tests.graph.conftest import make_context

    body = Copilot(make_context(demo_knowledge)).ask("删了大文件 df 还是显示满的 怎么办", "s3").answer.split("**参考来源**")[0]
    assert "lsof +L1" in body and "systemctl restart myapp" in body, body  # the check, then what to do
    assert "COMMAND   PID" not in body, body  # not the example output


def test_a_step_whole_leaves_out_example_output_and_the_sentence_reading_it():
    from graph.asked_step import step_whole
    from graph.doc_units import parse_units

    body = parse_units("检查：\n\n```bash\nlsof +L1\n```\n\n输出示例：\n\n```\nCOMMAND PID\n```\n\n"
                       "这表示进程仍在写。处理方法：\n\n```bash\nsystemctl restart myapp\n```\n")
    texts = [u.text for u in step_whole(body)]
    assert not any("COMMAND" in t or t.startswith("这表示") for t in texts), texts
    assert any("systemctl restart" in t for t in texts) and "处理方法：" in texts


def test_steps_a_procedure_routes_only_other_symptoms_to_are_left_out():
    from graph.asked_step import routed_away, steps_of
    from graph.doc_units import parse_units
    from graph.relevance import QuestionTerms

    units = parse_units("### 1. 看输出\n\n- 最终超时 → 网络不通，按第 2 步排查。\n- 出现 Permission denied → 认证问题，跳到第 3 步。\n\n"
                        "### 2. 检查网络\n\n测试端口。\n\n### 3. 排查认证\n\n核对用户名。\n\n### 4. 收尾\n\n记录。\n")
    steps = steps_of(units)
    assert routed_away(steps, QuestionTerms({"超时": 1.0})) == {2}  # the authentication step
    assert routed_away(steps, QuestionTerms({"磁盘": 1.0})) == set()  # no route names what is asked: all stay
