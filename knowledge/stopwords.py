"""Stop words dropped from the lexical index and from queries (Chinese function words, English)."""

_ZH = """
的 了 和 是 在 就 都 而 及 与 或 着 也 被 把 让 给 对 从 向 到 由 为 以 于 之 其 这 那 这个 那个 这些 那些
一个 一些 一种 我 你 他 她 它 我们 你们 他们 您 啊 吗 呢 吧 呀 哦 嘛 么 个 些 将 会 能 可 要 请 问 下 上 中
如何 怎么 怎样 怎么办 什么 为什么 哪些 哪个 是否 可以 需要 应该 有 没有 没 不 很 还 又 再 并 等 等等 如果 因为 所以
但 但是 然后 以及 进行 使用 通过 时 时候 后 前 里 内 啥 咋 呀 嗯 一下 一直 已经 现在
"""

_EN = """
a an the and or but if of in on at to for from by with as is are was were be been being it its this that these those
i you he she we they me my your our their what which who whom how why when where do does did doing can could should
would will shall may might must not no so than then there here about into over under again just very also
"""

STOP_WORDS: frozenset[str] = frozenset(_ZH.split()) | frozenset(_EN.split())
