"""A picked entry of a troubleshooting list brings the paragraphs written under it (graph/item_body.py), and a
lead-in item's nested list is carried and judged with it (graph/introduced.py, graph/doc_units renesting)."""

from __future__ import annotations

from graph.doc_units import Unit, parse_units
from graph.extractive import extractive_units
from graph.introduced import carry_introduced
from graph.item_body import carry_bodies, item_bodies

# the chunker writes an entry's paragraphs at the list's level (graph/item_body.py docstring); invented text
# of the shape of the Kubernetes Windows debugging page (the corpora's text is read at test time only)
ENTRIES = """1. 我的组件没有网络连接

如果组件跑在虚拟机上，先确认虚拟网卡已开启混杂模式。

2. 我的组件不能 ping 通外部地址

组件的出站策略只放行了 TCP/UDP，没有放行 ICMP 协议。验证它与外部地址的连通性时，
   可以把 `ping <IP>` 换成 `curl <IP>` 命令。

如果你仍然遇到问题，再检查网络插件的配置文件。

3. 组件的 vNIC 端点反复被删除

代理进程启动时没有带上 `hostname-override` 参数会引发这一问题。解决办法是把主机名传给代理进程，如下所示：

```powershell
C:\\k\\agent-proxy.exe --hostname-override=$(hostname)
```
"""


def _passage(text: str) -> dict:
    return {"source": "windows.md", "title": "Windows 调试技巧", "heading_path": ["网络排障"], "text": text,
            "kind": "doc", "meta": {}}


def test_a_list_of_entries_maps_each_item_to_its_first_case():
    units = parse_units(ENTRIES)
    bodies = item_bodies(units)
    ping = next(i for i, u in enumerate(units) if "ping 通" in u.text)
    shown = [units[j].text for j in bodies[ping]]
    assert any("ICMP" in t for t in shown) and any("curl <IP>" in t for t in shown)
    assert not any("仍然遇到问题" in t for t in shown)  # a later paragraph opening with a condition: another case
    vnic = next(i for i, u in enumerate(units) if "vNIC" in u.text)
    assert any(units[j].kind == "code" for j in bodies[vnic])  # the command the body's lead-in introduces


def test_a_plain_list_followed_by_a_paragraph_is_no_list_of_entries():
    units = parse_units("- 检查安全组\n- 检查网络 ACL\n- 检查路由表\n\n以上都正常时请提交工单。")
    assert item_bodies(units) == {}


def test_a_picked_entry_brings_its_body_right_after_it():
    passage = _passage(ENTRIES)
    units = parse_units(ENTRIES)
    item = next(u for u in units if "ping 通" in u.text)
    later = next(u for u in units if u.text.startswith("验证它与外部地址"))
    picked, groups = carry_bodies([(1, item), (1, later)], [0, 1], [passage], 760)
    texts = [u.text for _, u in picked]
    assert texts[0] == item.text and "ICMP" in texts[1] and texts[2] == later.text, texts  # moved into place
    assert len(texts) == 3 and groups == [0, 0, 0]
    assert all(u.whole for _, u in picked[1:])  # judged with the item they are written under


def test_an_entry_answer_says_why_and_what_to_do():
    """"vNIC 端点反复被删除": the item names the symptom; its paragraph names the flag and the command."""
    units = extractive_units("组件的 vNIC 端点反复被删除 咋办",
                             [_passage(ENTRIES)], qtype="howto")
    text = "\n".join(u["text"] for u in units)
    assert "hostname-override" in text and "ICMP" not in text, text


def test_a_lead_in_items_nested_list_that_lost_its_first_indent_is_carried_and_judged_with_it():
    text = ("- 写入线程忙。提交等待时间明显高于落盘时间。请检查下面两项：\n"
            "- `[writer]` 的 `pool-size` 是否设得太小。\n"
            "    - 节点的 CPU 是否已经用满。\n"
            "- 回放日志慢。\n")
    units = parse_units(text)
    assert [u.depth for u in units] == [0, 2, 2, 0]
    picked, _ = carry_introduced([(1, units[0])], [0], [_passage(text)], 200)
    shown = [u for _, u in picked]
    assert [u.text for u in shown[1:]] == [units[1].text, units[2].text]
    assert all(u.whole for u in shown[1:])


def test_items_of_one_level_after_a_lead_in_item_stay_where_they_are():
    units = parse_units("- 请依次执行：\n- 第一步\n- 第二步\n")
    assert [u.depth for u in units] == [0, 0, 0]
    assert Unit("item", "第一步").key() == units[1].key()


def test_another_entrys_fix_goes_when_an_entry_is_shown():
    passage = _passage(ENTRIES)
    units = parse_units(ENTRIES)
    item = next(u for u in units if "ping 通" in u.text)
    other = next(u for u in units if u.text.startswith("解决办法是"))
    picked, groups = carry_bodies([(1, item), (1, other)], [0, 1], [passage], 760)
    assert not any("代理进程" in u.text for _, u in picked) and len(groups) == len(picked)
    alone, _ = carry_bodies([(1, other)], [0], [passage], 760)  # no entry shown: nothing to tell it from
    assert [u.text for _, u in alone] == [other.text]


def test_a_procedures_other_steps_stay():
    """Steps that say what to do are parts of one way: a line of another step is not another symptom's fix."""
    text = ("1. **确认域名当前的 NS 服务器**。正确情况下应为两台 NS：\n\n```bash\ndig example.com NS +short\n```\n\n"
            "2. **直接向 NS 查询记录**，确认记录本身配置正确：\n\n```bash\ndig @ns1 www.example.com A +short\n```\n\n"
            "返回结果不一致且部分为旧 IP，通常是缓存。\n")
    units = parse_units(text)
    first = units[0]
    other = next(u for u in units if u.text.startswith("返回结果"))
    picked, _ = carry_bodies([(1, first), (1, other)], [0, 1], [_passage(text)], 760)
    assert other.text in [u.text for _, u in picked]


def test_a_command_with_its_output_is_carried_as_the_command_when_the_block_does_not_fit():
    from graph.item_body import command_only
    block = Unit("code", "```bash\n$ istioctl ztunnel-config service\nNAMESPACE    SERVICE NAME\ndefault      reviews\n```")
    assert command_only(block).text == "```bash\n$ istioctl ztunnel-config service\n```"
    plain = Unit("code", "```bash\nkubectl get pods\nkubectl describe pod x\n```")
    assert command_only(plain) is plain  # no prompt: nothing tells the command from its output
    text = ("1. 确定哪个 waypoint 在处理流量。\n\n请使用 `ztunnel-config service` 命令确认：\n\n"
            "```bash\n$ istioctl ztunnel-config service\n" + "default      details    10.43.160.119 waypoint\n" * 12 + "```\n\n"
            "2. 检查 waypoint 的日志。\n\n查看它的代理日志。\n")
    units = parse_units(text)
    picked, _ = carry_bodies([(1, units[0])], [0], [_passage(text)], 200)
    assert picked[-1][1].text == "```bash\n$ istioctl ztunnel-config service\n```", [u.text for _, u in picked]
