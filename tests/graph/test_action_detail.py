"""An answer naming an action without saying how gets the unit of its page that says how
(graph/action_detail.py): the clause naming the action, the page's unit with a command, a key, a
console path sharing its words, added after the naming unit and cited. A built page, then the demo KB
end to end (keyword index)."""

from __future__ import annotations

import pytest

from graph.action_clause import operable, vague_actions
from graph.action_detail import detail_for, with_action_details
from graph.doc_units import Unit
from graph.service import Copilot
from tests.graph.conftest import make_context, page_chunks

SOURCE = "docs/disk/full.md"
PAGE = page_chunks(SOURCE, "磁盘空间满排查", [
    (["现象"], "日志中出现 `No space left on device`，执行 `df -h` 显示 100%。"),
    (["可能原因"], "1. 容器日志没有限制大小，设置 `max-size` 之前一直增长。"),
    (["排查步骤"], "常见的占用大户：\n\n| 路径 | 处理方法 |\n| --- | --- |\n"
                 "| /var/lib/docker | `docker system prune`，限制容器日志大小 |\n| /tmp | 确认无用后删除 |"),
    (["排查步骤", "检查已删除文件"], "输出示例：\n\n```\nCOMMAND PID USER FD\njava 2345 app 5w\n```"),
    (["解决方法"], "1. **长期预防**：\n   - 限制 Docker 容器日志：在 `/etc/docker/daemon.json` 中设置 "
                 "`\"log-opts\": {\"max-size\": \"100m\"}`。\n   - 配置磁盘告警。"),
])
ROW = "- /var/lib/docker：`docker system prune`，限制容器日志大小"  # as the table row is shown


def test_a_clause_naming_an_action_without_detail_is_vague():
    assert vague_actions(ROW) == ["限制容器日志大小"]
    assert vague_actions("在监听器中修改检查路径") == ["在监听器中修改检查路径"]


def test_a_clause_with_its_detail_a_value_a_cause_or_a_state_names_nothing_to_look_up():
    assert vague_actions("提供健康检查接口（如 `/health` 直接返回 200）") == []
    assert vague_actions("每个地域最多创建 200 个存储桶") == []
    assert vague_actions("CDN 加速域名未配置证书") == []
    assert vague_actions("安全组或系统防火墙配置错误") == []


def test_operable_detail_is_a_command_a_key_or_a_path_never_printed_output():
    assert operable([Unit("sentence", "在 `/etc/docker/daemon.json` 中设置 `max-size`。")])
    assert operable([Unit("item", "进入控制台 **CDN 内容分发 → 刷新预热**；")])
    assert not operable([Unit("sentence", "失败原因一般为 `connect timeout`。")])  # a message quoted, nothing to do
    assert not operable([Unit("code", "```text\nnotAfter=Nov 12 2026\n```")])
    assert not operable([Unit("code", "```\n浏览器 ──HTTPS──► CLB ──HTTP──► 后端\n```")])


def test_the_unit_saying_how_is_found_elsewhere_on_the_page():
    shown = "".join(ROW.split()).lower()  # the naming row is the answer already
    found = detail_for("限制容器日志大小", "docker 容器日志太大 想限制下", PAGE, shown)
    assert found is not None and found.path == ["解决方法"]
    assert any("daemon.json" in u.text for u in found.units)
    assert not any("COMMAND" in u.text for u in found.units)  # a printed sample is never the detail


def test_the_detail_follows_the_naming_unit_and_cites_its_section():
    units = [{"text": ROW, "cites": [1], "block": "row", "group": 1},
             {"text": "/tmp：确认无用后删除", "cites": [1], "block": "row", "group": 1},
             {"text": "另一句话。", "cites": [1], "block": "sentence", "group": 2}]
    passages = [{**PAGE[2]}]
    out, evidence = with_action_details("docker 容器日志太大 想限制下 在哪配", units, passages, lambda p: PAGE, 760)
    texts = [u["text"] for u in out]
    at = next(i for i, t in enumerate(texts) if "daemon.json" in t)
    assert texts.index("/tmp：确认无用后删除") < at < texts.index("另一句话。")  # the table stays whole
    assert evidence[out[at]["cites"][0] - 1]["heading_path"] == ["解决方法"]
    assert out[0]["cites"] == [2]  # the naming row still cites its own section
    same, _ = with_action_details("docker 容器日志太大 想限制下 在哪配", units, passages, lambda p: PAGE, 120)
    assert same == units  # no room: nothing is cut to fit


@pytest.fixture(scope="module")
def demo(keyword_demo) -> Copilot:
    return Copilot(make_context(keyword_demo))


@pytest.mark.parametrize("question,detail", [
    ("docker 容器日志把系统盘撑爆了 想限制下容器日志大小 在哪配", "/etc/docker/daemon.json"),
    ("健康检查一直异常 状态码不对 要改检查路径，命令怎么写", "sscli clb modify-health-check"),
])
def test_demo_answers_say_how(demo, question, detail):
    answer = str(demo.ask(question, f"detail-{len(question)}", kb="demo").to_json()["answer"])
    assert detail in answer.split("**参考来源**")[0]


LINKING = page_chunks("docs/scs/ssh.md", "SSH 无法登录", [
    (["解决方法"], "| 原因 | 处理 |\n| --- | --- |\n| 磁盘满 | 清理磁盘空间，参见[磁盘空间满排查](../disk/full.md) |"),
])


def test_the_detail_comes_from_the_page_the_naming_line_links_when_its_own_page_lacks_it():
    pages = {"docs/scs/ssh.md": LINKING, SOURCE: [
        {**c, "chunk_id": f"f{i}"} for i, c in enumerate(page_chunks(SOURCE, "磁盘空间满排查", [
            (["解决方法"], "清理磁盘空间时先找大目录：执行 `du -xh --max-depth=1 /var` 查看。")]))]}
    units = [{"text": "磁盘满：清理磁盘空间，参见磁盘空间满排查", "cites": [1], "block": "row", "group": 1}]
    passages = [{**LINKING[0], "kb": "demo"}]
    out, evidence = with_action_details("ssh 登不上 磁盘满了 怎么清理磁盘空间", units, passages,
                                        lambda p: pages.get(str(p.get("source")), []), 760)
    assert "du -xh" in out[-1]["text"]
    cited = evidence[out[-1]["cites"][0] - 1]
    assert cited["source"] == SOURCE and cited["title"] == "磁盘空间满排查"
