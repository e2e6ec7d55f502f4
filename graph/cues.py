"""The words that tell how a message leans on the conversation (shared by follow-up resolution,
the guard's second look and the clarify node): openers, continuations, pronouns, ellipsis,
requests, attribute words. Pure regular expressions and word lists; tests: tests/graph/test_followup.py.
"""

from __future__ import annotations

import re

from graph.references import demonstrative_of, ordinal_of
from graph.subject import FACETS
from graph.substitution import clean_item
from tools.runbooks.matching import problems

TRIM = " ，,。？?！!；;：:"
CONTINUES = re.compile(r"^(?:那么|那(?![个些种边里样])|还有|还|也)")
"""A message that opens by going on from the last one (split drops these words; rewrite passes them on)."""
SWITCH = re.compile(r"(?:换个问题|换个话题|换一个问题|换个事儿?|另外问一下|另外问下|另外|对了|顺便问一下|顺便问下|顺便问一句|"
                    r"顺便问个事儿?|顺便|问一句|再问一个|再问个|新问题|还有[一两]?(?:个|件)(?:问题|事儿?|疑问)|题外话|by the way|btw)[，,：:\s]*",
                    re.IGNORECASE)
"""One opener that starts a new topic (match at the start; `after_openers` takes a chain of them). "还有个事"
opens a new one as split's openers (graph/subject._LEADING_FILLER) read it, not the 还有 that goes on (CONTINUES)."""


def after_openers(text: str) -> int:
    """Where the message starts after its openers: "对了顺便问下 X" -> X, not "顺便问下 X" (0: none)."""
    end = 0
    while (found := SWITCH.match(text, end)) is not None and found.end() > end:
        end = found.end()
    return end
FILLER = re.compile(r"^(?:(?:哦|噢|嗯|好的|好|ok|行|那么|那)[，,\s]*)+|^(?:我是想问|我想问|我是问|我问的是|想问一下|请问)[，,\s]*",
                     re.IGNORECASE)
# (这个月 / 那个时候 / 这个星期 say when, never what: no pronoun)
_WHEN = r"(?!月|星期|礼拜|周|季度|年|时候)"
_NOT_OTHER = r"(?![他它余实中次])"  # 其他 / 其余 / 其实 / 其中 are words of their own, not 其 "its"
PRONOUN = re.compile(rf"它们|它|这个{_WHEN}|那个{_WHEN}|这种|那种|(?<![应活])该|其{_NOT_OTHER}")
# Linear forms (tests/hardening/test_patterns.py): a group starts with \S and an optional word carries
# its own trailing spaces, so two \s* never meet (`\s*(.{1,20}?)\s*(?:的话)?\s*` took 4.5 s on 2,000 chars).
# "这台机器", "这块盘", "这边": the user's own thing, said in passing, not a pointer into the conversation
_MEASURE = "台|块|张|条|边|些|次|里|几台|几个"
LEAD_PRONOUN = re.compile(rf"^(?:那么|那)?\s*(?:(?:把|对|给|让|跟|和)\s*)?(它们|它|这个{_WHEN}|那个{_WHEN}|这种|那种|这(?!个|{_MEASURE})|该|其{_NOT_OTHER})")
WHAT_IF = re.compile(r"^(?:(?:那|那么)?\s*(?:如果|要是|假如|换成|改成)(?:是|用)?\s*(\S.{0,19}?)\s*(?:的话\s*)?"
                      r"(?:呢|怎么样|怎么办|行吗)?|(?:那|那么)?\s*(\S.{0,29}?)\s*(?:的话\s*)?呢"
                      # "Windows 的话怎么弄": the previous question for X
                      r"|(?:那|那么)?\s*(\S.{0,19}?)\s*的话\s*(?:怎么弄|怎么办|怎么做|怎么搞|咋弄|咋办|咋整))$")

# "云盘怎么扩容", "CDN 如何刷新缓存": the action a how-to asks about (a short verb phrase to the end)
HOW_ACTION = re.compile(r"(?:怎么|如何|怎样)(?!办|回事|样|了)\s*([\u4e00-\u9fffA-Za-z][\w\u4e00-\u9fff .-]{1,7}?)\s*[呢吗啊呀的]?[？?。！!]*$")
GENERIC_VERB = re.compile(r"[看弄做办搞写用查配整改设]|操作|处理|解决|排查|回事|设置|配置|开启|打开|查看|使用|做到")


def what_if_item(match: re.Match) -> str:
    """The X of a WHAT_IF match ("如果是 X 呢", "X 呢", "X 的话怎么弄"), cleaned."""
    return clean_item(next((g for g in match.groups() if g), ""))


POSSESSIVE = re.compile(r"^(?:那|那么)?\s*([^，,。？?\s的]{1,16}?)\s*的\s*((?:是|有|能|要|怎么|多少).*)$")
REQUEST = re.compile(r"^(?:(?:好的|好|行|可以|嗯|那)[，,\s]*)*(?:请|麻烦)?(?:帮我|帮忙|带我|你帮我)?"
                      r"(?:排查|诊断|检查|看看|查查|查一下|查下|处理|排障)(?:一下|下)?(?:吧|呗)?$|"
                      r"(?i:^(?:(?:ok|okay|yes|sure|please)[,.!\s]+)*(?:please\s+)?(?:help me\s+|go ahead and\s+)?"
                      r"(?:troubleshoot|diagnose|check)(?:\s+(?:it|this|that))?(?:\s+for me)?(?:,?\s*please)?[.!]?$)")
PRODUCT = re.compile(r"[A-Z][a-z]+[A-Z]{2,}")  # MySQL, CentOS: names of products, not settings
CONFIG_VERB = re.compile(r"配置|在哪配|怎么配|配在|设置|设成|设为|设多少|能设|改成|改为|修改|调大|调小|调整|开启|关闭|打开")
TRAILING_PRONOUN = re.compile(r"(?:这个|那个|它|这样|这种情况)[？?。!！]?$")
PROBLEM_REF = re.compile(r"(?:这个|那个|该|同样的|一样的)(?:错|错误|报错|问题|情况|现象|故障)")
"""The problem the conversation is about, referred to ("也报这个错")."""
ASKS = re.compile(r"怎么|怎样|如何|为什么|为啥|什么|多少|多久|几[个条次天种秒]|哪|吗|能否|是否|有没有|能不能|啥|咋|呢|[？?]")
# Words that name an attribute of something, never the something (端口 of SSH, 参数 of MySQL).
ATTRIBUTES = frozenset({
    "端口", "参数", "配置", "默认值", "默认", "上限", "下限", "阈值", "规则", "日志", "时间", "状态", "版本", "大小", "容量",
    "密码", "账号", "用户名", "用户", "权限", "费用", "价格", "带宽", "超时", "步骤", "命令", "地址", "协议", "方法", "原因",
    "区别", "设置", "有效期", "期限", "限制", "配额", "数量", "性能", "监控", "告警", "白名单", "重启", "规格", "报错",
    "错误码", "路径", "文件", "目录", "格式", "网段", "收费", "计费", "生效", "生效时间", "保留", "提醒", "最大", "最长",
    "初始化", "挂载", "权限", "登录", "访问", "连接", "ip", "机器", "服务器", "主机", "实例",
})
NOT_A_SUBJECT = frozenset({"连不上", "无法连接", "连接失败", "超时", "报错", "宕机", "丢包", "告警", "延迟", "错误码", "日志",
                           "监控", "异常", "失败"})
"""How a problem shows, not what it is about: left out of the subject carried into a follow-up."""
TARGETS = re.compile(r"https?://\S+|(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])(?::\d+)?|"
                      r"(?<![\w.-])(?:[a-z0-9-]+\.)+[a-z]{2,}(?![\w-])", re.IGNORECASE)
ASK_FOR_HELP = re.compile(r"(?:请|麻烦)?(?:帮我|帮忙|带我|你帮我)(?:排查|诊断|检查|看看|查查|查一下|查下|处理|排障)(?:一下|下)?|"
                           r"(?:排查|诊断|检查)一下|(?i:\bhelp me (?:troubleshoot|diagnose)\b|\bwalk me through\b|"
                           r"\btroubleshoot (?:it|this|that)\b)")



def pointer_of(message: str) -> str:
    """The words of a message that point at something unnamed: "它", "这个参数", "第二个方法", "Windows 的…"."""
    text = message.strip().strip(TRIM)
    ordinal, ref = ordinal_of(text), demonstrative_of(text)
    if ordinal is not None:
        return text[ordinal.span[0]:ordinal.span[1]]
    if ref is not None:
        return text[ref.span[0]:ref.span[1]]
    lead = LEAD_PRONOUN.match(text)
    if lead:
        return lead.group(1)
    what_if = WHAT_IF.match(text) or POSSESSIVE.match(text)
    if what_if:
        item = what_if_item(what_if) if what_if.re is WHAT_IF else clean_item(what_if.group(1) or "")
        return f"{item} 的…" if item else text
    return text



def tidy(text: str) -> str:
    text = re.sub(r"^(?:那么|那)\s*(?=\S)", "", text.strip())
    text = re.sub(r"\s{2,}", " ", text)
    return text.strip(" ，,：:") or text


def without_dangling_facet(text: str) -> str:
    """A facet said on its own between the subject and a question about a problem is a spoken aside, not
    what is asked: "Too many connections 上限 现在登不上去怎么处理" asks how to get in, with the error as
    its subject ("… 上限 怎么调" asks about the limit: kept; so is a facet the clause itself names)."""
    pieces = text.split()
    for i, piece in enumerate(pieces[:-1]):
        rest = " ".join(pieces[i + 1:])
        if piece in FACETS and i > 0 and ASKS.search(rest) and problems(rest) and piece not in rest:
            return " ".join(pieces[:i] + pieces[i + 1:])
    return text
