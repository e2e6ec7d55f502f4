"""Follow-ups that ask for another way ("还有别的办法吗", "除了 X，还有什么…"), as scripted conversations
through the graph on the demo knowledge base (graph/alternatives.py, graph/questions.py)."""

from __future__ import annotations

from graph.alternatives import asks_alternative, without_excluded
from graph.questions import domain_terms, split_message
from graph.service import Copilot


def test_a_statement_before_haiyou_is_what_the_ask_goes_on_from() -> None:
    terms = domain_terms({"mysql", "云服务器"})
    assert split_message("除了升级规格，还有什么根本的解决办法", terms) == ["除了升级规格，还有什么根本的解决办法"]
    assert split_message("暂时不想升配，还有别的法子吗", terms) == ["暂时不想升配，还有别的法子吗"]
    # an ask before 还有 is a question of its own; 还有个问题 announces another one
    assert len(split_message("CDN 怎么刷新缓存，还有每天能刷多少条", terms)) == 2
    assert len(split_message("机器关机了，还有个问题 eip 收费吗", terms)) == 2


def test_asking_for_another_way_and_the_way_ruled_out() -> None:
    assert asks_alternative("业务停不了 不关机还有别的办法吗")
    assert asks_alternative("除了加内存还有啥办法")
    assert asks_alternative("那还有其他的呢")
    assert not asks_alternative("还有多久能恢复")
    assert not asks_alternative("另外的盘怎么挂载")
    assert without_excluded("除了升级规格，还有什么根本的解决办法") == "还有什么根本的解决办法"
    assert without_excluded("除了升级规格") == "除了升级规格"  # nothing else said: the message as it was


def test_another_way_leans_on_the_problem_and_leaves_out_the_way_ruled_out(demo_knowledge) -> None:
    from tests.graph.conftest import make_context

    copilot = Copilot(make_context(demo_knowledge))
    copilot.ask("mysql 报 ERROR 1040 Too many connections 咋整", "s1")
    found = copilot.ask("除了升级规格，还有什么根本的解决办法", "s1")
    assert found.decision == "follow_up" and len(found.standalone) == 1
    assert "1040" in found.standalone[0] and "升级规格" not in found.standalone[0]
    assert "连接池" in found.answer
    # its own words say what rules the given way out (不关机), not a subject of their own
    copilot.ask("root 密码忘了咋重置", "s2")
    found = copilot.ask("业务停不了 不关机还有别的办法吗", "s2")
    assert found.decision == "follow_up" and "密码" in found.standalone[0]
    assert "在线重置" in found.answer


def test_a_name_from_the_last_answer_said_with_nage_is_that_answers_however_long(demo_knowledge) -> None:
    from tests.graph.conftest import make_context

    copilot = Copilot(make_context(demo_knowledge))
    first = copilot.ask("windows 远程桌面报 CredSSP 加密数据库修正 怎么办", "s1")
    assert "gpedit" in first.answer
    found = copilot.ask("gpedit 那个设置完了要改回来吗", "s1")
    assert found.decision == "follow_up" and "CredSSP" in found.standalone[0]
    # without 那个 (and long enough to be a question of its own), the same words stand alone
    copilot.ask("windows 远程桌面报 CredSSP 加密数据库修正 怎么办", "s2")
    found = copilot.ask("gpedit 打开以后界面全是英文的怎么改成中文", "s2")
    assert found.decision == "new_topic"


def test_nage_noun_is_the_thing_an_earlier_answer_named_with_that_noun(demo_knowledge) -> None:
    from graph.answer_refs import noun_named
    from tests.graph.conftest import make_context

    said = "如果实例内已安装并运行在线重置代理（`ss-agent`），可以在运行中状态直接重置"
    assert noun_named("代理没装的话怎么装", said) == ("代理", "ss-agent")
    assert noun_named("设置完了要改回来吗", said) is None  # the answer names no 设置
    copilot = Copilot(make_context(demo_knowledge))
    copilot.ask("root 密码忘了咋重置", "s1")
    copilot.ask("业务停不了 不关机还有别的办法吗", "s1")  # its answer need not repeat the agent's name
    found = copilot.ask("那个代理没装的话怎么装", "s1")
    assert found.decision == "follow_up" and "ss-agent" in found.standalone[0] and "密码" in found.standalone[0]
    assert "systemctl enable --now ss-agent" in found.answer


def test_qita_and_yinggai_are_words_not_pronouns() -> None:
    from graph.cues import LEAD_PRONOUN, PRONOUN

    for text in ("其他办法呢", "有没有其他办法", "应该怎么配", "其实我想问", "其中一个怎么删"):
        assert not LEAD_PRONOUN.match(text) and not PRONOUN.search(text), text
    assert LEAD_PRONOUN.match("其端口是多少") and PRONOUN.search("该参数怎么改")


def test_chule_zhege_asks_for_the_others_of_the_conversations_problem(demo_knowledge) -> None:
    from tests.graph.conftest import make_context

    assert without_excluded("除了这个呢") == "还有别的吗"
    copilot = Copilot(make_context(demo_knowledge))
    copilot.ask("mysql 连不上 ERROR 2003", "s1")
    found = copilot.ask("有没有其他办法", "s1")
    assert found.decision == "follow_up" and "2003" in found.standalone[0] and "其他办法" in found.standalone[0]
    copilot.ask("ssh 连不上 Connection timed out 怎么办", "s2")
    found = copilot.ask("除了这个呢", "s2")
    assert found.decision == "follow_up" and found.standalone[0].endswith("还有别的吗")
    assert "ssh" in found.standalone[0].lower() and "除了" not in found.standalone[0]


def test_a_thing_of_its_own_leans_on_the_things_not_the_state_a_yes_no_question_asked(demo_knowledge) -> None:
    from tests.graph.conftest import make_context

    copilot = Copilot(make_context(demo_knowledge))
    copilot.ask("云盘扩容后要重启吗", "s1")
    found = copilot.ask("快照怎么建", "s1")
    assert found.decision == "follow_up" and "云盘" in found.standalone[0] and "重启" not in found.standalone[0]
    # a facet of the same question still carries the whole of it
    copilot.ask("云盘扩容后要重启吗", "s2")
    found = copilot.ask("大概要多久", "s2")
    assert "重启" in found.standalone[0]


def test_an_ordinal_command_of_an_answer_without_a_list_is_the_nth_command_it_named() -> None:
    from graph.answer_refs import nth_named
    from graph.references import ordinal_of
    from graph.thread import Thread

    answer = ("先用 `df -h` 确认哪个分区满了，再用 `du -sh /* | sort -h` 逐层定位大目录。[1]\n"
              "可用 `lsof | grep deleted` 查找并重启对应进程；还要用 `df -i` 检查 inode 是否耗尽。[1]")
    thread = Thread(question="磁盘满了怎么排查", topic="磁盘满了怎么排查", answer=answer)
    for text, command in (("第三步那个命令是干嘛的", "lsof | grep deleted"), ("第二个命令是干嘛的", "du -sh /* | sort -h"),
                          ("最后那个命令什么意思", "df -i")):
        ordinal = ordinal_of(text)
        assert ordinal is not None
        found = nth_named(text, thread, ordinal, lambda q: "磁盘满")
        assert found is not None and command in found.standalone and "第" not in found.standalone, text
    # no noun of a named kind (第三步怎么做): not this rule's
    ordinal = ordinal_of("第三步怎么做")
    assert ordinal is not None and nth_named("第三步怎么做", thread, ordinal, lambda q: "磁盘满") is None


def test_a_follow_up_on_one_of_the_titles_things_leans_on_the_pages_thing_not_its_whole_title(demo_knowledge) -> None:
    from tests.graph.conftest import make_context

    copilot = Copilot(make_context(demo_knowledge))
    copilot.ask("eip 解绑了先放着 会扣钱不", "s1")  # answered from "弹性公网 IP 绑定与带宽"
    found = copilot.ask("带宽最大能调多少，调的时候会断吗", "s1")
    assert found.decision == "follow_up" and len(found.standalone) == 2
    assert all("eip" in s and "绑定" not in s and "解绑" not in s for s in found.standalone), found.standalone
    assert "不会中断连接" in found.answer
    # a follow-up on a thing the title does not name keeps the whole title: the problem it is asked for
    copilot.ask("新建的rds连不上报ERROR 2003 (110)", "s2")
    found = copilot.ask("白名单在控制台哪改", "s2")
    assert "无法连接数据库" in found.standalone[0]


def test_youshao_asks_and_is_not_part_of_the_subject() -> None:
    from graph.subject import subject_of

    assert subject_of("专票有啥要求") == "专票"
    assert subject_of("专票有什么要求") == "专票"


def test_the_users_own_case_said_first_is_the_conversations_ask_for_that_case(demo_knowledge) -> None:
    from graph.answered import own_case
    from tests.graph.conftest import make_context

    assert own_case("我是 windows 电脑，咋查 NS") == ("windows", "咋查 NS")
    assert own_case("windows 电脑咋查 NS") == ("", "")
    copilot = Copilot(make_context(demo_knowledge))
    copilot.ask("dns 控制台加了 A 记录，ping 域名还是 Name or service not known", "s1")
    found = copilot.ask("我是 windows 电脑，咋查 NS", "s1")
    assert found.decision == "follow_up" and "dns" in found.standalone[0] and "电脑" not in found.standalone[0]
    assert "nslookup -type=NS" in found.answer


def test_a_facet_after_a_follow_up_is_of_what_that_follow_up_asked_about(demo_knowledge) -> None:
    from tests.graph.conftest import make_context

    copilot = Copilot(make_context(demo_knowledge))
    copilot.ask("访问桶里的图片返回 403 AccessDenied", "s1")
    copilot.ask("私有文件想临时分享给别人咋弄", "s1")
    found = copilot.ask("最长能设多久", "s1")
    assert found.decision == "follow_up" and "临时分享" in found.standalone[0]
    assert "7 天" in found.answer


def test_another_case_of_a_described_question_is_its_thing_and_last_ask_not_the_whole_description(
        demo_knowledge) -> None:
    from tests.graph.conftest import make_context

    copilot = Copilot(make_context(demo_knowledge))
    copilot.ask("新买的数据盘挂到机器上了，系统里看不到空间 咋初始化", "s1")
    found = copilot.ask("那 windows 的机器呢", "s1")
    assert found.decision == "follow_up" and found.standalone == ["windows 的机器 数据盘 咋初始化"]
    assert "磁盘管理" in found.answer
    copilot.ask("云盘在控制台扩到 500G 了 系统里咋扩", "s2")
    found = copilot.ask("xfs 的呢", "s2")
    assert "xfs_growfs" in found.answer
    # after a rewritten question (a list item, a quoted error) the whole previous question stays
    copilot.ask("云盘扩容的步骤", "s3")
    copilot.ask("第三步扩分区的时候报 NOCHANGE: partition 1 is size ... it cannot be grown", "s3")
    found = copilot.ask("如果是 Windows 实例呢", "s3")
    assert "NOCHANGE" in found.standalone[0]


def test_qita_and_qishi_do_not_make_a_fragment_lean_on_a_subject() -> None:
    from graph.subject import attach_subject, starts_elliptical

    assert starts_elliptical("需要重启吗") and not starts_elliptical("它需要重启吗")
    assert attach_subject("云盘", "其中一块怎么删") == "云盘 其中一块怎么删"  # 其中 kept: not "its"
    assert attach_subject("云盘", "其容量是多少", "云盘") == "云盘容量是多少"


def test_another_way_said_in_words_the_base_never_uses_is_not_refused(demo_knowledge) -> None:
    """不想升配/法子 are unknown to the base, but the message asks for another way than the answer's: it
    leans on the conversation (the guard's new-topic check is for "今晚湖人队比赛谁赢了")."""
    from tests.graph.conftest import make_context

    copilot = Copilot(make_context(demo_knowledge))
    copilot.ask("java 进程老被 oom killer 干掉 咋办", "s1")
    found = copilot.ask("暂时不想升配，还有别的法子吗", "s1")
    assert not found.refused and found.decision == "follow_up", found.answer
    assert any("OOM" in s or "oom" in s for s in found.standalone), found.standalone
