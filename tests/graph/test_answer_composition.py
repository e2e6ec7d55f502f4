"""What the agent reads, on the real demo KB (issue 12, composition): whole list items, a nested
item only under its parent, one copy of a section and one card per passage."""

from __future__ import annotations

import re

import pytest

from graph.service import Copilot
from tests.graph.conftest import make_context
from tests.graph.fakes import single_page_units


@pytest.fixture(scope="module")
def ask(demo_knowledge):
    copilot = Copilot(make_context(demo_knowledge))
    counter = iter(range(1000))
    return lambda message: copilot.ask(message, f"compose-{next(counter)}", kb="demo").to_json()


def body(result: dict) -> str:
    return result["answer"].split("**参考来源**")[0]


def test_a_nested_item_comes_under_its_parent_and_items_are_never_run_together(demo_knowledge):
    """The causes section of the SignatureDoesNotMatch page as evidence (its chunks merged):
    a matched nested item ("Content-MD5 签了但没发") is shown under its parent item."""
    from graph.doc_units import merge_texts
    from graph.extractive import extractive_units

    chunks = [c for c in demo_knowledge.document_chunks("demo", "docs/sos/signature-mismatch.md")
              if (c.get("heading_path") or [])[-1:] == ["可能原因"]]
    passage = {"kind": "doc", "source": "docs/sos/signature-mismatch.md", "title": "签名错误 SignatureDoesNotMatch",
               "heading_path": ["可能原因"], "chunk_id": chunks[0]["chunk_id"], "meta": {},
               "text": merge_texts([c["text"] for c in chunks])}
    units = extractive_units("自己签名 Content-MD5 签了但没发 报 SignatureDoesNotMatch", [passage], qtype="cause")
    texts = [u["text"] for u in units]
    nested = [i for i, t in enumerate(texts) if t.startswith("   ") and "Content-MD5" in t]
    assert nested, texts
    assert any("待签名字符串构造不一致" in t for t in texts[:nested[0]]), texts
    assert not any(re.search(r"[；;。] - |。 \d\. \*\*", t) for t in texts), texts


def test_a_section_inside_another_evidence_section_is_shown_once(ask):
    result = ask("接口跑一分钟左右就返回 504 是怎么回事")
    text = body(result)
    assert text.count("60 秒内没有返回响应") <= 1, text
    keys = [(c["source"], c.get("text", "")[:60]) for c in result["citations"]]
    assert len(keys) == len(set(keys)), result["citations"]


def test_a_faq_entry_on_the_same_trouble_follows_the_documents_causes(ask):
    """The FAQ's one-line fix ("lsof | grep deleted") is not lost behind the causes list."""
    result = ask("删了大日志 磁盘空间还是没回来 df 和 du 对不上")
    text = body(result)
    sources = [c["source"] for c in result["citations"]]
    assert sources and sources[0].startswith("docs/"), sources  # the document answers first
    assert "lsof" in text and "faq/faq.jsonl" in sources, text


def test_every_step_of_a_procedure_shows_its_command_when_it_has_one(ask):
    """A step whose explanation does not fit its share keeps its command: the command is the step."""
    text = body(ask("新数据盘挂上以后系统里找不到 怎么处理 给个步骤"))
    steps = re.split(r"^\d\. \*\*", text, flags=re.M)[1:]
    assert len(steps) >= 5, text
    partition = next(s for s in steps if s.startswith("创建分区"))
    assert "parted" in partition, text


def test_a_rare_identifier_of_the_question_makes_a_passage_relevant(tmp_path):
    """Keyword only: spoken words the base never uses dilute the share; the error code itself
    still counts."""
    from knowledge.config import KnowledgeSettings
    from knowledge.demo_kb import DEMO_DIR
    from knowledge.service import KnowledgeService
    from models.config import EmbedderSettings
    from models.embeddings.registry import create_embedder

    service = KnowledgeService(KnowledgeSettings(dense="off"), tmp_path, create_embedder(EmbedderSettings(backend="hash")))
    try:
        service.ingest([DEMO_DIR], kb="demo")
        question = "老是 RequestTimeTooSkewed 啥玩意"
        chosen = service.select(question, service.retrieve(question, kb="demo", k=8), 4)
        assert any("RequestTimeTooSkewed" in p.text for p in chosen), [p.source for p in chosen]
    finally:
        service.close()


def test_a_sentence_going_on_from_another_brings_it(ask):
    text = body(ask("ERR_TOO_MANY_REDIRECTS 是怎么回事"))
    assert "X-Forwarded-Proto" in text, text
    lines = [line for line in text.splitlines() if line.strip()]
    assert not any(line.startswith("否则") and (i == 0 or "X-Forwarded-Proto" not in lines[i - 1])
                   for i, line in enumerate(lines)), text


def test_numbered_items_left_after_the_check_count_from_one(ask):
    text = body(ask("通配符证书 *.example.com 访问 example.com 报 COMMON_NAME_INVALID"))
    numbers = [int(m.group(1)) for m in re.finditer(r"^(\d+)\. (?!\*\*[^*]+\*\*(\[\d+\])*$)", text, re.M)]
    runs = [n for k, n in enumerate(numbers) if k == 0 or n != numbers[k - 1] + 1]
    assert all(n == 1 for n in runs), text


def test_a_value_question_asking_two_things_gets_a_sentence_for_each(ask):
    text = body(ask("ske 集群的 kubeconfig 从哪下载 在办公网连不上 api server"))
    assert "kubeconfig" in text and "公网访问" in text, text


def test_a_symptom_answer_has_room_for_the_causes_and_how_the_check_works(ask):
    text = body(ask("健康检查一直不健康 后端全部异常"))
    assert "100.64.0.0/10" in text and "2xx" in text, text


def test_the_steps_of_an_outline_answer_are_what_a_follow_up_can_point_at(ask):
    """"第三步…" in the next message is the third STEP, not the third numbered line of the answer
    (a step's own sub-steps and commands are indented under it)."""
    from graph.references import answer_items

    result = ask("云盘扩容的步骤")
    _, items = answer_items(result["answer"])
    assert len(items) >= 4 and all("\n" not in i and "```" not in i for i in items), items
    assert "扩展分区" in items[2], items


def test_a_list_from_another_passage_counts_again(ask):
    """A cited source change inside a numbered run ("2. …[1]" then "3. …[2]") reads as one list."""
    text = body(ask("空 Referer 被拒绝怎么办？"))
    assert "防盗链" in text, text
    for m in re.finditer(r"^(\d+)\. .*?\[(\d+)\]", text, re.M):  # a source mark on a numbered line
        assert m.group(1) == "1", text  # starts its own count


def test_a_bare_yes_or_no_from_a_faq_reads_with_its_question(ask):
    """"不需要。" alone answers a question the user did not ask; with the entry's question it reads."""
    text = body(ask("云盘扩容"))
    first = text.strip().splitlines()[0]
    assert not re.match(r"^(不需要|需要|可以|不可以|不会|会)[。，]", first), text


def test_a_short_verdict_on_another_question_reads_with_its_question(ask):
    """"不会立即停止。" judges the FAQ's own question (会马上停吗), not "数据会不会没": alone it reads as "数据不会没"."""
    text = body(ask("欠费停机了数据会不会没"))
    first = text.strip().splitlines()[0]
    assert not first.startswith("不会"), text
    assert "数据删除" in text, text


def test_opens_with_verdict_is_the_short_verdict_only():
    from graph.faq_entry import opens_with_verdict

    assert opens_with_verdict("不会立即停止。") and opens_with_verdict("可以，但要先关机。")
    assert not opens_with_verdict("账户余额小于 0 后，按量付费资源会在 2 小时后停服，不会立即停止。")
    assert not opens_with_verdict("默认 10 分钟。")


def test_the_value_sentence_is_kept_when_the_sentence_it_goes_on_from_does_not_fit():
    """'因此…' brings the sentence before it only when both fit; the value sentence itself is never
    dropped for its context (the TiDB BR FAQ section, read from the shared corpora)."""
    from pathlib import Path

    from graph.value_fact import best_fact
    from graph.relevance import question_terms

    page = Path(__file__).resolve().parents[2] / "../shared/corpora/tidb-docs-cn/faq/backup-and-restore-faq.md"
    if not page.is_file():
        pytest.skip("shared corpora not found")
    text = page.read_text(encoding="utf-8")
    head = next(line for line in text.splitlines() if line.startswith("### ") and "entry too large" in line)
    section = text.split(head, 1)[1].split("\n### ", 1)[0].strip()
    passage = {"kind": "doc", "source": "tidb-docs-cn/faq/backup-and-restore-faq.md", "title": "备份与恢复常见问题",
               "heading_path": [head[4:]], "text": section, "meta": {}}
    question = "用 br 恢复几千张表 建表时报 entry too large 应该调哪个参数"
    _, units = best_fact([passage], question_terms(question), question, 200)
    assert any("ddl-batch-size" in u.text for u in units), units


def test_the_sentence_going_on_from_a_matched_error_comes_with_it():
    """'…这样的错误。这可以通过使用 STRICT 或 DISABLE 模式…': the fix goes on from the matched error
    sentence (the Istio FAQ page, read from the shared corpora)."""
    from pathlib import Path

    page = Path(__file__).resolve().parents[2] / "../shared/corpora/istio-zh/content/zh/about/faq/security/mysql-with-mtls.md"
    if not page.is_file():
        pytest.skip("shared corpora not found")
    body_text = page.read_text(encoding="utf-8").split("---", 2)[2].strip()
    question = "装了 istio 之后连 mysql 报 ERROR 2013 Lost connection to MySQL server 怎么回事"
    text = single_page_units(question, "istio-zh/about/faq/security/mysql-with-mtls.md", "MySQL 连接故障排除", body_text,
                             "symptom")
    assert "ERROR 2013" in text and "STRICT" in text, text


def test_the_section_quoting_the_error_code_anchors_the_answer_and_keeps_its_sentence(demo_knowledge):
    """A page about a near word (CORS '浏览器报错') ranked first does not anchor an answer to
    'ERR_TOO_MANY_REDIRECTS' when another selected section quotes the code; and that section's
    matched sentence survives a small budget (its context gives way, not the fact)."""
    from graph.evidence import build_evidence
    from graph.passages import to_state
    from graph.relevance import question_terms
    from graph.section_answer import from_section
    from knowledge.types import Passage

    def section(source: str, heading: str) -> dict:
        rows = [c for c in demo_knowledge.document_chunks("demo", source) if (c.get("heading_path") or [])[-1:] == [heading]]
        c = rows[0]
        return to_state(Passage(chunk_id=c["chunk_id"], source=source, title=c.get("title") or "", kb="demo",
                                heading_path=list(c.get("heading_path") or []), text=c["text"], kind=c.get("kind") or "doc"))

    question = "配置好以后浏览器一直报 ERR_TOO_MANY_REDIRECTS"
    https = section("docs/clb/https-listener.md", "后端如何知道原始请求是 HTTPS")
    cors = section("docs/sos/cors.md", "常见问题")
    terms = question_terms(question, "", None, [https["text"], cors["text"]])
    evidence = build_evidence([https, cors], lambda kb, source: demo_knowledge.document_chunks(kb, source),
                              "symptom", terms)
    assert evidence[-1]["source"] == "docs/clb/https-listener.md", [p["source"] for p in evidence]
    shown = " ".join(u.text for u in from_section(https, "symptom", terms, 100))
    assert "ERR_TOO_MANY_REDIRECTS" in shown, shown


def test_a_comparison_after_a_faq_answer_gets_the_pages_comparison_table(ask):
    text = body(ask("SSH 登录和 VNC 登录区别在哪"))
    assert "1 个会话" in text or "同时连接数" in text, text


def test_a_lead_in_whose_command_is_left_out_does_not_dangle(ask):
    """'如果 sshd 没有运行：' + its command, the command over the step's share: the lead-in goes
    with it (no '如果 sshd 没有运行。' saying nothing)."""
    text = body(ask("SSH 连接超时怎么办？"))
    assert not re.search(r"^\s*(如果|若|当)[^，,。\n]{0,20}。(\[\d+\])*$", text, re.M), text


def test_a_numbered_list_inside_an_outline_step_is_not_cut_before_its_last_item(ask):
    """The console step of the expand-disk outline ends with the action itself ("更多 > 扩容");
    showing its first two items only leaves the user at "创建快照". The later steps keep their
    commands (the list's end is shown beyond the budget, not taken from them). A user who says the
    expansion is done ("扩容了") skips that step (graph/done_steps.py)."""
    text = body(ask("云盘扩容 df 看还是老大小"))
    assert "创建快照" in text and "更多 > 扩容" in text, text
    done = body(ask("云盘扩容了 df 看还是老大小"))
    assert "更多 > 扩容" not in done and "growpart /dev/vdb 1" in done, done
    assert "blkid" in body(ask("新买的数据盘挂上了 系统里看不到 要怎么弄 给个步骤"))



def test_a_faq_entry_asking_what_the_user_asked_answers_without_echoing_its_question(ask):
    """"云盘能缩容吗": the entry "云盘可以缩容吗？" asks the same; its "不可以。" answers the user's own words."""
    text = body(ask("云盘能缩容吗"))
    first = text.strip().splitlines()[0]
    assert first.startswith("不可以。") and "缩容吗？" not in text, text


def test_a_value_question_gets_the_value_not_the_entrys_bare_verdict(ask):
    """"一天能刷多少条" asks a count: the entry "CDN 刷新每天有次数限制吗？" answers "有。" before the counts,
    and that verdict, prefixed with the entry's question, would ask the user back what they never asked."""
    text = body(ask("CDN 刷新一天能刷多少条"))
    assert text.strip().startswith("URL 刷新每天最多 2000 条") and "限制吗" not in text, text
    assert body(ask("CDN 刷新每天有次数限制吗")).strip().startswith("有。")  # asked yes or no: the verdict leads


def test_a_pointer_inside_a_sentence_with_its_own_instruction_stays():
    from graph.answer_text import without_pointers

    units = [{"text": "需要先在控制台重置密码，参见重置密码。", "block": "sentence"},
             {"text": "参见 NAT 网关：无公网 IP 的实例访问外网。", "block": "sentence"},
             {"text": "查看日志即可定位问题。", "block": "sentence"}]
    assert [u["text"][:4] for u in without_pointers(units)] == ["需要先在", "查看日志"]
    assert without_pointers(units[1:2]) == units[1:2]  # nothing else to show: the pointer is better than nothing


def test_a_sentence_about_the_document_is_no_answer_line():
    from graph.answer_text import without_pointers

    units = [{"text": "本页面向 SRE 值班同学，覆盖常见故障。", "block": "sentence"},
             {"text": "在实例详情页“数据安全性 → 白名单”中添加网段。", "block": "sentence"}]
    assert [u["text"][:2] for u in without_pointers(units)] == ["在实"]
