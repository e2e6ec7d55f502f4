"""Typos corrected against the KB's words: homophones (pinyin IME slips) and swapped letters."""

from __future__ import annotations

from graph.spelling import SpellingFixer


def fixer() -> SpellingFixer:
    return SpellingFixer.from_counts({"积分": 12, "扩容": 30, "只读": 9, "windows": 40, "证书": 50,
                                      "排查": 60, "上报": 3, "保证": 4},
                                     lexicon={"安全组", "cpu 积分", "只读实例", "负载均衡"})


def test_homophone_slips_become_the_kb_term() -> None:
    fix = fixer()
    assert fix.correct("CPU 积份用完了怎么办") == "CPU 积分用完了怎么办"
    assert fix.correct("安全祖规则怎么配") == "安全组规则怎么配"
    assert fix.correct("数据库变成只毒了") == "数据库变成只读了"
    assert fix.correct("帮我拍查一下") == "帮我排查一下"


def test_swapped_letters_in_an_english_word() -> None:
    assert fixer().correct("windwos 远程桌面") == "windows 远程桌面"
    assert fixer().correct("mysqld 起不来") == "mysqld 起不来"  # a longer name is no typo


def test_a_dropped_letter_in_a_long_word_is_restored() -> None:
    fix = SpellingFixer.from_counts({"connection": 30, "refused": 9, "nginx": 20}, lexicon=set())
    assert fix.correct("ssh 报 conection refused") == "ssh 报 connection refused"
    assert fix.correct("ngin 配置") == "ngin 配置"  # short words: too often a name of their own


def test_real_words_are_left_alone() -> None:
    fix = fixer()
    for text in ("App 上报证书不受信任", "这个值一般设多少", "负载均衡健康检查", "SSH 连接超时怎么办"):
        assert fix.correct(text) == text


def test_pinyin_initialisms_become_the_bases_word() -> None:
    fix = SpellingFixer.from_counts({"服务器": 40, "数据库": 30, "防火墙": 5, "http": 9, "发文权": 1}, lexicon=set())
    assert fix.correct("fwq 重启卡住了") == "服务器 重启卡住了"
    assert fix.correct("sjk连不上") == "数据库连不上"
    assert fix.correct("fhq 要关吗") == "防火墙 要关吗"
    # words the base uses, English words (vowels), capitals and parts of names stay as written
    for text in ("http 跳转", "you can see", "FWQ 重启", "/usr/fwq 目录", "fwq2 节点", "my-fwq 主机"):
        assert fix.correct(text) == text, text


def test_only_the_head_of_a_long_message_is_corrected() -> None:
    from graph.spelling import MAX_CHARS

    fix = fixer()
    question = "CPU 积份用完了怎么办，windwos 日志如下：\n"
    log = "安全祖 windwos 积份\n" * (MAX_CHARS // 5)  # pasted after the question, far past the limit
    fixed = fix.correct(question + log)
    assert fixed.startswith("CPU 积分用完了怎么办，windows 日志如下：\n")
    assert fixed.endswith(log[-(len(question) + len(log) - MAX_CHARS):])  # nothing past the limit changed
    straddling = "好" * (MAX_CHARS - 2) + "积份"  # a run that reaches the limit is left whole
    assert fix.correct(straddling + "后面") == straddling + "后面"


def test_a_common_spoken_verb_is_not_fixed_into_a_noun() -> None:
    # 该区 is a word of the base and sounds like 该去, but 去 is a common verb: a spoken phrase, no slip
    fix = SpellingFixer.from_counts({"该区": 5, "排查": 60, "生效": 40}, lexicon=set())
    assert fix.correct("日志我该去查哪个") == "日志我该去查哪个"
    assert fix.correct("帮我拍查一下") == "帮我排查一下"  # 拍 -> 排: a verb for a verb is still a slip
    assert fix.correct("多久能生笑") == "多久能生效"  # 生效 is common: a slip, though 笑 is a verb


def test_a_contraction_becomes_the_bases_one_term() -> None:
    fix = SpellingFixer.from_counts({"专用发票": 5, "普通发票": 4, "负载均衡": 9, "负责均衡": 2, "北京大学": 3},
                                    lexicon=set())
    assert fix.correct("个人能开专票吗") == "个人能开专用发票吗"
    assert fix.correct("普票怎么开") == "普通发票怎么开"
    assert fix.correct("负衡是什么") == "负衡是什么"  # two terms fit: none is taken
    assert fix.correct("北大在哪") == "北大在哪"  # a word of its own is no contraction


def test_a_common_function_word_is_meant() -> None:
    # 挂载 sounds like 挂在, but 在 is a preposition ("挂在 clb 上"): a spoken phrase, no slip for the term
    fix = SpellingFixer.from_counts({"挂载": 30, "积分": 12, "证书": 50}, lexicon=set())
    assert fix.correct("证书挂在 clb 上的话怎么换") == "证书挂在 clb 上的话怎么换"
    assert fix.correct("它的积份在哪看") == "它的积分在哪看"  # 份 is a measure word: still a slip


def test_short_and_doubled_letter_typos_of_the_bases_names() -> None:
    fix = SpellingFixer.from_counts({"kubelet": 70, "sidecar": 40, "pending": 14, "terminating": 3, "ubuntu": 4,
                                     "envoy": 50, "destinationrule": 11, "world": 3, "alter": 3}, lexicon={"steal"})
    assert fix.correct("kubelt 起不来") == "kubelet 起不来"  # a letter dropped from a 6-letter word
    assert fix.correct("带 sidcar 的 pod") == "带 sidecar 的 pod"
    assert fix.correct("pod 一直 pendding") == "pod 一直 pending"  # a letter doubled
    assert fix.correct("pod ternimating 删不掉") == "pod terminating 删不掉"  # far letters swapped, long word
    assert fix.correct("ubunut 和 enovy") == "ubuntu 和 envoy"
    assert fix.correct("DestinationRlue 里") == "DestinationRule 里"  # the written case is kept


def test_general_english_words_and_rare_names_are_meant() -> None:
    fix = SpellingFixer.from_counts({"world": 3, "alter": 3, "pending": 14, "mysql": 30}, lexicon={"steal"})
    for text in ("it would fail", "After logging in", "steam 账号被盗了", "mysqld 起不来", "nginx 配置"):
        assert fix.correct(text) == text, text


def test_a_grammatical_character_beside_a_word_is_meant() -> None:
    # 不/就/又/只/里/跟 beside a free word are two words, not a slip for the base's 起步/旧有/友好/指出/利用/根域名
    fix = SpellingFixer.from_counts({"起步": 5, "旧有": 3, "友好": 4, "指出": 6, "利用": 9, "根域名": 8, "补充": 5,
                                     "状态": 90, "只读": 9, "不仅": 4, "连不上": 3}, lexicon=set())
    for text in ("deployment 起不来", "隔三差五就有进程被杀", "重启几次又好了", "只出了 Client Version",
                 "在 k8s 里用 operator 装的", "证书跟域名对不上", "要是一直不充呢", "现在谁都连不进"):
        assert fix.correct(text) == text, text
    assert fix.correct("下线节点，状太一直不变") == "下线节点，状态一直不变"  # 状 is no word alone: a slip
    assert fix.correct("数据库变成只毒了") == "数据库变成只读了"


def test_neighbours_swapped_in_a_four_letter_name() -> None:
    fix = SpellingFixer.from_counts({"tikv": 90, "helm": 30, "etcd": 40, "from": 50, "node": 60}, lexicon=set())
    assert fix.correct("tkiv 老是挂掉") == "tikv 老是挂掉"  # as the knowledge layer's query repair reads it
    assert fix.correct("hlem 安装失败") == "helm 安装失败"
    assert fix.correct("etdc 备份") == "etcd 备份"
    for text in ("itkv 挂了", "tikx 挂了", "form 表单", "nide 挂了"):  # first letter, a changed letter, a word
        assert fix.correct(text) == text, text
