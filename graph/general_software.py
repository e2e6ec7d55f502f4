"""Questions about a programming language, an office program or a document format itself, which a cloud support desk does not serve.

"Python 怎么把字符串转成数字", "JS 数组里的对象怎么去重", "excel 怎么冻结首行": the vocabulary accepts
them, since a cloud base names the languages its clients are written in (a Java client's error,
PHP-FPM's memory) and writes generic words (对象, 格式化, 线程, 文件). Unlike an everyday service
(graph.everyday_services), a language the base mines as a domain term stays a language: the base
names Java as a client of its products, not as the topic of its pages. Such a message is the desk's
only when it names a term of the base beyond the language and the programming words (`CODE_WORDS`):
"java 连 mysql 报 1045", "Node.js 写的后端呢" (后端), "java 进程老被 oom killer 干掉" (oom); or when the
base itself writes the language beside another thing the message names ("是 java 进程 怎么找到哪个线程":
the CPU page writes Java with 进程).
Used by graph.domain_check.judge; tests: tests/graph/test_guard_software.py.
"""

from __future__ import annotations

import re

from graph.domain_score import content_tokens, known_to_base
from graph.everyday_services import base_terms_in
from graph.vocabulary import KBVocabulary
from graph.word_class import topic_weight

# Programming languages and front-end frameworks, and office programs, as users write them.
LANGUAGES = (
    "python", "java", "javascript", "js", "typescript", "golang", "go", "c++", "c#", "c语言", "php", "rust",
    "ruby", "kotlin", "swift", "scala", "lua", "perl", "matlab", "vue", "react", "angular", "jquery", "node.js",
    "nodejs", "dart", "flutter",
)
OFFICE = ("excel", "word", "ppt", "powerpoint", "wps", "photoshop")
DOCUMENTS = ("pdf", "docx", "doc", "xlsx", "xls", "pptx", "jpg", "jpeg", "png", "gif", "mp4", "mp3")
"""Office and media file formats: "pdf 文件太大怎么压缩" asks about the document, as "word 文档" does;
a format beside a term of the base ("发票 pdf", "cdn 上的 png 不更新") stays the base's."""
CODING = re.compile(r"编程|写(?:个|段|一段|一个)?代码|代码(?:怎么|咋)写")
"""Asking for code itself, no language named ("链表怎么反转 写个代码")."""
# What a question about a language's own constructs is made of: data types and structures, syntax,
# algorithms, text and file handling. Beside a language, these are the language's words.
CODE_WORDS = frozenset({
    "字符串", "字符", "数组", "列表", "字典", "元组", "集合", "对象", "元素", "属性", "方法", "函数", "变量", "常量",
    "参数", "类", "类型", "类型别名", "接口", "泛型", "指针", "引用", "链表", "栈", "队列", "堆", "哈希", "哈希表",
    "二叉树", "递归", "循环", "遍历", "排序", "去重", "拷贝", "深拷贝", "浅拷贝", "格式化", "日期", "时间", "数字",
    "整数", "浮点数", "小数", "正则", "正则表达式", "闭包", "装饰器", "继承", "多态", "构造函数", "组件", "传值",
    "语法", "代码", "算法", "复杂度", "时间复杂度", "线程", "多线程", "单线程", "线程池", "协程", "异步", "回调",
    "编译", "越界", "切片", "乱序", "所有权", "模块", "map", "list", "dict", "array", "string", "文件", "读取",
    "写入", "转换", "编码", "乱码", "key", "value", "键值", "表格", "单元格", "文档", "页码", "公式", "图表", "动画", "幻灯片",
})
_CODE_LONGEST = sorted(CODE_WORDS, key=len, reverse=True)
_NAMES = sorted(LANGUAGES + OFFICE + DOCUMENTS, key=len, reverse=True)
_ASCII = re.compile(r"^[\x00-\x7f]+$")


def _pattern(name: str) -> re.Pattern:
    """An ASCII name as a whole word ("go", not the go of "django"; "c++" up to its last sign); "c语言"
    with or without a space."""
    if name == "c语言":
        return re.compile(r"(?<![a-z0-9])c\s*语言")
    return re.compile(rf"(?<![a-z0-9+#.]){re.escape(name)}(?![a-z0-9+#])")


_PATTERNS = {name: _pattern(name) for name in _NAMES}


def software_named(text: str) -> str | None:
    """The language or office program a message names, if any (the longest first: "javascript", not "java")."""
    low = text.lower()
    found = next((name for name in _NAMES if _PATTERNS[name].search(low)), None)
    coding = CODING.search(low)
    return found or (coding.group(0) if coding else None)


def _without_names(low: str) -> str:
    for name in _NAMES:
        low = _PATTERNS[name].sub(" ", low)
    return CODING.sub(" ", low)


def _code_only(term: str) -> bool:
    """A term made of programming words alone ("格式化", "数组"): the language's as much as the base's."""
    for word in _CODE_LONGEST:
        term = term.replace(word, "")
    return not term.strip()


def base_terms_beyond_code(text: str, vocab: KBVocabulary) -> list[str]:
    """The base's domain terms (mined, or general cloud terms it uses) the message names besides the
    software's name and the programming words: "mysql" in "python 连 mysql 报 2003", none in "PHP 日期怎么格式化"."""
    return base_terms_in(_without_names(text.lower()), vocab, _code_only)


def _in_the_bases_sense(name: str, text: str, vocab: KBVocabulary) -> bool:
    """Does the base write the software's name beside another thing the message names, one that is no
    programming word ("java 进程": the CPU page's Java process)? Then the message asks about that use of it."""
    if not vocab.doc_freq(name):
        return False
    low = _without_names(text.lower())
    things = [t for t in content_tokens(low, vocab) if t not in CODE_WORDS and topic_weight(t) >= 1.0
              and not _ASCII.match(t) and known_to_base(t, vocab)]
    return bool(things) and vocab.association(name, things) > 0


def about_general_software(text: str, vocab: KBVocabulary) -> str | None:
    """The language or office program a message asks about when it names nothing of the base beyond it
    and the programming words ("python 多线程为什么比单线程还慢" -> "python"); None for a question about
    the base that merely names its client's language."""
    name = software_named(text)
    if name is None or base_terms_beyond_code(text, vocab) or _in_the_bases_sense(name, text, vocab):
        return None
    return name
