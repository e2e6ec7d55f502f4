"""Follow-up turns and multi-question messages, as scripted conversations through the graph
(issue #12 item 3): chained openers, the subject of the previous answer, conditions with an ask."""

from __future__ import annotations

from graph.service import Copilot


def test_chained_openers_are_all_dropped(copilot: Copilot) -> None:
    copilot.ask("SSH 连不上怎么办", "s1")
    found = copilot.ask("对了顺便问下 安全组规则多久生效", "s1")
    assert found.decision == "new_topic" and found.standalone == ["安全组规则多久生效"]
    copilot.ask("SSH 连不上怎么办", "s2")
    found = copilot.ask("顺便问一句，CPU 使用率 100% 怎么排查", "s2")
    assert found.decision == "new_topic" and found.standalone == ["CPU 使用率 100% 怎么排查"]


def test_a_facet_follow_up_after_a_described_problem_asks_about_what_the_answer_was_about(demo_knowledge) -> None:
    from tests.graph.conftest import make_context

    copilot = Copilot(make_context(demo_knowledge))
    described = "网站换了新证书以后，安卓手机上的 App 请求全失败了，电脑上用 Chrome 打开没事"
    first = copilot.ask(described, "s1")
    assert "《证书链不完整》" in first.answer
    # "Apache 那边…" names the side asked about: the answer's subject, not the whole description again
    found = copilot.ask("Apache 那边要怎么改", "s1")
    assert found.decision == "follow_up"
    assert found.standalone[0].startswith("证书链不完整") and "安卓" not in found.standalone[0]
    # a pronoun takes the answer's subject too
    copilot.ask(described, "s2")
    found = copilot.ask("这个怎么检查有没有修好", "s2")
    assert found.standalone[0].startswith("证书链不完整")


def test_a_condition_and_the_ask_after_it_are_one_follow_up_question(demo_knowledge) -> None:
    from tests.graph.conftest import make_context

    copilot = Copilot(make_context(demo_knowledge))
    copilot.ask("服务器欠费停机了，充值后多久恢复", "s1")
    found = copilot.ask("要是一直不续费呢 数据会怎么样", "s1")
    # one question: the conversation's subject, the new condition and its ask
    assert len(found.standalone) == 1 and found.decision == "follow_up"
    assert "欠费" in found.standalone[0] and "一直不续费" in found.standalone[0] and "数据会怎么样" in found.standalone[0]
    assert "15 天" in found.answer


def test_a_condition_joins_its_ask_but_a_case_switch_does_not() -> None:
    from graph.questions import domain_terms, split_message

    terms = domain_terms({"云服务器", "rds"})
    assert split_message("要是一直不续费呢 数据会怎么样", terms) == ["要是一直不续费呢 数据会怎么样"]
    assert split_message("假如磁盘写满了呢，实例会自动停吗", terms) == ["假如磁盘写满了呢，实例会自动停吗"]
    assert split_message("如果是 RDS 呢，要重启吗", terms) == ["如果是 RDS 呢", "要重启吗"]  # the previous question's case X


def test_the_thing_made_said_without_its_name_is_the_conversations_subject(demo_knowledge) -> None:
    from tests.graph.conftest import make_context

    copilot = Copilot(make_context(demo_knowledge))
    copilot.ask("云盘怎么创建快照", "s1")
    found = copilot.ask("建好的能跨地域用吗", "s1")  # 建好的: the snapshot just made, not an owner "建好"
    assert found.decision == "follow_up" and found.standalone == ["云盘 创建快照 能跨地域用吗"]


def test_then_x_with_the_threads_action_moves_the_action_to_another_case(demo_knowledge) -> None:
    from tests.graph.conftest import make_context

    copilot = Copilot(make_context(demo_knowledge))
    copilot.ask("云盘在控制台扩容以后，Linux 里 lsblk 看容量还是老的", "s1")
    found = copilot.ask("那 Windows 的服务器扩完容量要怎么弄", "s1")
    # the action (扩容) stays, the case the thread was about (Linux) goes
    assert found.decision == "follow_up" and "扩容" in found.standalone[0] and "Windows" in found.standalone[0]
    assert "Linux" not in found.standalone[0] and "lsblk" not in found.standalone[0]
    assert "扩展卷" in found.answer
    # 那 + a thing of its own sharing nothing with the thread: a question of its own
    found = copilot.ask("那 MySQL 连不上报 2003 怎么办", "s1")
    assert found.decision == "new_topic" and "扩容" not in found.standalone[0]


def test_a_later_ask_repeating_the_verb_gets_the_first_how_tos_object(demo_knowledge) -> None:
    from tests.graph.conftest import make_context

    copilot = Copilot(make_context(demo_knowledge))
    found = copilot.ask("怎么开增值税专票，个人账号可以开吗", "s1")
    # 专票 is read as the base's 专用发票 (graph/spelling: a four-character term's contraction)
    assert found.standalone == ["怎么开增值税专用发票", "开增值税专用发票 个人账号可以开吗"]
    assert "docs/billing/invoice.md" in {c["source"] for c in found.citations}


def test_a_statement_of_a_symptom_is_a_description_whatever_its_first_words(demo_knowledge) -> None:
    from tests.graph.conftest import make_context

    copilot = Copilot(make_context(demo_knowledge))
    copilot.ask("cdn 上的图片更新了，用户访问到的还是原来那张", "s1")  # asks nothing: it describes
    found = copilot.ask("这个要去控制台哪里弄", "s1")
    assert found.standalone == ["CDN 缓存规则与刷新 要去控制台哪里弄"]
    assert "docs/cdn/cache-refresh.md" in {c["source"] for c in found.citations}


def test_the_answers_subject_keeps_the_product_named_but_not_codes_and_addresses() -> None:
    from graph.followup import FollowUps, thread_of
    from graph.questions import domain_terms

    resolver = FollowUps(domain_terms({"mysql", "白名单", "hy000", "3306"}))
    history = [{"role": "user", "content": "应用连 MySQL 实例 10.0.1.8:3306 一直不通，日志里全是 HY000"},
               {"role": "assistant", "content": "新实例白名单默认只有 127.0.0.1。[1]\n\n**参考来源**\n"
                                                "[1] 《MySQL 无法连接》 `docs/mysql/connect-failed.md` — …"}]
    found = resolver.resolve("还要检查别的吗", thread_of(history, resolver))
    assert found.standalone == "MySQL 无法连接 实例 还要检查别的吗"  # not "HY000", "3306" or the address


def test_an_asking_word_before_dou_says_any_and_leaves_a_description() -> None:
    from graph.followup import FollowUps, thread_of
    from graph.questions import domain_terms

    resolver = FollowUps(domain_terms({"mysql", "只读", "存储空间"}))
    sources = ("**参考来源**\n[1] 《error-codes》 `tables/error-codes.csv` — …\n"
               "[2] 《存储空间满导致只读》 `docs/mysql/storage-full.md` — …")
    history = [{"role": "user", "content": "MySQL 实例突然什么都写不进去了 只能查询"},  # 什么都: "anything"
               {"role": "assistant", "content": f"存储写满后实例会被设为只读。[2]\n\n{sources}"}]
    found = resolver.resolve("那我先删掉一些历史数据可以吗", thread_of(history, resolver))
    # the answer's page names the subject (a table's file name does not)
    assert found.standalone == "存储空间满导致只读 MySQL 实例 我先删掉一些历史数据可以吗"


def test_spoken_asks_split_a_message_into_its_questions(demo_knowledge) -> None:
    from tests.graph.conftest import make_context

    copilot = Copilot(make_context(demo_knowledge))
    # "…会变不" asks like 会不会变; "有啥不一样" like 有什么不同 — but "啥都" means "anything"
    found = copilot.ask("云服务器欠费停机了数据还在吗 公网ip会变不", "s1")
    assert found.sub_questions == ["云服务器欠费停机了数据还在吗", "公网ip会变不"]
    found = copilot.ask("SSD 云盘和高性能云盘有啥不一样，哪个适合放数据库", "s2")
    assert found.sub_questions == ["SSD 云盘和高性能云盘有啥不一样", "哪个适合放数据库"]
    found = copilot.ask("云服务器上啥都装不了，yum 一直报错", "s3")
    assert len(found.sub_questions) == 1
    found = copilot.ask("云服务器我也不知道是啥规格，在哪能查到", "s4")  # 不知道 + 啥: said, not asked
    assert len(found.sub_questions) == 1


def test_after_a_follow_up_its_own_standalone_is_what_the_next_one_leans_on() -> None:
    from graph.followup import FollowUps, thread_of
    from graph.questions import domain_terms

    resolver = FollowUps(domain_terms({"cdn", "刷新", "ssh"}))
    sources = "\n\n**参考来源**\n[1] 《{}》 `{}` — …"
    history = [{"role": "user", "content": "cdn 上的图片更新了，用户访问到的还是原来那张"},
               {"role": "assistant", "content": "提交 URL 刷新。[1]" + sources.format("CDN 缓存规则与刷新", "a.md"),
                "questions": ["cdn 上的图片更新了，用户访问到的还是原来那张"], "decision": "new_topic", "focus": [""]},
               {"role": "user", "content": "这个要去控制台哪里弄"},
               {"role": "assistant", "content": "控制台 刷新预热。[1]" + sources.format("SSH 无法登录排查", "b.md"),
                "questions": ["CDN 缓存规则与刷新 要去控制台哪里弄"], "decision": "follow_up", "focus": [""]}]
    found = resolver.resolve("每天能刷多少条", thread_of(history, resolver))
    # the follow-up's own standalone, not the title of whatever the last reply cited
    assert found.decision == "follow_up" and found.standalone.startswith("CDN") and "SSH" not in found.standalone


def test_a_value_ask_about_zhege_takes_the_topic_of_the_title_it_asks_about() -> None:
    from graph.answered import asked_part

    assert asked_part("CDN 缓存规则与刷新", "这个每天能刷几次", "CDN") == "CDN 刷新"
    assert asked_part("弹性公网 IP 绑定与带宽", "带宽最大能调多少", "弹性公网 IP") == "弹性公网 IP 带宽"
    # words shared with no topic, or a title of one topic: the title as it is
    assert asked_part("创建与共享自定义镜像", "做好的能给别的账号用吗", "自定义镜像") == "创建与共享自定义镜像"
    assert asked_part("磁盘空间满排查", "以后咋清", "磁盘") == "磁盘空间满排查"


def test_a_value_ask_after_a_described_problem_is_about_the_answers_topic(demo_knowledge) -> None:
    from graph.service import Copilot
    from tests.graph.conftest import make_context

    copilot = Copilot(make_context(demo_knowledge))
    copilot.ask("cdn 上的文件更新了 用户打开还是旧的", "s1")
    found = copilot.ask("这个每天能刷几次", "s1")
    assert found.standalone == ["CDN 刷新 每天能刷几次"], found.standalone
    assert "2000" in found.answer  # the refresh quota, not the default cache rules
