"""What of a section reaches the answer when the right section does not fit (issue #21, #12):
the fix (the lead-in saying what to do with its command) outranks the user's own log, the
explanation of its fields and the example configuration (graph/section_fit.py, graph/unit_fit.py,
graph/paragraphs.py, graph/doc_order.py)."""

from __future__ import annotations

from dataclasses import asdict

from graph.doc_order import doc_order
from graph.doc_units import parse_units
from graph.paragraphs import through_fix
from graph.relevance import question_terms
from graph.section_answer import from_section
from graph.unit_fit import fit, fit_whole
from knowledge.types import Passage


def _doc(source: str, heads: list[str], text: str, **meta: object) -> dict:
    return asdict(Passage(chunk_id=f"{source}#{len(heads)}", source=source, title=source.split("/")[-1],
                          heading_path=heads, text=text, kind="doc", kb="k",
                          meta={"indexed_text": " > ".join([source.split("/")[-1], *heads]) + "\n", **meta}))


LOG = "\n".join(f"[2024/01/0{d} 10:00:00] [WARN] commit failed conflict key={{tableID=47, indexID=1}} txn={d}" for d in range(1, 8))
CONFLICTS = (
    "当出现写入冲突时，可以在服务日志中看到类似的日志：\n\n```log\n" + LOG + "\n```\n\n"
    "关于日志的解释如下：\n\n"
    "- `txnStartTS=4166`：表示当前事务的开始时间戳，可以换算为具体时间，用于和监控对照\n"
    "- `conflictStartTS=4167`：表示冲突事务的开始时间戳，可以换算为具体时间，用于和监控对照\n"
    "- `conflictCommitTS=4168`：表示冲突事务的提交时间戳，可以换算为具体时间，用于和监控对照\n"
    "- `key={tableID=47, indexID=1}`：表示冲突的数据，tableID 是发生冲突的表的 ID，indexID 是发生冲突的索引的 ID\n\n"
    "通过 tableID 查找具体的表名：\n\n```shell\ncurl http://{host}:10080/db-table/{tableID}\n```\n\n"
    "通过 indexID 查找具体的索引名：\n\n```sql\nSELECT * FROM INFORMATION_SCHEMA.INDEXES_OF WHERE INDEX_ID={indexID};\n```\n\n"
    "另外在新版本中默认使用悲观事务模式，从而避免在事务提交的时候因为冲突而导致失败，大多数情况下无需修改应用程序。"
    "悲观事务模式会在每个语句执行时加锁，用于防止其他事务修改相同的数据，从而保证提交阶段不会出现冲突。\n")


def test_a_section_over_budget_keeps_the_fix_commands_not_the_users_own_log() -> None:
    passage = _doc("db/write-conflicts.md", ["如何定位写入冲突？"], CONFLICTS)
    question = "日志里不停刷写入冲突，后面带着 tableID=47、indexID=1 这种数字，怎么反查出是哪张表、哪个索引"
    terms = question_terms(question)
    shown = "\n".join(u.text for u in from_section(passage, "howto", terms, 420, question))
    assert "db-table" in shown and "INDEXES_OF" in shown, shown
    assert "txn=3" not in shown, shown  # the sample of the log the user already has goes first
    assert "key={tableID=47, indexID=1}" in shown, shown  # the best-matching line stays


def test_a_section_that_fits_is_given_whole_as_before() -> None:
    passage = _doc("db/write-conflicts.md", ["如何定位写入冲突？"], CONFLICTS)
    question = "怎么反查写入冲突的表"
    shown = from_section(passage, "howto", question_terms(question), 4000, question)
    assert [u.text for u in shown] == [u.text for u in fit_whole(parse_units(CONFLICTS), 4000)]


def test_a_fix_lead_in_whose_command_is_too_long_stays_as_a_statement() -> None:
    yaml = "```yaml\n" + "\n".join(f"  key{i}: value{i}" for i in range(60)) + "\n```"
    units = parse_units("重试配置不会生效，导致一半请求失败。\n\n"
                        f"要解决此问题，您可以移除故障配置，并改用 `FaultFilter` 注入故障：\n\n{yaml}\n\n"
                        "考虑以下配置：\n\n" + yaml + "\n")
    shown = [u.text for u in fit(units, 300)]
    assert "要解决此问题，您可以移除故障配置，并改用 `FaultFilter` 注入故障。" in shown, shown
    assert "考虑以下配置：" not in shown and not any("key1" in t for t in shown), shown
    whole = [u.text for u in fit_whole(units, 300)]
    assert "要解决此问题，您可以移除故障配置，并改用 `FaultFilter` 注入故障。" in whole, whole


def test_a_problem_sentence_brings_the_next_paragraphs_fix_lead_in_and_its_command() -> None:
    # "请求" is no polite request: the sentence says nothing to do, the next paragraph does
    units = parse_units("发送 HTTPS 请求到声明为明文的端口会报 `wrong version number`。访问日志也可能显示 400。\n\n"
                        "要解决这个问题，您应该将端口协议改为 HTTPS：\n\n```yaml\nprotocol: HTTPS\n```\n")
    kept = through_fix(units, {0}, whole=True)
    assert any(units[i].text.startswith("要解决这个问题") for i in kept), [units[i].text for i in kept]


def test_a_behaviour_brings_the_setting_named_before_it_in_its_paragraph() -> None:
    units = parse_units("你可以通过修改配置项 `importer.max-error` 来增加容错数量。如果设置为 N，导入会跳过这些错误继续，"
                        "超过 N 个就退出。默认值为 0。\n\n这些错误会记录到数据库中。\n")
    behaviour = next(i for i, u in enumerate(units) if u.text.startswith("如果设置为"))
    kept = [units[i].text for i in sorted(through_fix(units, {behaviour}, whole=True))]
    assert kept[0].startswith("你可以通过修改配置项"), kept
    plain = parse_units("该参数控制并发数。如果设置为 8，导入会更快。\n")
    assert through_fix(plain, {1}, whole=True) == {1}  # no instruction naming a setting before it


def test_a_section_headed_with_what_stopped_working_is_the_problems_entry() -> None:
    source = "mesh/common-problems.md"
    other = _doc(source, ["证书配置错误"], "许多过滤器和路由问题是由于错误的证书配置导致的。升级之后如果端口声明为明文协议而客户端"
                 "发送加密请求，代理会把请求当作明文解析，导致握手失败。请把端口协议改为与客户端一致的加密协议。",
                 added="procedure")
    entry = _doc(source, ["升级后过滤器配置突然停止工作"], "如果过滤器配置指定了相对另一个过滤器的插入位置，升级后被依赖的过滤器"
                 "可能被替换，过滤器会被静默忽略，日志里没有任何报错。请改用不依赖其他过滤器的插入方式，或设置显式优先级。")
    question = "过滤器一直好好的，升级完之后就悄悄失效了，日志里一点报错都没有"
    order = doc_order([other, entry], "symptom", question_terms(question))
    assert order and order[0] == 2, order



def test_the_command_a_lead_in_asks_to_run_outranks_an_example_configuration() -> None:
    example = "```yaml\n" + "\n".join(f"  field{i}: value{i}" for i in range(12)) + "\n```"
    text = ("解析短名称失败时，检查 Pod 内的解析配置。\n\n考虑以下配置：\n\n" + example + "\n\n"
            "在 Pod 中运行以下命令：\n\n```shell\ncat /etc/resolv.conf\n```\n\n"
            "`search` 行必须包含适当的后缀，`options` 行必须设置足够高的 `ndots`。\n")
    passage = _doc("dns/debug.md", ["短名称为什么解析不了？"], text)
    question = "pod 里短名称解析不了，全名可以"
    shown = "\n".join(u.text for u in from_section(passage, "cause", question_terms(question), 110, question))
    assert "cat /etc/resolv.conf" in shown and "field3" not in shown, shown
