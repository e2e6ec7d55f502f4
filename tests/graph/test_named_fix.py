"""What to do for a reported problem: the part of the solution section for the cause the question
points to (graph/doc_sections.named_fix), with its command; console steps with the CLI beside them
(evidence: alternative_section for a symptom too). Run: pytest tests/graph/test_named_fix.py"""

from __future__ import annotations

from graph.answer_text import units_text
from graph.doc_sections import solution_section
from graph.extractive import extractive_units
from graph.passages import to_state
from graph.relevance import question_terms
from knowledge.types import Passage
from tests.graph.fakes import extractive_answer, page_chunk

TITLE = "挂载 NAS 文件系统失败"


def _chunk(chunk_id: str, heads: list[str], text: str) -> Passage:
    return page_chunk("docs/nas/mount-failed.md", TITLE, chunk_id, heads, text)


PAGE = [
    _chunk("n-0", ["现象"], "执行 mount 时长时间无响应，或提示 access denied by server。"),
    _chunk("n-1", ["可能原因"], "1. **挂载点地址写错**：复制时多了空格。\n"
                                "2. **权限组未放行客户端网段**：NAS 只允许权限组里的地址挂载。\n"
                                "3. **客户端缺少 nfs-utils**：系统没有装 NFS 客户端。"),
    _chunk("n-2", ["解决方法", "修正挂载点地址"], "到控制台重新复制挂载点地址。"),
    _chunk("n-3", ["解决方法", "在权限组中放行网段"],
           "在 **文件存储 > 权限组** 中添加规则，授权地址填客户端所在网段：\n\n"
           "```bash\nsscli nas create-access-rule --group default --cidr 10.0.0.0/16\n```"),
    _chunk("n-4", ["解决方法", "安装客户端"], "```bash\nyum install -y nfs-utils\n```"),
]


def _question(text: str) -> tuple[list[dict], object]:
    chosen = [to_state(PAGE[0])]
    return chosen, question_terms(text, "", None, [p["text"] for p in chosen])


def test_the_part_for_the_cause_the_question_points_to():
    _, terms = _question("mount 报 access denied by server，我们客户端在别的网段")
    found = solution_section(to_state(PAGE[0]), [to_state(p) for p in PAGE], terms)
    assert found is not None and found["heading_path"] == ["解决方法", "在权限组中放行网段"]


def test_without_a_named_cause_the_first_part():
    found = solution_section(to_state(PAGE[0]), [to_state(p) for p in PAGE])
    assert found is not None and found["heading_path"] == ["解决方法", "修正挂载点地址"]


def test_the_answer_shows_the_named_fix_with_its_command():
    text = extractive_answer(PAGE, "mount 报 access denied by server，我们客户端在别的网段", "symptom")
    assert "权限组未放行客户端网段" in text and "sscli nas create-access-rule" in text
    assert "yum install -y nfs-utils" not in text


CACHE_TITLE = "网关缓存与清除"


def _cache(chunk_id: str, heads: list[str], text: str) -> Passage:
    return page_chunk("docs/gw/cache-purge.md", CACHE_TITLE, chunk_id, heads, text)


CACHE = [
    _cache("c-0", [], "API 网关会缓存后端的响应。接口返回改了以后，调用方拿到的仍是旧的响应，直到缓存过期。"),
    _cache("c-1", ["清除缓存", "控制台操作"], "1. 进入 **API 网关 → 缓存管理**；\n2. 选择接口，点击 **清除**；\n3. 等待任务完成。"),
    _cache("c-2", ["清除缓存", "sscli 操作"], "```bash\nsscli apigw purge-cache --api-id api-1\n```"),
]


def test_a_symptom_answered_by_console_steps_gets_the_cli_beside_them():
    text = extractive_answer(CACHE, "接口改了返回，调用方拿到的还是旧的", "symptom")
    assert "API 网关 → 缓存管理" in text and "sscli apigw purge-cache" in text
    assert text.index("点击 **清除**") < text.index("sscli apigw purge-cache")


SIGNS = Passage(chunk_id="s-1", source="docs/db/slow-disk.md", title="数据库磁盘慢排查", heading_path=["3. 判断是否磁盘故障"], kind="doc",
                kb="demo", text="以下迹象说明可能是磁盘本身故障：\n\n"
                                "- 写入延迟忽高忽低，`iostat` 里 await 偶尔飙到几秒；\n"
                                "- `dmesg` 里有 I/O error 或 reset 记录；\n"
                                "- 换一块新盘后同样的压测恢复正常：\n\n```bash\ndmesg -T | grep -i 'i/o error'\n```")


def test_one_sign_described_gets_the_whole_short_list_of_signs():
    question = "数据库写入延迟忽高忽低，是不是磁盘坏了"
    text = units_text(extractive_units(question, [to_state(SIGNS)], qtype="symptom"))
    assert "I/O error 或 reset" in text and "dmesg -T | grep -i 'i/o error'" in text


BOOT_TITLE = "实例无法启动"
BOOT = [
    page_chunk("docs/host/boot.md", BOOT_TITLE, "b-0", ["现象"], "VNC 里看到启动时报错，系统进不去。"),
    page_chunk("docs/host/boot.md", BOOT_TITLE, "b-1", ["可能原因"],
               "| 现象 | 常见原因 |\n| --- | --- |\n| 进入 emergency mode | fstab 里的数据盘已经卸载 |\n"
               "| 无法挂载根文件系统 | 升级内核失败、initramfs 缺少驱动 |\n| 文件系统只读 | 断电导致文件系统不一致 |"),
    page_chunk("docs/host/boot.md", BOOT_TITLE, "b-2", ["排查步骤", "1. 处理 fstab 错误"], "注释掉失效的那一行，加上 nofail。"),
    page_chunk("docs/host/boot.md", BOOT_TITLE, "b-3", ["排查步骤", "2. 处理文件系统错误"], "卸载后执行 fsck 修复。"),
    page_chunk("docs/host/boot.md", BOOT_TITLE, "b-4", ["排查步骤", "3. 处理内核问题"], "在 GRUB 菜单里选择旧内核启动。"),
]


def test_sibling_fix_steps_the_fix_for_the_cause_column_of_the_row_matched():
    # the row's key ("无法挂载根文件系统") shares 文件系统 with step 2; its cause column names step 3's 内核
    question = "升级内核后重启，报无法挂载根文件系统"
    terms = question_terms(question, "", None, [BOOT[0].text])
    found = solution_section(to_state(BOOT[0]), [to_state(p) for p in BOOT], terms)
    assert found is not None and found["heading_path"] == ["排查步骤", "3. 处理内核问题"]


def test_sibling_fix_steps_without_a_named_cause_the_first():
    found = solution_section(to_state(BOOT[0]), [to_state(p) for p in BOOT])
    assert found is not None and found["heading_path"] == ["排查步骤", "1. 处理 fstab 错误"]
