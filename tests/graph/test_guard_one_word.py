"""guard on asks that share one word with the base in another sense (graph/domain_score.one_known_word,
graph/general_software.DOCUMENTS): refused, while real asks with the same words are answered."""

from __future__ import annotations

import pytest

from graph.domain_check import judge_message
from tests.graph.conftest import make_context


@pytest.mark.parametrize("message", [
    "容器种植西红柿怎么浇水",  # 容器 of a flower pot: a verb and its object the base never writes
    "pdf 文件太大怎么压缩",  # a document format, nothing of the base beside it
    "docx 文档怎么转成 pdf",
])
def test_an_ask_sharing_one_word_in_another_sense_is_refused(demo_knowledge, message):
    verdict = judge_message(make_context(demo_knowledge), message, "demo")
    assert verdict["kind"] == "refuse", verdict


@pytest.mark.parametrize("message", [
    "容器里的 nginx 起不来 日志怎么看",
    "对象存储里的 pdf 文件怎么设公开访问",  # the format beside a term of the base
    "预签名链接下载 pdf 返回 403",
    "想开增值税专票要交啥材料",  # one known word, but no verb-object outside the base
    "库里一条sql跑了十几分钟",
])
def test_the_same_words_in_the_bases_sense_are_answered(demo_knowledge, message):
    verdict = judge_message(make_context(demo_knowledge), message, "demo")
    assert verdict["kind"] == "answer", verdict
