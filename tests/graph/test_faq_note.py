"""A FAQ note follows a document answer only when it adds something: an answer that already fills its
budget (a causes list given whole) gets no note restating what it says (graph/answer_draft._pads);
a short answer, or a note naming a word of the question the answer lacks, still gets it."""

from __future__ import annotations

import pytest

from graph.answer_draft import FULL_ANSWER, AnswerDraft, _pads
from graph.doc_units import Unit
from graph.relevance import QuestionTerms
from tests.graph.conftest import asker


def _draft(used: int, said: str) -> AnswerDraft:
    terms = QuestionTerms({"证书": 1.0, "域名": 1.0, "通配符": 1.0})
    draft = AnswerDraft([], terms, 700)
    draft.picked = [(1, Unit("sentence", said))]
    draft.used = used
    return draft


NOTE = [Unit("sentence", "表示证书绑定的域名与访问的域名不匹配，请申请包含该域名的证书。")]


def test_a_note_restating_a_full_answer_pads() -> None:
    draft = _draft(int(FULL_ANSWER * 700) + 1, "证书只匹配一级子域名，访问的域名不在证书里。")
    assert _pads(draft, NOTE, draft.terms)


def test_a_short_answer_keeps_its_note() -> None:
    draft = _draft(int(FULL_ANSWER * 700) - 50, "证书只匹配一级子域名，访问的域名不在证书里。")
    assert not _pads(draft, NOTE, draft.terms)


def test_a_note_naming_what_the_answer_lacks_follows() -> None:
    draft = _draft(int(FULL_ANSWER * 700) + 1, "访问的域名不在列表里。")  # no 证书 yet: the note names it
    assert not _pads(draft, NOTE, draft.terms)


@pytest.fixture(scope="module")
def ask(keyword_demo):
    return asker(keyword_demo, "faqnote")


def test_a_whole_causes_list_gets_no_restating_note(ask) -> None:
    body = ask("手上是 *.example.com 的证书，访问 example.com 提示 ERR_CERT_COMMON_NAME_INVALID")["answer"]
    body = body.split("**参考来源**")[0]
    assert "通配符证书的层级误解" in body, body  # the causes list is the answer
    assert "表示证书绑定的域名与访问的域名不匹配" not in body, body  # the FAQ entry only restates it
