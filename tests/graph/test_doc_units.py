"""Answer units: whole sentences (never cut at ；), items with their commands, table rows without
the header residue, FAQ question lines dropped, wrapped paragraphs joined, chunk overlap removed;
and the question types the composer answers by."""

from __future__ import annotations

from graph.doc_units import display_text, merge_texts, parse_units
from graph.question_type import asks_for_steps, question_type


def test_a_sentence_is_not_cut_at_its_semicolon():
    text = "开启防盗链后，空 Referer 默认被拒绝，返回 403 AccessDenied；如需放行，在控制台勾选“允许空 Referer”。下一句。"
    units = parse_units(text)
    assert [u.kind for u in units] == ["sentence", "sentence"]
    assert units[0].text.endswith("勾选“允许空 Referer”。")


def test_items_keep_their_commands_and_numbers():
    text = ("先测试端口：\n\n```bash\nnc -zv host 22\n```\n\n1. **安全组**：放行 TCP 22。\n"
            "2. **私钥权限**：权限过宽时会被拒绝：\n\n```bash\nchmod 600 key.pem\n```\n3. 换一个网络再试。")
    units = parse_units(text)
    assert [(u.kind, u.number) for u in units] == [("leadin", None), ("code", None), ("item", 1), ("item", 2),
                                                   ("item", 3)]
    assert "chmod 600 key.pem" in units[3].text  # the command the item introduces belongs to it


def test_table_rows_are_rendered_without_header_residue():
    text = ("可能原因（表头：报错 | 最常见原因）\n报错: Connection timed out；最常见原因: 安全组未放行 TCP 22；实例没有公网 IP\n"
            "报错: Connection refused；最常见原因: sshd 未启动")
    units = parse_units(text, "table")
    assert [u.kind for u in units] == ["row", "row"]
    assert units[0].text == "Connection timed out：安全组未放行 TCP 22；实例没有公网 IP"
    assert "表头" not in display_text(text, "table")
    caption = "表 1 实例规格一览（CPU:内存 标准型 S5 1:4、计算型 C5 1:2）（表头：规格 | vCPU）\n规格: S5.large；vCPU: 2"
    assert parse_units(caption, "table")[0].text.startswith("表 1 实例规格一览")  # an informative caption stays


def test_faq_question_line_and_wrapped_lines():
    assert [u.text for u in parse_units("问：SSH 默认端口？\n答：默认 22 端口。", "faq")] == ["默认 22 端口。"]
    wrapped = "当 `excludeInboundPorts` 用于服务器工作负载时，\nIstio 仍然默认发送双向 TLS 请求。\n\n另一段。"
    assert [u.text for u in parse_units(wrapped)] == [
        "当 `excludeInboundPorts` 用于服务器工作负载时， Istio 仍然默认发送双向 TLS 请求。", "另一段。"]


def test_merged_chunks_lose_the_overlap():
    first = "第一句话很长。第二句话也长。"
    second = "第二句话也长。第三句话。"
    assert merge_texts([first, second]) == "第一句话很长。第二句话也长。\n\n第三句话。"


def test_question_types():
    cases = {
        "SSH 连接超时怎么办？": "howto", "慢查询怎么看": "howto", "云盘扩容的步骤": "howto",
        "t5 实例 cpu 一直卡在20%左右上不去 为啥": "cause", "fio 测出来 iops 才一千多 咋回事": "cause",
        "mysql默认端口多少啊": "value", "云盘扩容要重启吗": "value", "白名单在控制台哪改": "value",
        "账户欠费后云服务器会怎样？": "value", "ERROR 1062 是啥": "define", "VNC 登录跟 SSH 登录有啥区别": "compare",
        "磁盘满了 No space left on device": "symptom",
    }
    assert {q: question_type(q) for q in cases} == cases
    assert asks_for_steps("新买的数据盘 要怎么弄 给个步骤") and not asks_for_steps("慢查询怎么看")


def test_a_bold_question_line_is_not_split_before_its_closing_marks():
    """"**Q：Windows 实例怎么扩展？**" then the answer on the next line: the closing ** stays with the
    question (no "** 控制台扩容后…" in an answer)."""
    units = parse_units("**Q：Windows 实例怎么扩展？**\n控制台扩容后，在实例内打开 **磁盘管理**。", "doc")
    assert not any(u.text.startswith("**") and not u.text.endswith("**") for u in units), units
    assert any(u.text.startswith("控制台扩容后") for u in units), units


def test_asking_for_a_way_out_is_a_how_to_and_relatively_compares_nothing():
    """"有办法绕过去吗 / 能根治吗 / 以后怎么避免" ask for a fix, not a yes or no; "比较" compares only as
    a verb ("字符串比较…不一样了，这是咋回事" is a cause question, "cdn 比较慢" a symptom)."""
    assert question_type("br 恢复直接拒绝了，说 collation 开关对不上，有办法绕过去吗？") == "howto"
    assert question_type("changefeed 半夜经常失败一下，过会儿又好了，能根治吗？") == "howto"
    assert question_type("现在怎么弄，以后怎么避免？") == "howto"
    assert question_type("字符串比较、大小写判断的结果跟以前不一样了，这是咋回事？") == "cause"
    assert question_type("cdn 比较慢") == "symptom"
    assert question_type("c5 和 m5 比较一下") == "compare"
    assert question_type("能不关机重置吗") == "value"  # a yes-or-no stays one


def test_different_compares_only_as_what_is_asked():
    """"不同" asks a comparison as the predicate ("有啥不同", "和 X 不同", "不同在哪"), not as an adjective:
    "clb 能不能按 url 转发到不同后端" asks a yes or no (the 502 page's "没有可转发的目标" answered it as a compare)."""
    assert question_type("clb 能不能按 url 转发到不同后端") == "value"
    assert question_type("镜像能复制到不同地域吗") == "value"
    assert question_type("低频存储跟归档存储读取的时候有啥不同") == "compare"
    assert question_type("ssd 和高性能云盘不同在哪") == "compare"
    assert question_type("两种计费方式的不同") == "compare"


def test_any_how_plus_verb_asks_how_to_do_it():
    assert question_type("这条 Info 要不要管，怎么消掉？") == "howto"
    assert question_type("它的上限怎么调大？") == "howto"
    assert question_type("实例被释放了数据还能找回吗") == "value"  # no "怎么": a yes or no


def test_a_table_row_with_an_empty_cell_stays_a_row_and_so_do_the_rows_after_it():
    # ingest leaves empty cells out of a row ("| 策略 | 允许 / 拒绝 | |"): the row and the rows after it
    # must not fall back to one run-on sentence ("允许 / 拒绝字段: 优先级…")
    text = ("规则字段（表头：字段 | 取值 | 说明）\n字段: 方向；取值: 入方向 / 出方向；说明: 入方向控制访问实例的流量\n"
            "字段: 策略；取值: 允许 / 拒绝\n字段: 优先级；取值: 1-100；说明: 越小越优先，默认 1")
    rows = [u for u in parse_units(text) if u.kind == "row"]
    assert [u.text for u in rows] == ["方向：取值 入方向 / 出方向；说明 入方向控制访问实例的流量", "策略：允许 / 拒绝",
                                      "优先级：取值 1-100；说明 越小越优先，默认 1"]
    assert rows[1].cells == {"字段": "策略", "取值": "允许 / 拒绝"}


def test_a_challenge_and_a_demonstrative_count_are_problems_reported_not_value_questions():
    """"…不是说 X 吗" says what was expected did not happen (a symptom); "这几台 / 后面几个" count
    nothing. "是不是…吗" and a bare "几个" still ask."""
    assert question_type("队列一直堆着没消费，不是说自动扩容吗") == "symptom"
    assert question_type("网关前面那几个节点都报错，日志里一堆 reset") == "symptom"
    assert question_type("这个参数是不是默认打开的吗") == "value"
    assert question_type("一个账号最多能建几个网关") == "value"


def test_a_sentence_opening_with_it_comes_with_the_sentence_naming_what_it_is():
    """"用它…" / "它…" name nothing themselves: the sentence before, which names the thing, comes too."""
    from graph.unit_fit import fit_chosen

    units = parse_units("快照链是按时间串起来的一组增量快照。用它回滚时，只需选择链上的任意一个时间点。另一段说明。")
    shown = [u.text for u in fit_chosen(units, {1}, 400)]
    assert shown[:2] == ["快照链是按时间串起来的一组增量快照。", "用它回滚时，只需选择链上的任意一个时间点。"], shown
    assert "另一段说明。" not in shown


def test_a_second_command_right_after_an_items_command_stays_with_the_item():
    text = ("3. **Nginx 配置**：\n\n```nginx\nssl_certificate /etc/nginx/ssl/fullchain.pem;\n```\n\n"
            "```bash\n   sudo nginx -t && sudo systemctl reload nginx\n```\n\n4. **验证**：重新检查。")
    units = parse_units(text, "doc")
    assert [u.kind for u in units] == ["item", "item"]
    assert "nginx -t" in units[0].text and "ssl_certificate" in units[0].text
