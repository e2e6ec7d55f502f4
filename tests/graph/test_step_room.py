"""A long procedure gives up tables, sample output and explanations before a step or a command
(graph/step_room.py), and skips the step the user says is done (graph/done_steps.py)."""

from __future__ import annotations

from graph.doc_units import Unit, parse_units
from graph.done_steps import done_step
from graph.relevance import QuestionTerms
from graph.step_outline import outline
from graph.step_room import core, fitted, least, trimmed, without_output
from graph.asked_step import steps_of

_PAGE = """## 第一步：在控制台开通日志服务

1. 登录控制台，进入 **日志 > 项目**。
2. 点击 **新建项目**，填写项目名称。

## 第二步：安装采集器

```bash
curl -sO https://example.invalid/agent.sh && bash agent.sh
```

脚本会自动识别操作系统的版本，整个过程大约需要一到两分钟，期间网络不能中断。

如果系统没有 curl：

```bash
yum install -y curl      # CentOS
apt-get install -y curl  # Ubuntu
```

## 第三步：选择日志格式

| 格式 | 适用场景 | 解析方式 |
| --- | --- | --- |
| 单行文本 | 普通应用日志，每行一条，最常见的情况 | 按换行切分，无需额外配置 |
| 多行文本 | Java 异常栈等跨多行的日志记录 | 用首行正则匹配每条日志的开头 |
| JSON | 结构化日志，字段已经是键值对 | 自动展开每个字段为可检索的列 |

```bash
agentctl set-format --type single-line
```

## 第四步：查看采集状态

```bash
agentctl status
# agent: running  files: 3  lag: 0s  last-sent: 2026-01-01T00:00:00Z
```

采集器每 10 秒上报一次心跳，状态页显示的是最近一次心跳的时间和累计发送量。

## 第五步：配置开机自启

1. 写入服务单元：

```bash
cp agent.service /etc/systemd/system/agent.service
# Created symlink /etc/systemd/system/multi-user.target.wants/agent.service
```

单元文件各字段含义：

| 字段 | 示例 | 说明 |
| --- | --- | --- |
| ExecStart | /usr/bin/agent | 采集器的启动命令，路径必须是绝对路径 |
| Restart | always | 进程异常退出后由 systemd 自动拉起 |
| User | root | 读取系统日志需要的权限 |

2. 启用并立即启动：

```bash
systemctl enable --now agent
```
"""


def _units() -> list[Unit]:
    return parse_units(_PAGE)


def _text(units: list[Unit]) -> str:
    return "\n".join(u.text for u in units)


def test_a_long_procedure_keeps_every_step_and_its_last_command():
    """The equal shares lost the last step's command; the table, the sample output and the
    explanations go first."""
    shown = outline(_units(), budget=520)
    text = _text(shown)
    assert [u.text for u in shown if u.kind == "step"] == ["在控制台开通日志服务", "安装采集器", "选择日志格式",
                                                         "查看采集状态", "配置开机自启"], text
    assert "systemctl enable --now agent" in text and "agentctl set-format" in text, text
    assert "多行文本" not in text and "last-sent" not in text and "一到两分钟" not in text, text
    assert "yum install -y curl" not in text, text  # the alternative for a system without curl
    assert sum(len(u.text) + 4 for u in shown) <= 520


def test_a_table_row_naming_what_is_asked_stays():
    body = steps_of(_units())[2][1]
    kept = _text(trimmed(body, QuestionTerms({"json": 2.0})))
    assert "JSON" in kept and "多行文本" not in kept


def test_an_alternative_whose_condition_is_asked_stays():
    body = steps_of(_units())[1][1]
    assert "yum install -y curl" in _text(trimmed(body, QuestionTerms({"curl": 2.0})))
    assert "yum install -y curl" not in _text(trimmed(body, QuestionTerms({"日志": 2.0})))


def test_sample_output_lines_close_a_command_but_explaining_comments_stay():
    assert without_output("```bash\nagentctl status\n# agent: running  lag: 0s\n```") == "```bash\nagentctl status\n```"
    kept = "```bash\nyum install -y curl      # CentOS\n# 或\napt-get install -y curl\n```"
    assert without_output(kept) == kept


def test_the_core_of_a_step_is_its_commands_and_items():
    steps = steps_of(_units())
    assert [u.kind for u in core(trimmed(steps[0][1]))] == ["item", "item"]
    assert all(u.kind == "code" for u in core(trimmed(steps[1][1])))


def test_steps_that_cannot_fit_leave_the_middle_and_say_so():
    steps = steps_of(_units())
    heads = ["在控制台开通日志服务", "安装采集器", "选择日志格式", "查看采集状态", "配置开机自启"]
    shown = fitted(steps, 330, heads, "接入日志服务")
    names = [u.text for u in shown if u.kind == "step"]
    assert names[0] == "在控制台开通日志服务" and names[-1] == "配置开机自启" and len(names) < 5, names
    assert [u.number for u in shown if u.kind == "step"] == list(range(1, len(names) + 1))
    note = shown[-1].text
    assert note.startswith(f"（另有 {5 - len(names)} 步未列出") and "《接入日志服务》" in note, note
    assert "systemctl enable --now agent" in _text(shown)


def test_a_step_the_user_did_is_skipped():
    heads = ["在控制台挂载到实例", "在系统内找到新磁盘", "创建分区", "挂载"]
    assert done_step(heads, "新买的数据盘挂上了，系统里看不到，怎么初始化") == 0
    assert done_step(heads, "数据盘挂上了 系统里看不到 给个步骤") == 0
    assert done_step(heads, "数据盘没挂上，怎么办") is None
    assert done_step(heads, "怎么挂载数据盘") is None
    assert done_step(["在控制台扩容", "确认新容量", "扩展分区"], "控制台把盘扩到 500G 了，df -h 还是 100G") == 0
    # a later step naming the same action is still to do: only the first steps count
    assert done_step(["在系统内找到新磁盘", "创建分区", "创建文件系统", "挂载"], "盘挂上了 怎么用") is None


def test_the_outline_skips_the_step_said_done():
    shown = outline(_units(), budget=900, said="日志服务开通过了，接下来怎么接")
    assert [u.text for u in shown if u.kind == "step"][0] == "安装采集器"


def _long_task() -> list[Unit]:
    """A task whose middle step carries a command and whose steps are too long to fit together."""
    long_cmd = "```bash\n" + "\n".join(f"tool step-{i} --flag value-{i}" for i in range(6)) + "\n```"
    return parse_units(f"## 第一步：下载安装包\n\n{long_cmd}\n\n## 第二步：解压到目录\n\n{long_cmd}\n\n"
                       f"## 第三步：写入配置\n\n{long_cmd}\n\n## 第四步：启动服务\n\n{long_cmd}\n")


def test_steps_too_long_together_keep_the_first_and_last_command_and_name_the_rest():
    """Nothing else to give up: the first and last steps with their commands, the rest named (the
    page named by its title, or as "原文" without one)."""
    shown = outline(_long_task(), budget=360)
    assert [u.text for u in shown if u.kind == "step"] == ["下载安装包", "启动服务"]
    assert sum(u.kind == "code" for u in shown) == 2
    assert shown[-1].text == "（另有 2 步未列出：解压到目录、写入配置，完整步骤见原文。）"


def test_a_table_an_instruction_says_to_enter_stays_beside_the_command():
    """"在 **路由表** 中添加：" + its row is the console way of the step, not a field list to drop."""
    body = parse_units("在 **网络 > 路由表** 中添加：\n\n| 目的网段 | 下一跳 |\n| --- | --- |\n| 0.0.0.0/0 | 网关 |\n\n"
                       "```bash\nnetctl add-route 0.0.0.0/0\n```\n")
    kept = _text(trimmed(body))
    assert "0.0.0.0/0：网关" in kept and "netctl add-route" in kept, kept


_CHECKLIST = """## 1. 确认哪个目录满了

```bash
df -h
```

## 2. 找到占用最多的目录

逐级向下查找，`-x` 参数确保只统计当前分区，不跨到其他挂载点，输出按大小倒序排列：

```bash
du -xh --max-depth=1 / | sort -rh | head
```

| 路径 | 内容 | 处理方法 |
| --- | --- | --- |
| /var/log | 系统和应用日志 | 压缩旧日志，配置轮转 |
| /var/cache | 包管理器缓存 | 清理缓存 |

## 3. 检查已删除但仍被占用的文件

```bash
lsof +L1
```

处理方法二选一：

```bash
# 方法一：重启该进程
systemctl restart myapp
# 方法二：清空该文件句柄
: > /proc/2345/fd/5
```

## 4. 检查 inode

```bash
df -i
```

## 5. 检查被挂载点遮住的文件

在控制台 **云盘 → 挂载信息** 中确认挂载点，再执行：

```bash
mount --bind / /mnt/rootfs
du -sh /mnt/rootfs/data
```
"""


def test_a_checklist_too_long_keeps_each_check_with_its_command_before_leaving_one_out():
    """Before a check is left out (the user's "第三步" would then point elsewhere), every step gives
    up all but its first command; a console path the step names stays."""
    steps = steps_of(parse_units(_CHECKLIST))
    heads = ["确认哪个目录满了", "找到占用最多的目录", "检查已删除但仍被占用的文件", "检查 inode", "检查被挂载点遮住的文件"]
    shown = fitted(steps, 330, heads, "磁盘满")
    text = _text(shown)
    assert [u.text for u in shown if u.kind == "step"] == heads, text
    for command in ("df -h", "du -xh", "lsof +L1", "df -i", "mount --bind"):
        assert command in text, text
    assert "云盘 → 挂载信息" in text and "systemctl restart" not in text, text
    assert "逐级向下查找" not in text  # a long lead-in explains; the heading says what the command is for


def test_the_least_of_a_step_is_its_first_action():
    steps = steps_of(parse_units(_CHECKLIST))
    assert [u.kind for u in least(trimmed(steps[2][1]))] == ["code"]
    assert [u.kind for u in least(trimmed(steps[0][1]))] == ["code"]
    assert [u.kind for u in least(trimmed(steps_of(_units())[0][1]))] == ["item", "item"]  # console clicks
