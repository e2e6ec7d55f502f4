"""What a follow-up can point at in the previous answer: list items and named items."""

from __future__ import annotations

from graph.references import (answer_items, clean_answer, context_of, demonstrative_of, named_items, ordinal_of,
                              pick_item, pick_named)

STEPS = ("排查顺序：1. 在控制台确认负载均衡实例运行正常；2. 检查后端服务器的安全组是否放行健康检查网段；"
         "3. 用 curl 直接访问后端端口；4. 查看后端 Nginx 的 error_log。[1]\n\n**参考来源**\n[1] 《x》")
TWO_WAYS = "有两种办法：一是临时把 innodb_buffer_pool_size 调小；二是升级到内存更大的规格。"
METHODS = "可以二选一：方法一，用 kill 结束该进程；方法二，在控制台重启实例。"
COLON = "云盘有两种计费：包年包月，适合长期稳定使用；按量付费，按小时结算，随时释放。"


def test_list_items_of_every_common_shape() -> None:
    lead, items = answer_items(STEPS)
    assert lead == "排查顺序" and len(items) == 4 and items[3] == "查看后端 Nginx 的 error_log"
    assert answer_items(TWO_WAYS)[1] == ["临时把 innodb_buffer_pool_size 调小", "升级到内存更大的规格"]
    assert answer_items(METHODS)[1] == ["用 kill 结束该进程", "在控制台重启实例"]
    assert answer_items(COLON)[1][1].startswith("按量付费")
    assert answer_items("没有列表的一句话。") == ("", [])


def test_ordinals_first_last_and_numbered() -> None:
    _, items = answer_items(STEPS)
    for message, expected in (("第三步怎么做", 2), ("第3条呢", 2), ("最后那步具体看什么", 3), ("第二个方法呢", 1)):
        assert pick_item(items, ordinal_of(message)) == items[expected], message
    _, two = answer_items(TWO_WAYS)
    assert pick_item(two, ordinal_of("后一种要停机吗")) == two[1]
    assert pick_item(two, ordinal_of("前者会丢数据吗")) == two[0]
    assert ordinal_of("SSH 端口是多少") is None
    assert pick_item(items, ordinal_of("第九步呢")) is None


def test_named_items_by_the_noun_that_points_at_them() -> None:
    answer = ("连接数受参数 max_connections 限制；应用侧用 HikariCP 时，maximumPoolSize 决定连接池大小。"
              "可以执行 SHOW PROCESSLIST 查看连接，必要时在 Nginx 里设置 X-Real-IP 请求头。")
    kinds = {n.text: n.kind for n in named_items(answer)}
    assert kinds["max_connections"] == "key" and kinds["X-Real-IP"] == "header" and kinds["SHOW PROCESSLIST"] == "command"
    assert pick_named(answer, demonstrative_of("这个参数默认多少")).text == "max_connections"
    assert pick_named(answer, demonstrative_of("那个请求头要加在哪")).text == "X-Real-IP"
    assert pick_named(answer, demonstrative_of("这个命令要什么权限")).text == "SHOW PROCESSLIST"
    assert pick_named(answer, demonstrative_of("那个决定连接池大小的配置项设多少")).text == "maximumPoolSize"
    assert demonstrative_of("它的上限能调吗").pronoun and demonstrative_of("它的上限能调吗").noun == "上限"
    assert demonstrative_of("这台服务器怎么重启") is None


def test_a_value_named_after_its_noun_is_not_a_parameter() -> None:
    answer = "- type：需要警惕的值 ALL、index；含义 全表扫描\n慢查询阈值由 long_query_time 控制。"
    assert pick_named(answer, demonstrative_of("这个参数默认是多少")).text == "long_query_time"
    assert pick_named("- type：需要警惕的值 ALL；含义 全表扫描", demonstrative_of("这个参数默认是多少")) is None


def test_a_command_is_explained_by_the_clause_before_it() -> None:
    answer = "先清空本地缓存，Windows 执行 ipconfig /flushdns。"
    item = pick_named(answer, demonstrative_of("这个命令在 Linux 上怎么写"))
    assert item.text.startswith("ipconfig") and context_of(answer, item) == "清空本地缓存"


def test_a_nested_list_does_not_take_the_outer_lists_numbers():
    # an extractive how-to: numbered steps, the first with numbered sub-steps, one with a code block
    answer = ("控制台扩容只扩大了块设备容量。[1]\n1. **在控制台扩容**[2]\n   1. 登录控制台，进入 **云服务器 > 云盘**。\n"
              "   2. （推荐）选中目标云盘，点击 **创建快照**。\n2. **在系统内确认新容量**\n   ```bash\n   lsblk\n   ```\n"
              "3. **扩展分区**\n   使用 `growpart` 扩展分区。\n")
    _, items = answer_items(answer)
    assert [i.split("\n")[0] for i in items] == ["在控制台扩容", "在系统内确认新容量", "扩展分区"]
    assert "创建快照" not in items[1]


def test_the_sources_list_of_every_reply_language_is_no_part_of_the_answer() -> None:
    from graph.prompts import sources_headings

    body = "Steps: 1. check the security group; 2. restart the instance [1]"
    for heading in sources_headings():
        for shown in (f"**{heading}**", heading):
            assert clean_answer(f"{body}\n\n{shown}\n[1] 《x》 Guide") == body.replace("[1]", "")
    _, items = answer_items(f"{body}\n\n**Sources**\n[1] 《x》")
    assert items == ["check the security group", "restart the instance"]
