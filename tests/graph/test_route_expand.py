"""route and query expansion: patterns, runbook intent, the model's route and keywords."""

from __future__ import annotations

from graph.expansion import expand_query, synonym_query, synonym_terms
from graph.extractive import extractive_units
from graph.nodes.route import route_one
from models.llm.scripted import ScriptedLLM
from tests.graph.conftest import ask_turns, make_context


def test_colloquial_words_get_documentation_terms():
    assert synonym_terms("SSH 连不上") == ["无法连接", "连接失败", "连接超时"]
    assert synonym_query("安全组不生效").startswith("安全组不生效 ")
    assert synonym_query("CPU 使用率多少") == "CPU 使用率多少"
    # only what holds data fills up: a full disk is short of space, a full connection count is not
    assert all("空间不足" in synonym_terms(q) for q in ("云盘满了", "存储空间满了", "MySQL 存储写满了会怎样"))
    assert synonym_terms("mysql 连接数满了怎么办") == []


def test_a_service_stopped_for_arrears_is_what_the_pages_call_it(keyword_demo):
    assert synonym_terms("欠费停机了数据会丢吗") == ["停服"]
    # the base writes 停服: without the term the arrears page was rejected and "not found" answered
    result = ask_turns(keyword_demo, "arrears-stop", "欠费停机了数据会丢吗")
    assert "15 天" in result["answer"], result["answer"]
    assert any(c["source"] in ("docs/billing/arrears.md", "faq/faq.jsonl") for c in result["citations"])


def test_a_one_character_key_is_a_word_of_its_own_and_stuck_is_not_slow():
    assert "延迟" in synonym_terms("服务器cpu占满了很卡")
    assert synonym_terms("网卡配置好像被我改坏了") == []  # 卡 inside 网卡
    assert synonym_terms("pod 状态一直卡在 Waiting 起不来") == []  # stuck at a step, not slow
    assert synonym_terms("实例重启卡住怎么办") == []


def test_model_keywords_are_added_and_junk_is_ignored(fake_kb):
    good = make_context(fake_kb, ScriptedLLM(["max_connections 连接数 上限"]))
    assert expand_query(good, "数据库连不上了").endswith("max_connections 连接数 上限")
    chatty = make_context(fake_kb, ScriptedLLM(["好的，下面是我为您整理的关于这个问题的非常详细的检索关键词列表以及说明"]))
    assert expand_query(chatty, "CPU 100%") == "CPU 100%"


def test_general_pattern_and_knowledge_default(context):
    assert route_one(context, "把这句报错翻译成中文：Connection timed out", "demo", False, True)["route"] == "general"
    assert route_one(context, "安全组规则不生效怎么办", "demo", False, True)["route"] == "knowledge"


def test_off_domain_part_of_a_multi_question_message_is_refused(context):
    assert route_one(context, "红烧肉怎么做才好吃", "demo", True, True)["route"] == "refuse"


def test_knowledge_first_runbook_only_when_asked_for_or_given_its_target(context, runbook_engine):
    context.runbooks = runbook_engine
    for symptom in ("磁盘满了", "磁盘满了怎么办", "磁盘满了 No space left on device"):
        decision = route_one(context, symptom, "demo", False, True)
        assert decision["route"] == "knowledge" and decision["runbook_hint"] == "disk-cleanup", symptom
    assert route_one(context, "帮我排查磁盘满了怎么办", "demo", False, True)["route"] == "runbook"
    assert route_one(context, "磁盘满了，带我一步步查", "demo", False, True)["route"] == "runbook"
    assert route_one(context, "磁盘满了，troubleshoot it", "demo", False, True)["route"] == "runbook"  # the English offer's reply
    assert route_one(context, "帮我排查磁盘满了", "demo", False, runbook_free=False)["route"] == "knowledge"
    assert route_one(context, "10.0.0.8 磁盘满了", "demo", False, True)["route"] == "runbook"  # a host to check
    assert route_one(context, "10.0.0.8 磁盘满了怎么办？", "demo", False, True)["route"] == "knowledge"  # a question
    assert route_one(context, "磁盘满了，0.0.0.0/0 放行了", "demo", False, True)["route"] == "knowledge"


def test_a_pasted_error_is_answered_and_offers_the_runbook_unless_asked_for(context, tmp_path, fake_kb):
    from tools.config import ToolSettings
    from tools.registry import build_registry
    from tools.runbooks import RunbookEngine, load_runbooks

    context.runbooks = RunbookEngine(load_runbooks(), build_registry(ToolSettings(), tmp_path / "tools", knowledge=fake_kb),
                                     knowledge=fake_kb)
    error = "ERROR 1045 (28000): Access denied for user 'app'@'10.0.0.5' (using password: NO)"
    for pasted in (error, f"{error} how do I fix it", f"{error}\n这个怎么解决"):
        decision = route_one(context, pasted, "demo", False, True)
        assert decision["route"] == "knowledge" and decision["runbook_hint"] == "mysql-connect-failed", pasted
    assert route_one(context, f"帮我排查一下 {error}", "demo", False, True)["route"] == "runbook"
    # a question about a target is answered (and offers the check); a report of a problem with it starts the check
    asked = route_one(context, "shop.acme-corp.cn 证书过期了怎么办？", "demo", False, True)
    assert asked["route"] == "knowledge" and asked["runbook_hint"] == "certificate-problem"
    assert route_one(context, "shop.acme-corp.cn 证书过期了", "demo", False, True)["route"] == "runbook"
    # a host to check outside the error's quoted words is a target: the check starts
    assert route_one(context, "ssh: connect to host 203.0.113.10 port 22: Connection timed out", "demo", False,
                     True)["route"] == "runbook"


def test_a_question_for_a_value_definition_or_comparison_gets_no_runbook_offer(context, runbook_engine):
    context.runbooks = runbook_engine
    for asked in ("磁盘满了默认多少会告警", "磁盘满了和 inode 满了有啥区别", "磁盘空间满是啥意思"):
        decision = route_one(context, asked, "demo", False, True)
        assert decision["route"] == "knowledge" and not decision.get("runbook_hint"), asked
    for problem in ("磁盘空间满了为啥", "磁盘空间满了是什么原因", "磁盘满了怎么处理"):
        assert route_one(context, problem, "demo", False, True).get("runbook_hint") == "disk-cleanup", problem


def test_a_target_starts_a_runbook_and_a_pasted_error_line_alone_does_not():
    from tools.runbooks import load_runbooks
    from graph.targets import gives_target, is_error_line, names_a_host, ready_to_start

    books = load_runbooks()
    ssh, mysql, cert = books["ssh-rdp-cannot-connect"], books["mysql-connect-failed"], books["certificate-problem"]
    assert gives_target(ssh, "203.0.113.10 远程连不上了")
    assert gives_target(ssh, "ssh: connect to host 203.0.113.10 port 22: Connection timed out")
    assert not gives_target(ssh, "SSH 连不上，一直 Connection timed out")
    assert not gives_target(mysql, "Access denied for user 'app'@'10.0.1.23' 密码确认没错")  # quoted: the error's words
    assert not gives_target(cert, "买了 *.example.com 的通配符证书 访问 example.com 报 COMMON_NAME_INVALID")
    assert gives_target(cert, "shop.acme-corp.cn 证书过期了")
    assert is_error_line("ERROR 1040 (HY000): Too many connections")
    assert not is_error_line("磁盘满了 No space left on device") and not is_error_line("Why is the connection refused?")
    assert not is_error_line("ERROR 1045 (28000): Access denied for user 'app'@'10.0.0.5' how do I fix it")
    assert not ready_to_start(books["mysql-too-many-connections"], "ERROR 1040 (HY000): Too many connections")
    assert ready_to_start(ssh, "ssh: connect to host 203.0.113.10 port 22: Connection timed out")
    assert not ready_to_start(books["mysql-too-many-connections"], "mysql 报 1040 咋整")
    # an API error code written like a domain is looked up, not checked as a host
    assert not gives_target(cert, "建 HTTPS 监听器时报 CLB.CertificateNotFound")
    assert not names_a_host("创建实例报 SCS.QuotaExceeded") and names_a_host("SCS.QuotaExceeded 后 shop.acme.cn 打不开")


def test_words_of_an_error_are_not_a_target():
    from tools.runbooks import load_runbooks
    from graph.targets import gives_target, names_a_host

    books = load_runbooks()
    mysql = books["mysql-connect-failed"]
    # the apostrophe of "Can't" opens no quote, so the quoted address stays the error's own words
    assert not gives_target(mysql, "应用连 mysql 报 Can't connect to MySQL server on '10.0.1.8' (110)")
    assert gives_target(mysql, "Can't connect to MySQL server on 10.0.1.8 (110)")
    # error codes and file names are not hosts to check
    assert not names_a_host("sscli 创建 CLB 监听器报 CLB.PortConflict")
    assert not names_a_host("改了 my.cnf 和 nginx.conf 以后起不来")
    assert names_a_host("shop.acme-corp.cn 打不开了")


def test_a_started_runbook_takes_the_pasted_error_instead_of_asking_for_it(tmp_path, fake_kb):
    from tools.config import ToolSettings
    from tools.registry import build_registry
    from tools.runbooks import RunbookEngine, load_runbooks

    engine = RunbookEngine(load_runbooks(), build_registry(ToolSettings(), tmp_path / "tools", knowledge=fake_kb),
                           knowledge=fake_kb)
    pasted = engine.start("mysql-too-many-connections", "帮我排查一下 ERROR 1040 (HY000): Too many connections",
                          "s1", "agent")
    assert "ERROR 1040" in pasted.slots["error_text"]
    state, outputs = engine.advance(pasted)
    assert not any(o.kind == "ask" and "报错信息" in o.text for o in outputs), [o.text for o in outputs]
    assert any(o.kind == "tool" for o in outputs)  # the log analysis ran on the pasted line
    asked = engine.start("mysql-too-many-connections", "帮我排查 mysql 连接满了", "s2", "agent")
    state, outputs = engine.advance(asked)
    assert asked.slots.get("error_text") is None and outputs[-1].kind == "ask" and "报错信息" in outputs[-1].text


def test_a_database_access_denied_is_the_database_runbook(tmp_path, fake_kb):
    from tools.config import ToolSettings
    from tools.registry import build_registry
    from tools.runbooks import RunbookEngine, load_runbooks

    engine = RunbookEngine(load_runbooks(), build_registry(ToolSettings(), tmp_path / "tools", knowledge=fake_kb))
    for pasted in ("Access denied for user 'root'@'localhost'",
                   "ERROR 1045 (28000): Access denied for user 'app'@'10.0.1.23' (using password: YES)"):
        assert engine.match(pasted)[0] == "mysql-connect-failed", pasted  # not the object-storage 403 flow
    assert engine.match("<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>")[0] \
        == "object-storage-403"


def test_model_route_is_used_when_parseable(fake_kb):
    ctx = make_context(fake_kb, ScriptedLLM(["GENERAL"], cycle=True))
    decision = route_one(ctx, "CPU 100% 怎么排查", "demo", False, True)
    assert decision["route"] == "general" and decision["reason"] == "model"
    ctx = make_context(fake_kb, ScriptedLLM(["这个问题嘛，看情况"], cycle=True))
    assert route_one(ctx, "CPU 100% 怎么排查", "demo", False, True)["reason"] == "pattern"


def test_link_lists_do_not_answer():
    links = {"title": "相关文档", "heading_path": [], "kind": "doc", "chunk_id": "l",
             "text": "- [CPU 使用率 100% 排查](cpu-high.md)\n- [内存不足与 OOM 排查](memory-oom.md)"}
    body = {"title": "内存不足与 OOM 排查", "heading_path": ["定位"], "kind": "doc", "chunk_id": "b",
            "text": "记下被杀进程的名称、PID 和当时的 anon-rss。\n\n```bash\ndmesg -T | grep -i oom\n```"}
    units = extractive_units("云服务器 OOM 了怎么排查", [body, links])
    assert units and all(u["cites"] == [1] for u in units)
    assert any("dmesg" in u["text"] for u in units) and not any("cpu-high.md" in u["text"] for u in units)


def test_spoken_operations_words_get_the_terms_operations_pages_write():
    assert synonym_terms("deployment 新版本有问题 想退回上一版") == ["回滚"]
    assert synonym_terms("想给服务限流 每秒最多放多少请求") == ["速率限制", "限速"]
    assert synonym_terms("pod 被赶出来了") == ["驱逐"]
    assert synonym_terms("能不能抓包看看是不是明文") == ["tcpdump"]
    # 赶 is a word of its own only: 赶紧 is hurrying, nothing is evicted
    assert synonym_terms("赶紧看看日志") == []
    # a term the question already writes is not added again
    assert synonym_terms("限流和速率限制有啥区别") == ["限速"]
