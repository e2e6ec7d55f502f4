"""Tokenizer and lexicon mining: technical tokens kept whole, stop words out, lower-case."""

from knowledge.document import Block, ParsedDocument
from knowledge.lexicon import mine_terms
from knowledge.text import KBTokenizer, normalize_codes, tokenize


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


def test_domain_words_stay_whole_in_their_base_only():
    tokens = KBTokenizer(["星栈云控制台"]).tokenize("登录星栈云控制台查看")
    assert "星栈云控制台" in tokens and "登录" in tokens and "查看" in tokens
    assert "星栈云控制台" not in tokenize("登录星栈云控制台查看")  # no process-wide dictionary drift


def test_mine_terms_finds_codes_products_and_keys():
    doc = ParsedDocument(
        title="MySQL 连接数排查", meta={}, terms=["云数据库 MySQL", "连接数"],
        blocks=[Block("text", ["现象"], text="报 ERROR 1040，Pod CrashLoopBackOff，IST0101，调整 max_connections 和 SCS.QuotaExceeded")])
    terms = dict(mine_terms(doc))
    for term in ("error 1040", "crashloopbackoff", "ist0101", "max_connections", "scs.quotaexceeded", "mysql"):
        assert term in terms, term
    assert terms["云数据库 mysql"] == "declared"


def test_sharded_dictionary_cuts_exactly_like_a_fully_loaded_jieba(tmp_path):
    import jieba

    from knowledge.demo_kb import DEMO_DIR
    from knowledge.segmenter import Segmenter

    full = jieba.Tokenizer()
    full.initialize()
    lazy = Segmenter(cache_dir=tmp_path)
    texts = [p.read_text(encoding="utf-8") for p in sorted(DEMO_DIR.rglob("*.md"))]
    texts += ["云朵为什么是白色的", "红烧肉怎么做才好吃", "服务网格的边车注入失败怎么办", "钟钟钟"]
    for text in texts:
        assert list(lazy.cut_for_search(text)) == list(full.cut_for_search(text, HMM=True))
    assert list(tmp_path.glob("*.shards")) and len(lazy.version) == 16
    assert Segmenter(cache_dir=tmp_path).version == lazy.version  # the cache is reused, same dictionary


def test_sharded_tags_are_jieba_posseg_tags_for_every_dictionary_word(tmp_path):
    import jieba.posseg

    from knowledge.segmenter import Segmenter

    full = jieba.posseg.dt.word_tag_tab
    lazy = Segmenter(cache_dir=tmp_path)
    assert [w for w in full if lazy.tag(w) != full[w]] == []
    assert lazy.tag("安全组") is None and lazy.tag("") is None  # not a dictionary word
    fresh = Segmenter(cache_dir=tmp_path)  # read back from the cache file, one first character at a time
    assert fresh.tag("发票") == full["发票"] and fresh._tags_loaded == {"发"}
