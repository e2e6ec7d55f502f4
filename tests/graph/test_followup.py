"""Follow-up or new topic, deterministically: what each kind of reference resolves to."""

from __future__ import annotations

import pytest

from graph.followup import FollowUps, pointer_of, thread_of
from graph.questions import domain_terms
from graph.substitution import substitute
from graph.subject import DomainTerms

TERMS = domain_terms({"云服务器", "安全组", "云数据库 mysql", "mysql", "redis", "ssh", "cdn", "负载均衡", "健康检查",
                      "对象存储", "存储桶", "预签名 url", "nginx", "慢查询", "max_connections", "wait_timeout"})
RESOLVER = FollowUps(TERMS)


def turn(question: str, answer: str) -> list[dict]:
    return [{"role": "user", "content": question}, {"role": "assistant", "content": answer}]


def resolve(message: str, history: list[dict]):
    return RESOLVER.resolve(message, thread_of(history, RESOLVER))


def test_a_pronoun_takes_the_subject_and_a_new_topic_stays_alone() -> None:
    history = turn("Redis 连接超时怎么办？", "检查安全组是否放通 6379 端口。")
    found = resolve("它的默认端口是多少？", history)
    assert found.decision == "follow_up" and "Redis" in found.standalone and "端口" in found.standalone
    found = resolve("对象存储上传报 403 怎么办？", history)
    assert found.decision == "new_topic" and found.standalone == "对象存储上传报 403 怎么办"
    found = resolve("改过端口以后还要做什么？", history)  # no subject of its own: the conversation's
    assert found.decision == "follow_up" and "Redis" in found.standalone


def test_an_elliptical_follow_up_keeps_the_quoted_error_unless_it_names_a_thing_of_its_own() -> None:
    history = turn("mysql 报 Too many connections", "连接数达到 max_connections 上限。")
    found = resolve("现在登不上去怎么处理", history)
    assert found.decision == "follow_up" and "Too many connections" in found.standalone
    # "默认端口" / "白名单" are things of the product, not of the error: the error stays behind
    history = turn("SSH 连不上，一直 Connection timed out", "连接超时通常是网络层不通：检查安全组是否放通 TCP 22。")
    assert "timed out" not in resolve("那默认端口是多少？", history).standalone
    history = turn("内网机器没有公网ip yum install 一直超时", "创建 NAT 网关并配置路由。")
    assert "ip yum install" not in resolve("去哪配置", history).standalone  # words, not a quoted error


def test_a_condition_with_an_ask_of_its_own_is_no_ellipsis() -> None:
    history = turn("云盘怎么扩容", "在控制台扩容，再扩展分区和文件系统。")
    found = resolve("要是扩多了还能改小回去吗", history)
    # the subject and the how-to's action, not the previous ask ("…：云盘怎么扩容")
    assert found.decision == "follow_up" and found.standalone == "云盘 扩容 要是扩多了还能改小回去吗"
    assert resolve("如果是 Redis 呢", history).focus == "Redis"  # an ellipsis still swaps


def test_a_how_to_subject_keeps_its_action_but_not_a_generic_verb() -> None:
    assert RESOLVER.subject("CDN 怎么刷新缓存") == "CDN 刷新缓存"
    assert RESOLVER.subject("慢查询怎么看") == "慢查询" and RESOLVER.subject("安全组怎么配置") == "安全组"
    assert RESOLVER.subject("SSH 连接超时怎么办") == "SSH 连接超时"


def test_a_trailing_pronoun_takes_the_problem_without_its_ask_and_x_de_hua_is_an_ellipsis() -> None:
    history = turn("SSL 证书过期了怎么办", "续期后重新部署证书。")
    assert "怎么办" not in resolve("为啥会这样", history).standalone
    found = resolve("Windows 的话怎么弄", history)
    # an OS is a case of the question, never its subject's replacement
    assert found.decision == "follow_up" and found.focus == "Windows" and "SSL 证书过期" in found.standalone


def test_an_opener_starts_a_new_topic_even_without_a_subject() -> None:
    history = turn("CDN 刷新多久生效？", "一般 5 分钟内生效。")
    assert resolve("顺便问下，发票怎么开", history).standalone == "发票怎么开"
    assert RESOLVER.resolve("发票怎么开", thread_of(history, RESOLVER), fresh=True).decision == "new_topic"


@pytest.mark.parametrize("message", ["它的端口是多少？", "这个参数在哪改？", "第二个方法具体怎么做？", "那 Windows 的呢？",
                                     "那 4核8G 的是多少"])
def test_nothing_to_resolve_against_means_one_clarifying_question(message: str) -> None:
    found = resolve(message, [])
    assert found.decision == "clarify" and found.standalone
    assert pointer_of(message)


def test_a_question_that_names_its_own_referent_needs_no_clarification() -> None:
    assert resolve("这个报错 ERROR 1045 怎么解决", []).decision == "new_topic"


@pytest.mark.parametrize("message", [
    "ssh 连不上是什么原因呢",                       # 呢 after a question of its own
    "云数据库 MySQL 和 Redis 有什么区别呢",
    "第三方框架连 MySQL 报 1045",                    # 第三方 is no list item
    "最后提交的时候 Redis 报 OOM command not allowed",  # nor is 最后
    "安全组配了 1 天后删除 第二天看规则还在",
    "健康检查读到的是旧状态 CDN 一直回源",          # "X 的是…" with subjects of its own
    "这台机器环境调好了，想做成模板以后批量开新机器用，怎么弄",  # 这台/这块: the user's own thing
    "这块盘挂上去以后 df 里看不到",
])
def test_a_first_question_with_its_own_subject_is_not_clarified(message: str) -> None:
    assert resolve(message, []).decision == "new_topic"


def test_the_answer_to_a_clarification_completes_the_question() -> None:
    history = [{"role": "user", "content": "它的端口是多少？"},
               {"role": "assistant", "content": "您说的“它”具体指什么？", "questions": ["它的端口是多少"],
                "decision": "clarify"}]
    found = resolve("云数据库 MySQL 的", history)
    assert found.decision == "follow_up" and "MySQL" in found.standalone and "端口" in found.standalone


def test_ellipsis_swaps_the_counterpart_of_the_same_kind() -> None:
    history = turn("Ubuntu 云服务器怎么开启 root 登录？", "编辑 sshd_config，把 PermitRootLogin 改为 yes。")
    found = resolve("那 Debian 呢", history)
    assert "Debian" in found.standalone and "Ubuntu" not in found.standalone and "root" in found.standalone
    history = turn("mysql 2核4G 的 max_connections 默认多少", "2000。")
    found = resolve("16核64G的呢", history)
    assert "16核64G" in found.standalone and "2核4G" not in found.standalone and "max_connections" in found.standalone


def test_consecutive_ellipses_replace_the_same_slot() -> None:
    history = turn("CDN URL 刷新每天限额多少？", "URL 刷新每天 2000 条。") + [
        {"role": "user", "content": "目录刷新呢"},
        {"role": "assistant", "content": "目录刷新每天 100 个。", "questions": ["CDN 目录刷新每天限额多少"],
         "decision": "follow_up", "focus": ["swap:目录刷新"]}]
    found = resolve("预热呢", history)
    assert "预热" in found.standalone and "目录刷新" not in found.standalone and "CDN" in found.standalone


def test_an_ordinal_points_into_the_list_of_the_previous_answer() -> None:
    answer = "可以这样排查：1. 查看健康检查状态；2. 直接访问后端；3. 检查后端 Nginx 的 keepalive_timeout。"
    history = turn("负载均衡返回 502 怎么查？", answer)
    found = resolve("第三步具体怎么改", history)
    assert "keepalive_timeout" in found.standalone and "健康检查" not in found.standalone
    found = resolve("最后那个呢", history)
    assert "keepalive_timeout" in found.standalone


def test_a_named_item_of_the_previous_answer() -> None:
    history = turn("MySQL 连接老被断开？", "服务端会按 wait_timeout 回收空闲连接，默认 28800 秒。")
    found = resolve("这个参数改小会有什么影响", history)
    assert found.decision == "follow_up" and "wait_timeout" in found.standalone and found.kind == "named"
    then = resolve("改完要重启吗", history + [{"role": "user", "content": "这个参数改小会有什么影响"},
                                          {"role": "assistant", "content": "…", "questions": [found.standalone],
                                           "decision": "follow_up", "focus": [found.encoded]}])
    assert "wait_timeout" in then.standalone and "MySQL" in then.standalone


def test_a_bare_request_carries_the_problem_and_a_trailing_pronoun_the_topic() -> None:
    history = turn("云服务器 SSH 一直连接超时", "先检查安全组。")
    assert resolve("帮我排查一下", history).standalone.startswith("云服务器 SSH 一直连接超时")
    found = resolve("安全组没问题为啥还会这样", history)
    assert "SSH" in found.standalone


def test_the_standalone_question_is_never_empty() -> None:
    history = turn("CDN 是什么？", "内容分发网络。")
    for message in ("？", "那呢", "它", "第一个", "嗯"):
        assert resolve(message, history).standalone.strip()


def test_substitute_reports_when_nothing_matches() -> None:
    assert substitute("Linux 怎么查看端口", "Windows", TERMS) == ("Windows 怎么查看端口", True)
    assert substitute("签名怎么对比", "中文对象名", TERMS)[1] is False


def test_a_facet_word_does_not_replace_a_word_of_another_facet() -> None:
    terms = DomainTerms(["数据盘", "windows", "cdn", "redis"])
    # the data disk on Windows, not "Windows" in place of the data disk
    assert substitute("新挂的数据盘在系统里找不到", "Windows", terms) == ("新挂的数据盘在系统里找不到", False)
    assert substitute("CDN 怎么刷新缓存", "redis", terms) == ("redis 怎么刷新缓存", True)


def test_an_instance_family_replaces_the_instance_type_and_keeps_the_shared_constraint() -> None:
    terms = DomainTerms(["内存型", "标准型"])
    assert substitute("S5.2xlarge 是几核几G 包转发多少", "同样 8 核的内存型", terms) == (
        "8 核的内存型 是几核几G 包转发多少", True)
    assert substitute("ecs.c6.large 多少钱一个月", "内存型", terms) == ("内存型 多少钱一个月", True)
    history = turn("m5.xlarge 内存多大", "16 GiB。")
    found = resolve("一样 4 核的计算型呢", history)
    assert found.decision == "follow_up" and found.standalone == "4 核的计算型 内存多大"


def test_two_shared_letters_make_no_counterpart() -> None:
    previous = "扩分区报 NOCHANGE: partition 1 it cannot be grown"  # "wn" of grown is not Windows
    assert substitute(previous, "Windows 实例", DomainTerms(["windows"])) == (previous, False)
    assert substitute("Connection timed out 怎么办", "Connection refused", DomainTerms([]))[0] == \
        "Connection refused 怎么办"  # a shared first word still is


def test_a_facet_of_the_quoted_error_keeps_the_error() -> None:
    history = turn("mysql 报 Too many connections 怎么办", "连接数达到 max_connections 上限。")
    for message in ("上限到底是多少", "默认值是多少", "一般多久能恢复"):
        found = resolve(message, history)
        assert found.decision == "follow_up" and "Too many connections" in found.standalone, message
    resolver = FollowUps(domain_terms({"mysql", "max_connections", "白名单", "上限"}))  # 上限: a term of the base
    assert "Too many connections" in resolver.resolve("上限到底是多少", thread_of(history, resolver)).standalone
    for message in ("那默认端口是多少？", "白名单在哪加"):  # things of the product: the error stays behind
        found = resolver.resolve(message, thread_of(history, resolver))
        assert "Too many connections" not in found.standalone, message


def test_a_swap_keeps_the_constraint_it_says_stays_the_same() -> None:
    history = turn("ssd云盘 500G 的 IOPS 能到多少", "SSD 云盘 500G 的 IOPS 为 …")
    found = resolve("那换成极速ssd 同样500G呢", history)
    assert found.decision == "follow_up" and found.standalone == "极速ssd云盘 500G 的 IOPS 能到多少", found
    assert found.focus == "极速ssd"


def test_the_same_constraint_said_again_leans_on_the_previous_question() -> None:
    resolver = FollowUps(domain_terms({"标准型", "计算型", "内存", "云服务器"}))
    history = turn("标准型 S5 4 核的内存是多少", "S5.xlarge：vCPU 4；内存 16 GiB。")
    found = resolver.resolve("那同样 4 核的计算型，内存给多大", thread_of(history, resolver))
    assert found.decision == "follow_up" and found.standalone == "4 核的计算型，内存给多大", found
    found = resolver.resolve("那同样 4 核，按量付费一个月多少钱", thread_of(history, resolver))
    assert found.decision == "follow_up" and "标准型" in found.standalone and "同样" not in found.standalone, found
    # without 同样 a question naming its own case stands alone
    assert resolver.resolve("计算型 4 核的内存给多大", thread_of(history, resolver)).decision == "new_topic"


def test_a_thing_of_its_own_leaves_the_quoted_error_code_of_the_subject_behind() -> None:
    resolver = FollowUps(domain_terms({"rds", "白名单", "error 2003"}))
    history = turn("新建的rds连不上报ERROR 2003 (110)", "请检查白名单。")
    found = resolver.resolve("白名单在控制台哪改", thread_of(history, resolver))
    assert found.decision == "follow_up" and found.standalone == "rds 白名单在控制台哪改", found
    assert "ERROR 2003" in resolver.resolve("一般多久能恢复", thread_of(history, resolver)).standalone


def test_it_with_a_verb_of_the_answers_step_is_the_thing_that_step_creates() -> None:
    resolver = FollowUps(domain_terms({"nat 网关", "eip", "弹性公网 ip", "secret"}))
    answer = ("1. **创建 NAT 网关**[1]\n   1. 选择所属 VPC 和规格。\n   2. 绑定一个或多个弹性公网 IP。\n"
              "2. **配置 SNAT 规则**\n   新增规则。")
    history = turn("没有公网 IP 的服务器怎么访问外网？", answer)
    found = resolver.resolve("它必须绑 EIP 吗？", thread_of(history, resolver))
    assert found.decision == "follow_up" and found.standalone == "NAT 网关 必须绑 EIP 吗", found
    history = turn("ImagePullBackOff，event 里是 pull access denied",
                   "需要在 Pod 所在的命名空间里创建 docker-registry 类型的 Secret，并在工作负载里引用它。")
    assert resolver.resolve("它要建在哪儿？", thread_of(history, resolver)).standalone.startswith("Secret")
    # a verb the step never uses: the conversation's subject, as before
    assert "NAT" not in resolver.resolve("它要收费吗", thread_of(turn("没有公网 IP 的服务器怎么访问外网？", answer),
                                                                 resolver)).standalone


def test_a_facet_said_as_an_aside_before_a_problem_question_is_left_out() -> None:
    found = resolve("Too many connections 上限 现在登不上去怎么处理", [])
    assert found.decision == "new_topic" and found.standalone == "Too many connections 现在登不上去怎么处理"
    history = turn("mysql 报 Too many connections", "连接数达到 max_connections 上限。")
    found = resolve("上限 现在登不上去怎么处理", history)
    assert found.decision == "follow_up" and "上限" not in found.standalone and "Too many connections" in found.standalone
    # the facet is what is asked about: it stays
    assert "上限" in resolve("连接数 上限 怎么调", []).standalone
    assert "上限" in resolve("mysql 上限 是多少", []).standalone


STEPS = """1. **在控制台扩容**[2]
   1. 登录控制台，进入 **云服务器 > 云盘**。
2. **在系统内确认新容量**
   ```bash
   lsblk
   ```
3. **扩展分区**
   使用 `growpart` 扩展分区。[2]
   ```bash
   growpart /dev/vda 1
   ```
4. **扩展文件系统**
   ext4 用 `resize2fs /dev/vdb1`。
"""


def test_a_named_thing_of_a_step_resolves_to_what_that_step_shows() -> None:
    # the step's own command, not the first command the answer names; the lead sentence also says 扩展分区
    history = turn("云盘扩容的步骤", "扩容后要在系统内用 growpart 扩展分区，再用 resize2fs 扩展文件系统。\n" + STEPS)
    found = resolve("第三步那个命令什么意思", history)
    assert found.decision == "follow_up" and "扩展分区" in found.standalone and "命令 growpart" in found.standalone
    assert "个命令" not in found.standalone
    assert "resize2fs" in resolve("第四步的命令是干嘛的", history).standalone


def test_you_said_is_not_part_of_the_resolved_item() -> None:
    history = turn("mysql 慢查询怎么开启", "把 `long_query_time` 设为 1，并开启 `slow_query_log`。")
    found = resolve("你说的那个参数在哪改", history)
    assert found.decision == "follow_up" and not found.standalone.startswith("你说的"), found.standalone


def test_words_of_time_are_no_pronouns_and_english_verbs_no_topics_of_their_own() -> None:
    from graph.cues import LEAD_PRONOUN, PRONOUN

    assert not LEAD_PRONOUN.match("这个月刚花的钱现在能开吗") and not PRONOUN.search("这个月刚花的钱现在能开吗")
    assert LEAD_PRONOUN.match("这个一天能刷多少次")
    history = turn("mysql 突然写不进去 报 super-read-only", "存储空间满了，实例被设为只读。")
    found = resolve("那我先 delete 掉点旧数据腾空间行不行", history)  # "delete" is a word, not a product
    assert found.decision == "follow_up" and "mysql" in found.standalone.lower()


def test_a_follow_up_after_a_pasted_error_keeps_the_product_not_the_error_code() -> None:
    history = turn("新建的库连不上 ERROR 2003 (HY000): Can't connect to MySQL server on '10.0.1.8:3306' (110)",
                   "把客户端 IP 加入白名单。")
    found = resolve("白名单在控制台哪加", history)
    assert found.decision == "follow_up" and found.standalone.startswith("MySQL") and "HY000" not in found.standalone


def test_x_side_of_the_problem_is_a_follow_up_with_the_problem() -> None:
    history = turn("java 调我们接口报 PKIX path building failed，浏览器打开倒是正常的", "服务器没有发送中间证书。")
    found = resolve("nginx 那边具体该怎么配", history)
    assert found.decision == "follow_up" and "PKIX path building failed" in found.standalone
    assert "nginx" in found.standalone


def test_a_negation_is_no_typo() -> None:
    from graph.spelling import SpellingFixer
    from graph.thread import Thread

    fixer = SpellingFixer.from_counts({"补充": 5000, "服务器": 5000}, set())
    # the fixer alone reads 不 beside the word 充 as two words too (graph.spelling: a grammatical character)
    assert fixer.correct("要是一直不充呢") == "要是一直不充呢"
    resolver = FollowUps(TERMS, None, fixer)
    assert resolver.resolve("要是一直不充呢", Thread()).standalone.startswith("要是一直不充")
    assert resolver.resolve("服务气连不上", Thread()).standalone.startswith("服务器")  # a real typo still


def test_x_with_its_own_qualifier_replaces_the_previous_qualifier_too() -> None:
    """"那默认安全组呢" after "新建的安全组…": 新建的 is the previous question's, not the new one's."""
    assert substitute("新建的安全组默认放行哪些端口", "默认安全组", TERMS) == ("默认安全组默认放行哪些端口", True)
    found = resolve("那默认安全组呢", turn("新建的安全组默认放行哪些端口", "新建的安全组默认拒绝所有入方向流量。"))
    assert found.standalone == "默认安全组默认放行哪些端口"
    # a qualifier X does not bring stays ("那 ssh 呢" keeps 新建的)
    assert substitute("新建的安全组怎么放行 rdp", "ssh", TERMS)[0] == "新建的安全组怎么放行 ssh"


def test_so_that_it_does_not_happen_again_asks_about_the_problem_without_splicing_it_in() -> None:
    history = turn("ssh 连接超时了", "检查安全组是否放通 TCP 22。")
    found = resolve("以后安全组该怎么配才不会这样", history)
    assert found.decision == "follow_up" and found.standalone.endswith("以后安全组该怎么配")
    assert "ssh" in found.standalone.lower() and "不会" not in found.standalone
    found = resolve("为啥也会导致这个", history)  # no purpose clause: the problem in place of the pointer
    assert found.standalone.startswith("为啥也会导致ssh 连接超时")


def test_a_word_said_twice_in_a_row_is_said_once() -> None:
    history = turn("mysql 慢查询怎么看", "开启慢查询日志。")
    assert "慢查询 日志在哪" in resolve("慢查询 慢查询 日志在哪", history).standalone
    assert "vdb 1 1" in resolve("growpart /dev/vdb 1 1 报错", history).standalone  # not a word: kept


def test_declared_product_names_give_their_words_as_things():
    from graph.questions import product_words

    words = product_words(["对象存储 SOS", "网络 ACL", "CDN 内容分发", "云盘", "费用中心"])
    assert words == {"对象存储", "sos", "acl", "cdn", "内容分发", "费用中心"}  # 网络 and 云盘: too short to be a name


@pytest.mark.parametrize(("previous", "new", "expected"), [
    ("ERROR 1045 (28000): Access denied for user 'root'@'localhost'", "1040", "ERROR 1040"),
    ("ERROR 1045: Access denied 怎么处理", "1040", "ERROR 1040 怎么处理"),
    ("cdn 回源 502 Bad Gateway 怎么办", "504", "cdn 回源 504 怎么办"),
    ("mysql 报 ERROR 1045 怎么办", "1040", "mysql 报 ERROR 1040 怎么办"),
    ("安全组放行了 8080 端口还是不通", "3306", "安全组放行了 3306 端口还是不通"),
])
def test_another_error_code_replaces_the_old_errors_message(previous: str, new: str, expected: str) -> None:
    # the old code's SQLSTATE and text are its own: "1040 (28000): Access denied…" asks about 1045 again
    assert substitute(previous, new, DomainTerms(["mysql", "cdn"])) == (expected, True)
