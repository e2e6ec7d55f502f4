"""Tokenizer and lexicon mining: technical tokens kept whole, stop words out, lower-case."""

from knowledge.document import Block, ParsedDocument
from knowledge.lexicon import mine_terms
from knowledge.text import add_terms, normalize_codes, tokenize


def test_error_codes_are_one_token_in_index_and_query():
    assert normalize_codes("报错 ERROR 1105 (HY000)") == "报错 error_1105 (HY000)"
    assert "error_1105" in tokenize("TiDB 报 ERROR 1105")
    assert "error_1105" in tokenize("error:1105 怎么办")


def test_camelcase_codes_and_config_keys_are_kept_whole():
    tokens = tokenize("Pod 一直 CrashLoopBackOff，istioctl 提示 IST0101，调大 tidb_ddl_reorg_worker_cnt")
    assert {"crashloopbackoff", "ist0101", "tidb_ddl_reorg_worker_cnt", "pod", "istioctl"} <= set(tokens)
    assert "reorg" in tokens  # compound keys also emit their parts for partial mentions


def test_stop_words_removed_and_lower_cased():
    tokens = tokenize("请问 The SSH 连接 是 什么 问题")
    assert "ssh" in tokens and "the" not in tokens and "是" not in tokens and "什么" not in tokens


def test_domain_words_stay_whole_after_add_terms():
    add_terms(["星栈云控制台"])
    assert "星栈云控制台" in tokenize("登录星栈云控制台查看")


def test_mine_terms_finds_codes_products_and_keys():
    doc = ParsedDocument(
        title="MySQL 连接数排查", meta={}, terms=["云数据库 MySQL", "连接数"],
        blocks=[Block("text", ["现象"], text="报 ERROR 1040，Pod CrashLoopBackOff，IST0101，调整 max_connections 和 SCS.QuotaExceeded")])
    terms = dict(mine_terms(doc))
    for term in ("error 1040", "crashloopbackoff", "ist0101", "max_connections", "scs.quotaexceeded", "mysql"):
        assert term in terms, term
    assert terms["云数据库 mysql"] == "declared"
