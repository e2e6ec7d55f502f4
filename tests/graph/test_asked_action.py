"""A follow-up asking how to do one action of the thread page's fix gets the unit doing it
(graph/asked_action.py): unit checks on a built troubleshooting page."""

from __future__ import annotations

from graph.asked_action import action_unit, action_words, asks_action, names_action
from graph.page_units import page_units
from graph.pointed_unit import Scorer

PAGE = "docs/widget/stuck.md"
TITLE = "组件卡住"
CHUNKS = [
    {"chunk_id": "s-0", "title": TITLE, "heading_path": ["现象"], "text": "组件卡住，队列不再前进。"},
    {"chunk_id": "s-1", "title": TITLE, "heading_path": ["可能原因"],
     "text": "1. **队列容量不足**：队列写满后新任务被丢弃；\n2. **工作节点太少**：节点池没有空闲节点；\n"
             "3. **重试太少**：任务失败一次就被放弃。"},
    {"chunk_id": "s-2", "title": TITLE, "heading_path": ["排查步骤"],
     "text": "1. **查看队列长度**：\n   ```bash\n   widget describe-queue --id q-1\n   ```\n"
             "2. **查看节点池**：确认节点池的空闲节点数。"},
    {"chunk_id": "s-3", "title": TITLE, "heading_path": ["解决方法"],
     "text": "| 原因 | 处理 |\n| --- | --- |\n| 重试太少 | 在任务配置中把重试次数调大到 5 次 |\n\n"
             "- **工作节点太少**：为节点池增加节点：\n\n  ```bash\n  widget scale-pool --id np-1 --size 5\n  ```\n"
             "- **队列容量不足**：在参数模板中把队列容量改为 1000。\n\n"
             "修改重试次数：\n\n```bash\nwidget modify-task --id t-1 --retries 5\n```"},
    {"chunk_id": "s-4", "title": TITLE, "heading_path": ["解决方法", "节点无法联网"],
     "text": "- 推荐：为节点所在子网配置出口网关。\n- 更好的做法：把依赖同步到内网仓库。"},
]


def _pick(message: str):
    units = page_units(PAGE, CHUNKS)
    found = action_unit(message, units, Scorer.of(message, units).score)
    return None if found is None else found[0].text


def test_an_action_asked_is_not_an_observation_nor_the_bare_fix():
    assert asks_action("给节点池加节点具体怎么操作")
    assert asks_action("重试次数想调大 该在哪改")
    assert not asks_action("队列长度怎么查")  # a check asked: the checks answer it
    assert not asks_action("那咋办")  # the fix alone: graph/fix_asked.asks_bare_fix
    assert not asks_action("节点池是什么")


def test_the_solution_unit_doing_the_action_is_given_not_the_causes_or_checks():
    text = _pick("要给节点池加节点具体怎么操作")
    assert text is not None and "scale-pool" in text and "可能原因" not in text
    assert "节点池没有空闲节点" not in text  # the causes item naming the same words is not it


def test_a_fix_said_in_words_comes_with_the_command_doing_it():
    text = _pick("重试次数想调大 该在哪改")
    assert text is not None and "5 次" in text and "modify-task" in text


def test_a_case_under_the_solution_heading_is_given_whole():
    text = _pick("节点无法联网的话 那要怎么配")
    assert text is not None and "出口网关" in text and "内网仓库" in text


def test_an_action_the_page_does_not_name_gets_nothing():
    assert _pick("证书怎么续期") is None


def test_a_unit_naming_only_the_latin_thing_does_not_name_the_action():
    assert not names_action({"自动", "https"}, ["https"])  # the redirect asked, a certificate fix found
    assert names_action({"自动", "https"}, ["https", "自动"])
    assert names_action({"wait_timeout"}, ["wait_timeout"])  # no Chinese mark is rare: the name says it


def test_a_value_ask_is_not_an_action_ask():
    assert not asks_action("队列容量上限到底是多少")
    assert not asks_action("重试费用怎么计算")  # a value worked out: its formula answers
    assert asks_action("队列容量上限怎么调大")  # a limit changed is an action


def test_asking_how_to_handle_a_state_names_no_action_of_the_fix():
    # "处理" is every fix's verb (the solution headings' word): a fix unit holding it is not the action asked
    assert action_words("现在卡住了怎么处理").strip() == "现在卡住了怎么"
    assert action_words("给节点池加节点具体怎么操作") == "给节点池加节点具体怎么操作"
    units = page_units(PAGE, CHUNKS)
    message = "现在队列不动了怎么处理"
    assert action_unit(message, units, Scorer.of(message, units).score) is not None  # "处理" alone matched the table
    assert action_unit(message, units, Scorer.of(action_words(message), units).score) is None
