"""KBVocabulary.lexicon_terms_in: a Latin term is named only as a word of its own."""

from graph.vocabulary import KBVocabulary


def _vocab(*terms: str) -> KBVocabulary:
    return KBVocabulary(knowledge=None, kb="demo", lexicon=set(terms))  # type: ignore[arg-type]


def test_latin_term_inside_a_longer_word_is_not_named():
    vocab = _vocab("df", "ssh", "安全组")
    assert vocab.lexicon_terms_in("pdf 文件太大怎么压缩") == []
    assert vocab.lexicon_terms_in("openssh 升级以后") == []


def test_latin_term_beside_digits_cjk_or_signs_is_named():
    vocab = _vocab("df", "mysql", "eip", "ssh 登录", "安全组")
    assert vocab.lexicon_terms_in("df -h 看着满了") == ["df"]
    assert vocab.lexicon_terms_in("mysql8.0 报错") == ["mysql"]
    assert sorted(vocab.lexicon_terms_in("eip解绑后安全组还在吗")) == ["eip", "安全组"]
    assert vocab.lexicon_terms_in("SSH 登录失败") == ["ssh 登录"]
