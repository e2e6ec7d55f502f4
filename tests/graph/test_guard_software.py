"""guard on questions about a programming language or an office program itself (graph/general_software.py)."""

from __future__ import annotations

import pytest

from graph.domain_check import judge, judge_message
from graph.general_software import software_named
from tests.graph.conftest import make_context


@pytest.mark.parametrize("text, name", [
    ("JavaScript 对象怎么深拷贝", "javascript"),  # the longer name, not its java
    ("Go 的 map 遍历为什么是乱序的", "go"),
    ("C++ 指针和引用有什么区别", "c++"),
    ("c 语言数组越界会怎样", "c语言"),
    ("django 的 orm 怎么用", None),  # its go is no language
    ("MongoDB 连不上", None),
    ("wordpress 网站打不开", None),  # word only as a whole word
    ("链表怎么反转 写个代码", "写个代码"),  # asking for code, no language named
    ("帮我写个脚本清理日志", None),
])
def test_the_software_a_message_names(text, name):
    assert software_named(text) == name


@pytest.mark.parametrize("message", [
    "python 怎么把字符串转成数字",
    "JavaScript 对象怎么深拷贝",  # the demo base mines javascript (a wiki page's script tag): still a language
    "PHP 日期怎么格式化",  # 格式化 is the base's disk word, here a date's
    "python 多线程为什么比单线程还慢",
    "java 里 hashmap 的 key 怎么排序",
    "excel 表格怎么冻结首行",
    "链表怎么反转 写个代码",
])
def test_a_question_about_a_language_itself_is_refused(demo_knowledge, message):
    verdict = judge(make_context(demo_knowledge), message, "demo")
    assert verdict["kind"] == "refuse" and verdict["evidence"].get("software"), verdict


@pytest.mark.parametrize("message", [
    "python 连 mysql 报 2003",  # mysql: a term of the base beyond the language
    "java 进程老被 oom killer 干掉 咋办",
    "是 java 进程 怎么找到具体哪个线程",  # the CPU page writes Java beside 进程
    "Java 应用的报错一般在哪找？",
    "java 调我们接口报 PKIX path building failed",
    "php 上传文件到存储桶报签名不对",
])
def test_a_language_named_beside_the_bases_topic_stays_in_domain(demo_knowledge, message):
    verdict = judge_message(make_context(demo_knowledge), message, "demo", {})
    assert verdict["kind"] == "answer", verdict
