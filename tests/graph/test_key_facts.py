"""The extractive answer holds the key fact of the page it cites (issue #12) — one test per rule, on
built pages or the demo base; each fails on main 7711efa. Rules: an example brings its rule
(graph/paragraphs.illustrated), a check step comes with its command (doc_order, section_answer.step_check),
a console path answers "在控制台哪" (value_fact), a causes table no row of which names the problem is whole
(section_answer.NAMED_ROW), a check's verdict brings its fix row (fixes), "改过…后还要做什么" skips the
entry's opening fact (faq_entry.after_the_fact), a step's first command is not replaced by an
alternative (step_outline), "从 A 到 B 要多久" gets the span (value_fact.SPAN), and steps chosen for a
problem show their first way (section_answer)."""

from __future__ import annotations

from knowledge.types import Passage
from tests.graph.fakes import extractive_answer


def doc(chunk_id: str, source: str, title: str, heads: list[str], text: str) -> Passage:
    return Passage(chunk_id=chunk_id, source=source, title=title, heading_path=heads, text=text, kind="doc", kb="demo",
                   meta={"indexed_text": " > ".join([title, *heads]) + "\n" + text})


def test_an_example_sentence_brings_the_rule_it_illustrates():
    page = [
        doc("u-0", "docs/iam/users.md", "子用户管理", ["用户名规则"],
            "1. 长度 4-32 个字符；\n2. 只能包含小写字母、数字和下划线；\n3. 必须以字母开头。\n\n"
            "例如 `dev_ops01` 合法；`Dev-Ops`（含大写和连字符）不合法。每个账号最多创建 500 个子用户。"),
    ]
    body = extractive_answer(page, "子用户名叫 Dev-Ops 为啥创建不了", "cause")
    assert "只能包含小写字母、数字和下划线" in body, body  # the rule, not only "例如 … 不合法"


def state(p: Passage, **meta) -> dict:
    from graph.passages import to_state

    out = to_state(p)
    out["meta"] = {**(out.get("meta") or {}), **meta}
    return out


def test_a_check_step_the_problem_matches_answers_first():
    """The problem reported matches a later troubleshooting step better than the anchor's step: that
    step answers first, with its fix (doc_order). Not kept: also showing the check command the step opens
    with (section_answer.step_check) — on a held-out twin it pushed the fix out of the budget."""
    from graph.answer_text import units_text
    from graph.extractive import extractive_units

    title = "内存占用高排查"
    causes = doc("m-1", "docs/scs/mem.md", title, ["可能原因"],
                 "1. 业务进程本身占用内存多。\n2. 页缓存占用，系统会自动回收。\n3. 内核对象没有回收，进程退出后内存不释放。")
    generic = doc("m-2", "docs/scs/mem.md", title, ["排查步骤", "2. 找到占用内存的进程"],
                  "按内存排序查看进程：\n\n```bash\nps aux --sort=-rss | head\n```\n\n"
                  "常见的占用大户：\n\n| 进程 | 说明 | 处理 |\n| --- | --- | --- |\n"
                  "| java | 堆内存设置过大或内存泄漏 | 调整 -Xmx，分析堆转储 |\n"
                  "| mysqld | InnoDB 缓冲池占用 | 调小 innodb_buffer_pool_size |\n"
                  "| redis-server | 数据集增长 | 设置 maxmemory 和淘汰策略 |\n"
                  "| php-fpm | 子进程数过多 | 调小 pm.max_children |")
    check = doc("m-3", "docs/scs/mem.md", title, ["排查步骤", "3. 检查未回收的内核对象"],
                "如果 `ps` 里找不到占用大户，多半是内核对象没有回收：\n\n```bash\nipcs -m\n```\n\n"
                "这表示停掉的服务留下的共享内存段仍然占着 8 GiB 内存。处理方法：\n\n```bash\nipcrm -m <shmid>\n```")
    passages = [state(check), state(generic), state(causes, added="causes")]
    body = units_text(extractive_units("停掉服务后共享内存段还占着 8G 内存", passages, qtype="symptom"))
    assert "ipcrm -m" in body and "ps aux" not in body.split("ipcrm -m")[0], body


def test_where_in_the_console_gets_the_path_not_a_line_naming_the_console():
    from graph.answer_text import units_text
    from graph.extractive import extractive_units

    page = doc("k-1", "docs/kafka/connect.md", "无法连接消息队列", ["解决方法"],
               "- **核对网络**：在控制台查看客户端和消息队列实例所属的 VPC，两者必须一致，否则客户端无法连接。\n"
               "- **访问列表缺失**：在实例详情页“访问控制 → 访问列表”中添加客户端网段，保存即可。")
    body = units_text(extractive_units("消息队列访问列表在控制台哪改", [state(page)], qtype="value"))
    assert "访问控制 → 访问列表" in body.splitlines()[0], body  # the path answers; the line naming the console does not


def test_a_causes_table_no_row_of_which_names_the_problem_is_given_whole():
    """A row sharing one word with the symptom ("响应") does not name the cause: the table comes whole."""
    from graph.answer_text import units_text
    from graph.extractive import extractive_units

    table = doc("g-1", "docs/gw/upstream-error.md", "API 网关返回 502", ["可能原因"],
                "| 原因 | 说明 |\n| --- | --- |\n"
                "| 后端拒绝连接 | 后端服务没启动或端口未监听 |\n"
                "| 后端地址错误 | 后端 IP 已变更，网关配置中仍是旧地址 |\n"
                "| 转发 Host 错误 | 后端按 Host 区分站点，网关转发时带的 Host 没有匹配到任何站点 |\n"
                "| 后端超时 | 后端 30 秒内没有返回响应 |")
    # evidence reads an added section with its anchor's words (the page's 现象 section)
    via = "API 网关返回 502 现象 调用接口返回 502，响应头带 via: gateway，静态页面和图片正常，直连后端访问正常"
    question = "调网关接口报 502，响应头里 via: gateway，静态页面和图片倒都正常，直连后端访问也没问题"
    body = units_text(extractive_units(question, [state(table, added="causes", via=via)], qtype="symptom"))
    assert "转发 Host 错误" in body and "后端拒绝连接" in body, body


def test_a_checks_verdict_brings_the_fix_row_for_the_cause_it_names():
    """A check step concludes "…，说明证书链不完整"; the page's fixes table (found by retrieval itself,
    not added by evidence) gives the fix for that cause."""
    from graph.answer_text import units_text
    from graph.extractive import extractive_units

    title = "客户端报证书不受信任"
    causes = doc("c-1", "docs/ssl/untrusted.md", title, ["可能原因"],
                 "1. 证书已过期。\n2. 服务器只配置了站点证书，没有配置中间证书。\n3. 使用了自签名证书。")
    steps = doc("c-2", "docs/ssl/untrusted.md", title, ["排查步骤"],
                "1. **查看证书有效期**：`openssl x509 -noout -dates -in site.crt`。\n"
                "2. **查看服务器返回的证书**：`openssl s_client -connect www.example.com:443 -showcerts`，"
                "若输出只有一张证书，说明证书链不完整。")
    fixes = doc("c-3", "docs/ssl/untrusted.md", title, ["解决方法"],
                "| 原因 | 处理方式 |\n| --- | --- |\n| 证书过期 | 续费或重新签发证书 |\n"
                "| 证书链不完整 | 把中间证书拼接到站点证书之后：`cat site.crt chain.crt > fullchain.crt` |\n"
                "| 自签名证书 | 改用受信任 CA 签发的证书 |")
    chain = doc("c-4", "docs/ssl/untrusted.md", title, ["原理"],
                "浏览器会缓存并自动补全中间证书，所以浏览器访问正常；curl、安卓客户端和 Java 应用不会补全，"
                "服务器没有返回完整的证书链时，它们就报证书不受信任。")
    passages = [state(fixes), state(steps), state(chain), state(causes, added="causes")]
    body = units_text(extractive_units("浏览器访问正常，curl 和安卓客户端报证书不受信任", passages, qtype="symptom"))
    assert "fullchain.crt" in body, body


def test_what_to_do_after_a_change_is_not_answered_with_the_default(demo_knowledge):
    from graph.service import Copilot
    from tests.graph.conftest import make_context

    body = Copilot(make_context(demo_knowledge)).ask("ssh 端口改过后还要做什么", "after").answer
    body = body.split("**参考来源**")[0]
    assert "放通新端口" in body and "默认监听 TCP 22" not in body, body


def test_a_steps_main_command_is_not_replaced_by_the_shorter_alternative():
    """"系统盘同理：" follows the data-disk command: the outline shows the step's own (first) command,
    not the alternative because it is shorter."""
    from graph.doc_units import Unit
    from graph.step_outline import outline

    main = "```bash\n# CentOS 安装：yum install -y cloud-utils-growpart\n# Ubuntu 安装：apt-get install -y cloud-guest-utils\ngrowpart /dev/vdb 1\n```"
    units = [Unit("heading", "第一步：在控制台扩容"), Unit("sentence", "在控制台点击 更多 > 扩容，输入新的容量后提交。"),
             Unit("heading", "第二步：扩展分区"), Unit("leadin", "使用 growpart 扩展数据盘分区："), Unit("code", main),
             Unit("leadin", "系统盘同理："), Unit("code", "```bash\ngrowpart /dev/vda 1\n```"),
             Unit("heading", "第三步：扩展文件系统"), Unit("leadin", "ext4 执行："), Unit("code", "```bash\nresize2fs /dev/vdb1\n```"),
             Unit("heading", "第四步：验证"), Unit("code", "```bash\ndf -h /data\n```")]
    shown = "\n".join(u.text for u in outline(units, budget=360))
    assert "growpart /dev/vdb 1" in shown, shown
    assert "growpart /dev/vda 1" not in shown, shown


def test_the_time_between_two_events_gets_the_line_giving_that_span():
    """"从坏了到被摘掉要多久": the page's line giving the span, not the FAQ entry listing its parameters."""
    from graph.answer_text import units_text
    from graph.extractive import extractive_units

    faq = Passage(chunk_id="faq-hc", source="faq/faq.jsonl", title="常见问题", heading_path=["网关健康检查默认参数是什么？"],
                  kind="faq", kb="demo", text="问：网关健康检查默认参数是什么？\n答：网关健康检查默认：检查间隔 10 秒，连续失败 2 次判定为不健康。",
                  meta={"question": "网关健康检查默认参数是什么？"})
    page = doc("hc-1", "docs/gw/health-check.md", "网关健康检查", ["健康检查如何工作"],
               "按默认参数，一个节点从出现故障到被摘除大约需要 20 秒，恢复后重新接收流量也需要约 20 秒。")
    body = units_text(extractive_units("网关健康检查 从坏了到被摘掉要多久", [state(page), state(faq)], qtype="value"))
    assert "大约需要 20 秒" in body, body


def test_steps_chosen_for_a_problem_show_the_first_way_even_when_the_match_is_in_the_second():
    """Evidence chose the page's steps for the problem reported; the pasted error matches the CLI way's
    rule file ("AllowedOrigins"), and the console way's steps come first all the same."""
    from graph.answer_text import units_text
    from graph.extractive import extractive_units

    steps = doc("q-1", "docs/mq/acl.md", "配置消息队列访问白名单", ["配置步骤"],
                "**方式一：控制台**：\n\n1. 登录控制台，进入 **消息队列 → 实例列表**，点击目标实例；\n"
                "2. 选择 **安全设置 → 访问白名单**，点击\"添加\"；\n3. 填写客户端网段，保存后即刻生效。\n\n"
                "**方式二：命令行**：\n\n准备规则文件 `acl.json`，其中 `AllowedSources` 列出客户端网段：\n\n"
                "```json\n{\"AllowedSources\": [\"10.0.1.0/24\"]}\n```")
    passages = [state(steps, added="procedure")]
    body = units_text(extractive_units("应用连消息队列报 source not in AllowedSources", passages, qtype="symptom"))
    assert "安全设置 → 访问白名单" in body, body
