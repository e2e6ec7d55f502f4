"""One definition of an identifier (knowledge/identifiers.py), read three ways: a lower-cased search term,
a word the user wrote, a table row's key. The same token may be an identifier in one and a word in another."""

from __future__ import annotations

from knowledge.identifiers import is_identifier, written_as_words


def test_search_terms_are_told_by_digits_underscores_and_length():
    for term in ("ist0161", "tidb_mem_quota_query", "requesttimetooskewed"):
        assert is_identifier(term, "term"), term
    for term in ("kubectl", "安全组", "pod"):
        assert not is_identifier(term, "term"), term


def test_a_question_s_ordinary_words_are_not_codes():
    for token in ("RequestTimeTooSkewed", "OOMKilled", "DNS.RecordConflict", "IST0108", "NET::ERR_CERT_DATE_INVALID"):
        assert is_identifier(token, "asked"), token
    for token in ("1040", "403", "SDK", "CredSSP", "corsPolicy", "M5.xlarge", "Seconds_Behind_Master", "kubectl"):
        assert not is_identifier(token, "asked"), token


def test_table_keys_are_codes_whatever_their_shape():
    for key in ("1040", "CLB.PortConflict", "NET::ERR_CERT_DATE_INVALID", "OOMKilled", "NXDOMAIN", "C5"):
        assert is_identifier(key, "key"), key
    for key in ("unable to get local issuer certificate", "余额 < 0", "Killed", "按量付费"):
        assert not is_identifier(key, "key"), key


def test_a_long_word_written_as_a_word_of_the_language_is_told_from_a_name():
    """Lower-cased, "serializable" looks like run-together words; the question's own spelling tells them apart."""
    words = written_as_words("隔离级别设成 SERIALIZABLE 报 8048，0/5 nodes: Insufficient cpu，RequestTimeTooSkewed")
    assert {"serializable", "insufficient"} <= words
    assert "requesttimetooskewed" not in words and "cpu" not in words  # a name; lower case stays undecided
    for joined in ("java.sql.BATCHUPDATEEXCEPTION", "KUBE-PROXY", "INSERT_BEFORE"):
        assert not written_as_words(f"报 {joined} 了"), joined  # a part of a joined name is not a word
    assert written_as_words("设成 SERIALIZABLE. 然后") == {"serializable"}  # a full stop ends a word
