"""When a FAQ entry answers alone, leads a documentation section, or stays out (graph/faq_entry.py,
graph/extractive.py): an entry about another thing than the answer's page adds no note; on the demo base."""

from __future__ import annotations

from graph.faq_subject import page_behind, same_subject
from graph.service import Copilot
from tests.graph.conftest import make_context



def _entry(question: str) -> dict:
    return {"kind": "faq", "source": "faq/faq.jsonl", "title": "常见问题", "heading_path": [question],
            "text": f"问：{question}\n答：…", "meta": {"question": question}}


def _page(title: str, text: str = "") -> dict:
    return {"kind": "doc", "source": "docs/x.md", "title": title, "heading_path": ["现象"], "text": text}


def test_an_entry_and_a_page_naming_one_thing_share_a_subject():
    assert same_subject(_entry("内存不足进程被杀了怎么查？"), [_page("内存不足与 OOM 排查")])
    assert same_subject(_entry("磁盘满了 No space left on device 怎么办？"), [_page("磁盘空间满排查")])
    assert not same_subject(_entry("实例元数据地址是什么？"), [_page("解析生效时间与 TTL")])
    assert not same_subject(_entry("SSH 连接云服务器提示 Connection timed out 怎么办？"),
                            [_page("NAT 网关：无公网 IP 的实例访问外网", "yum 卡住后报 Connection timed out")])
    # the error code the entry asks about, quoted by the question: the same thing
    assert same_subject(_entry("NET::ERR_CERT_COMMON_NAME_INVALID 是什么意思？"), [_page("证书与域名不匹配")],
                        "浏览器报 NET::ERR_CERT_COMMON_NAME_INVALID")


def test_a_faq_entry_on_another_thing_adds_no_note_to_a_document_answer(keyword_demo):
    body = Copilot(make_context(keyword_demo)).ask("机器没绑公网ip，yum 装东西一直卡住超时，NAT 已经买了",
                                                     "note").answer.split("**参考来源**")[0]
    assert "NAT" in body and "连接超时通常是网络层不通" not in body, body
    same = Copilot(make_context(keyword_demo)).ask("dmesg 里一堆 Out of memory: Killed process 12345 (java)，机器 4G 内存，咋弄",
                                                     "note2").answer.split("**参考来源**")[0]
    assert "free -h" in same, same  # the OOM entry is about the OOM page's thing: its note stays


def test_a_how_to_a_faq_entry_answers_in_short_gets_the_pages_steps_after_it(keyword_demo):
    answer = Copilot(make_context(keyword_demo)).ask("磁盘满了 No space left on device 怎么排查", "steps").answer
    body, sources = answer.split("**参考来源**")
    assert "du -sh" in body, body  # the entry leads: it asks what the question asks
    assert "确认哪个分区满了" in body and "lsof +L1" in body, body  # the page's steps follow it
    assert "docs/disk/disk-full.md" in sources, sources


def test_the_page_behind_an_entry_is_the_retrieved_page_about_its_thing():
    entry = _entry("Pod 一直 Pending 怎么办？")
    other, page = _page("容器服务 SKE 基础"), _page("Pod 一直处于 Pending")
    assert page_behind(entry, [page, other]) is page
    assert page_behind(entry, [other, _entry("Pod 一直 Pending 怎么办？")]) is None  # no page, no other entry


def test_an_entry_asking_about_another_task_does_not_lead_a_how_to():
    from graph.faq_entry import lead_faq
    from graph.relevance import question_terms

    causes = {**_entry("ImagePullBackOff 怎么排查？"),
              "text": "问：ImagePullBackOff 怎么排查？\n答：常见原因：节点没有公网访问能力。镜像仓库地址为 registry.starstack.cn。"}
    question = "节点上怎么测能不能连上仓库"
    assert lead_faq([causes], "howto", question_terms(question, question), question) is None
    same = "ImagePullBackOff 怎么排查"
    assert lead_faq([causes], "howto", question_terms(same, same), same) == 1


def test_a_how_to_answered_by_a_faq_entry_alone_gets_the_page_behind_it(keyword_demo):
    copilot = Copilot(make_context(keyword_demo))
    copilot.ask("拉镜像一直 ImagePullBackOff 事件里 dial tcp 443 i/o timeout", "behind")
    answer = copilot.ask("节点上怎么测能不能连上仓库", "behind").answer
    body, sources = answer.split("**参考来源**")
    assert "curl -I https://registry.starstack.cn/v2/" in body, body
    assert "docs/ske/image-pull-failed.md" in sources, sources


def test_a_value_question_a_faq_entry_was_asked_gets_no_second_fact(keyword_demo):
    copilot = Copilot(make_context(keyword_demo))
    copilot.ask("新建的安全组默认放行哪些端口", "alone")
    body = copilot.ask("那默认安全组呢", "alone").answer.split("**参考来源**")[0]
    assert "TCP 22、TCP 3389 和 ICMP" in body, body
    assert "网络 ACL" not in body, body  # a line from the SSH page padding the entry's whole answer


def test_an_entry_missing_the_colloquial_word_asked_does_not_lead(keyword_demo):
    """"扣钱" is what "实例关机了还扣钱吗" asks (synonyms: 计费, 费用); the entry "重置密码一定要关机吗？"
    shares 实例 and 关机 only and must not answer it."""
    answer = Copilot(make_context(keyword_demo)).ask("实例关机了还扣钱吗", "money").answer.split("**参考来源**")[0]
    assert "重置密码" not in answer and "计费" in answer, answer


def test_misses_colloquial_reads_the_documentation_terms():
    from graph.faq_entry import misses_colloquial

    assert misses_colloquial("关机了还扣钱吗", "重置密码一定要关机吗？默认需要。")
    assert not misses_colloquial("关机了还扣钱吗", "关机后 vCPU 和内存不再计费")
    assert not misses_colloquial("实例怎么关机", "重置密码一定要关机吗？")  # no colloquial word: no verdict
    assert not misses_colloquial("ubuntu镜像默认用户名是啥 用root登陆被拒绝", "Ubuntu 镜像的默认用户名是什么？")  # told, not asked


def test_a_count_asked_of_one_thing_gets_its_entry_not_the_entry_asking_alike(keyword_demo):
    """"一个账号最多几个 eip": the FAQ entry "一个地域能建几个 VPC？" shares the asking words ("几个") and led, the VPC
    quota given as the EIP quota; what the value is of picks the entry, and the asking words are not left over
    for a second line to answer (the VPC line followed the EIP one)."""
    body = Copilot(make_context(keyword_demo)).ask("一个账号最多几个 eip", "count").answer.split("**参考来源**")[0]
    assert "20 个 EIP" in body, body
    assert "VPC" not in body, body
