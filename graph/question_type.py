"""What a question asks for, so the answer can be composed accordingly (issue #12).

`question_type(question)` -> one of:
- "compare": 区别 / 对比 / 选哪个 — the sentences or rows naming both sides;
- "cause": 为什么 / 咋回事 / 什么原因 — the causes list;
- "howto": 怎么 / 如何 / 步骤 / 咋办 — the matching section's steps, in order, complete;
- "value": 多少 / 多久 / 默认 / 最大 / 能不能 / …吗 / 在哪 — the sentence with the value (or the
  console path) and its condition;
- "define": 是什么 / 啥意思 (an error code, a term) — its definition;
- "symptom": no question word, a problem reported ("磁盘满了 No space left on device") —
  answered like a troubleshooting question: causes, then what to do.
"还有别的办法吗" (graph/alternatives.py) is a how-to: the page's other way. Within a value question,
the shape of the answer: `asks_verdict` (能…吗 / 还…不 / 行不: the verdict and its reason),
`asks_command` (用啥命令: the command block), `asks_fix` (怎么办 / 咋整: a how-to about a fault), `asks_choice`
(选哪种 / 怎么选: the choosing list answers), `asks_list` (哪几个字段: the list its lead-in
announces), `asked_unit` (几天: "3 个工作日") — composed in graph/value_fact.py.
Pure regular expressions over Chinese and English; tested in tests/graph/test_question_type.py.
"""

from __future__ import annotations

import re
from typing import Literal

from graph.alternatives import asks_alternative
from graph.plan_check import proposes

QuestionType = Literal["compare", "cause", "howto", "value", "define", "symptom"]

# "比较" compares only as a verb ("和 X 比较", "比较一下"); "比较慢", "字符串比较" compare nothing
# "不同" compares only as what is asked ("有啥不同", "和 X 不同", "不同在哪"); "转发到不同后端", "不同地域" compare nothing
_COMPARE = re.compile(r"区别|差别|差异|(有|有啥|有什么|有何|什么|啥|哪些|的)不同|不同(点|之处|在哪|在于)|(和|与|跟|同).{1,20}不同|对比|比较(一下|下)|(和|与|跟).{1,20}比较|(和|与|跟|同).{1,30}(差多少|差几|相差|差距|谁(更|大|小|多|少|快|慢|贵))|有(啥|什么|哪些|何)不一样|哪(里|儿)?不一样|不一样在哪|(和|与|跟|同).{1,20}(一回事|差在哪)|\bvs\.?\b|哪个好|选哪个|哪个更|还是.{0,12}(好|快|便宜|合适)|difference|compare",
                      re.I)
_CAUSE = re.compile(r"为什么|为啥|为何|原因|咋回事|怎么回事|什么情况|啥情况|什么鬼|\bwhy\b|是不是.{0,12}(导致|引起|造成)", re.I)
_HOWTO = re.compile(
    r"怎么|怎样|如何|咋(?!回事)|步骤|流程|办法|方法|解决|处理|排查|操作|给个|教我|在哪|哪里|去哪|从哪|"
    r"\bhow\b|\bsteps?\b|\bfix\b|\bresolve\b|\bconfigure\b", re.I)
# "是不是一定得关机": whether it is needed; "直接 rm 就行了吧": a step proposed, asking to be confirmed
_MUST_ASK = r"是不是(?:一定|必须|非)?(?:得|要|需要)"
_CONFIRM_ASK = r"(?:就行|就好|就够|可以|没问题|没事|不要紧|行|对)(?:了|的)?吧[？?。\s]*$"
_VALUE = re.compile(
    # "申请后几天能开出来": after an action (…后), 几 + a time unit before 能/才/就 asks how long
    r"多少|(?<![这那好前后面头末近])几[个天秒分小核块次台条种位家张岁]|(?<=[^最之]后)几[天秒分小周月年][钟时]?(?=才|就|能|可以)|(还|会|能|要)[^，,。；;？?]{1,10}不[？?\s]*$|可以不[？?\s]*$|多久|多长|多大|多快|多高|最大|最多|最小|最少|最长|上限|下限|默认|"
    r"哪个端口|什么端口|哪些|能不能|能否|可不可以|可以吗|会不会|要不要|是否|支持|吗[？?\s]*$|" + _MUST_ASK + "|" + _CONFIRM_ASK + r"|么[？?\s]*$|行不|行吗|[会能变用收要扣停]不[？?\s]*$|"
    r"(填|用|选|设)(啥|什么)|"
    # an English word asks only as a word: "kubernetes.default", "max-pods", "--default" name things
    r"(?<![\w.:/-])(how (many|much|long)|default|max(imum)?|can i|is it|does)(?![\w.:/-])|"
    # an English question opening with an auxiliary asks yes or no, as "…吗" does: "Is an EIP charged when…"
    r"^\s*(is|are|do|does|can|will|should)\s", re.I)
# "内网ip会变不 / 还能用不": a verb and a trailing 不 ask yes or no as 吗 does (graph/questions._CLAUSE_ASKS)
# "这几台 / 后面几台 / 好几次 / 前几天" count nothing: "几" asks only where no demonstrative leads it.
# "不是说 7800 吗 / 不是已经放行了吗": a challenge — what was expected did not happen — is a problem
# reported, not a yes-or-no question.
_CHALLENGE = re.compile(r"((?<!是)不是|难道不是)(说|应该|已经|都)?[^，。,.？?]{0,24}(吗|么|嘛)[？?！!\s]*$")
_DEFINE = re.compile(r"(是什么|是啥|是个啥|是个什么)(?![\u4e00-\u9fff]{1,2}的)|啥意思|什么意思|指什么|含义|(啥|什么)概念|"
                     r"干(嘛|啥|什么)(用)?的|\bwhat is\b|\bmean(s|ing)?\b", re.I)
"""What a term is: "X 是啥 / 是个什么 / 是干嘛用的 / 啥概念" (not "是啥占的": what fills it)."""
# "怎么看 / 在哪改" ask for a procedure even with a value word; "多少 / 多久" inside a how-to stay how-to;
# "有办法绕过去吗 / 能根治吗" ask for a fix, not a yes or no.
_HOW_FIRST = re.compile(r"怎么(看|查|改|设|配|开|关|加|删|弄|办|做|搞|操作|处理|解决|排查|避免)|如何|步骤|咋(办|整|弄|搞|操作|配|设|改|查|看)|"
                        r"(该|要|先)(干|做|查|看|检查|排查)(啥|什么|哪些|哪里|哪儿)|从哪(里|儿)?(查|看|排查)起|有(什么|啥)?(办法|方法)|有没有(办法|方法)|能(否)?根治|绕过|"
                        # any "怎么 + verb" asks how to do it ("怎么消掉", "怎么调大"), not "怎么样 / 怎么会 / 怎么能"
                        r"(怎么|咋)(?!样|回事|会|可能|这么|那么|也|都|还|又|就|能|可以)[\u4e00-\u9fff]", re.I)
# "会怎样 / 有什么影响": a consequence, answered like a value.
_EFFECT = re.compile(r"会怎样|会怎么样|会咋样|会怎么着|会如何|什么影响|啥影响|什么后果|what happens", re.I)
# "iops 怎么算 / 费用如何计算": a value worked out (a formula, graph/formula_row.py), not a procedure
_COMPUTE = re.compile(r"(怎么|如何|咋|怎样)(计算|算)(?=$|[，,。？?！!\s的呢啊呀吗出])|(是|按)(怎么|如何)(计算|算)的?|计算(公式|方法|方式)|how (is|to) (compute|calculate)", re.I)
# "去哪看 / 在哪改 / 哪里下载": a place (a console path) — answered like a value, in one sentence.
# "报 X 要改哪里 / 该查哪里": what to change or check for a fault is its fix, not a place (that is "在哪改")
_WHERE = re.compile(r"(在|去|从|到)哪(里|儿)?|(?<![改调查])哪里|哪(改|看|找|加|开|关|设|配|下载|下|查)|\bwhere\b", re.I)


_CONSOLE_WHERE = re.compile(r"(?:控制台|页面)[^，,。？?]{0,4}哪")
""""实例在控制台哪重启": a place in the console, answered like a value (a fault's "改哪儿" stays what it is)."""
_PLACE = re.compile(r"(?<![差卡错难好别现实存出])(?:在|去|从|到)哪(?:里|儿)?(?![几个些种条])|哪里|哪儿|入口|"
                    + _CONSOLE_WHERE.pattern + r"|哪(?:改|找|加|开|关|设|配|下载|操作)|\bwhere\b", re.I)


def asks_place(question: str) -> bool:
    """The question asks where something is done or found ("白名单在控制台哪加", "去哪下"); not "差在哪 /
    卡在哪 / 出在哪" (what differs, what is stuck)."""
    return bool(_PLACE.search(question))


def question_type(question: str) -> QuestionType:
    """The kind of answer the question wants (see the module docstring)."""
    text = question.strip()
    if _COMPARE.search(text):
        return "compare"
    if _CAUSE.search(text):
        return "cause"
    # "咋看是哪个挂的、日志在哪看": asked how to look, the place is one of its steps
    if (_WHERE.search(text) and not _HOW_FIRST.search(text)) or _CONSOLE_WHERE.search(text) or _EFFECT.search(text) \
            or _COMPUTE.search(text):
        return "value"
    if asks_alternative(text):  # "不关机还有别的办法吗": the page's other way, as a procedure
        return "howto"
    if _HOW_FIRST.search(text):
        return "howto"
    if _DEFINE.search(text):
        return "define"
    if proposes(text) and not _CHALLENGE.search(text):  # "我打算直接删掉，应该没事吧": the plan's verdict
        return "value"
    if _VALUE.search(text) and not _CHALLENGE.search(text):
        return "value"
    if _HOWTO.search(text):
        return "howto"
    return "symptom"


_STEPS = re.compile(r"步骤|流程|一步步|给个(步骤|流程|操作)|\bsteps\b|step by step", re.I)


# "能找回来吗", "还收钱不", "会变不", "支持 IPv6 吗", "是否支持": a yes or no, answered by the page's verdict
_VERDICT_ASK = re.compile(r"行不行|行吗|行不[？?\s]*$|可以吗|可以不[？?\s]*$|可不可以|能不能|能否|是否|可行吗|会不会|要不要|"
                          r"有没有(?!办法|方法)|(能|会|可以|还|要|支持|需要|有|得|必须)[^，,。；;？?]{0,24}(吗|(?<![什怎这那多])么|不)[？?\s]*$|"
                          + _MUST_ASK + "|" + _CONFIRM_ASK + "|"
                          r"\b(can i|is it|does|do i need|is there)\b", re.I)


def asks_verdict(question: str) -> bool:
    """The question asks for a yes or no ("误释放了能找回来吗", "实例关机了还收钱不"); a challenge
    ("不是说 7800 吗") reports a problem instead."""
    return (bool(_VERDICT_ASK.search(question)) or proposes(question)) and not _CHALLENGE.search(question)


# "查 sshd 用啥命令", "命令是什么": the command line(s), with their lead-in
_COMMAND_ASK = re.compile(r"(啥|什么|哪个|哪条|哪些)(命令|指令)|命令(是|叫)(啥|什么)|\bwhich command\b|\bwhat command\b", re.I)


def asks_command(question: str) -> bool:
    return bool(_COMMAND_ASK.search(question))


# "重点看哪几个字段", "有哪些参数": several things, answered by the page's list or table
_LIST_ASK = re.compile(r"(?:哪几(?:个|项|种|类|条|样)|哪些|有几(?:种|类)|列(?:一下|出))\s*([\u4e00-\u9fffA-Za-z]{1,4})?|"
                       r"\bwhich (fields|options|ports|settings)\b", re.I)


def asks_list(question: str) -> str | None:
    """The kind of thing a question asking for several things names ("重点看哪几个字段" -> "字段"; "" when
    it names none), or None when it asks for one."""
    found = _LIST_ASK.search(question)
    return None if found is None else (found.group(1) or found.group(2) or "")


# "cpu 一直 100% 怎么办", "老被 oom kill 咋整": a how-to asking what to do about a fault, not how to do a task
_FIX_ASK = re.compile(r"怎么办|咋办|咋整|怎么破|(怎么|怎样|如何|咋)(解决|处理|排查|修复|恢复)|"
                      r"\bhow (do i |to |can i )?(fix|resolve|troubleshoot)\b", re.I)


def asks_fix(question: str) -> bool:
    """The question asks what to do about a fault ("怎么办", "咋整", "如何解决")."""
    return bool(_FIX_ASK.search(question))


_CHOICE_ASK = re.compile(r"选哪|哪(?:个|种|款|类|家)|(?:怎么|如何|咋|怎样)(?:选|挑)|选(?:啥|什么)|选型|选[^，,。？?]{1,20}还是|"
                         r"\bwhich\b|\bhow to choose\b", re.I)


def asks_choice(question: str) -> bool:
    """The question asks which one to choose or how to choose ("数据盘用哪种云盘好", "规格怎么选", "选 5.7 还是 8.0"):
    the page's choosing or comparison list answers it, whatever type its words give it ("哪些" lists, it does not choose)."""
    return bool(_CHOICE_ASK.search(question))


def asks_for_steps(question: str) -> bool:
    """The question asks for the procedure itself ("给个步骤", "完整步骤")."""
    return bool(_STEPS.search(question))


_TIME_UNITS = "秒|分钟|分|小时|天|周|月|年|ms|s"
_SAME_UNIT = {"天": "天|个?工作日|个?自然日", "个": "个|条|台|块|张|项|只|份|组|次"}
"""Units that count the same thing as the one asked ("几天" -> "3 个工作日"); 个 is how people ask any
count ("多少个URL"), the page writes the thing's own measure word ("2000 条/天")."""
_SMALL_NUMERAL = r"(?<![第一二三四五六七八九十])[两二三四五六七八九十]"
"""A count pages write in characters ("重试两次"); not 一 ("一个", "一次性" are not counts) nor an ordinal ("第二次")."""
_COUNT = re.compile(r"(?<!哪)(?:几|多少)\s*(个|次|秒|分钟|小时|天|条|台|块|核|倍|年|月|周|GB|GiB|MB|TB)", re.I)


def last_clause(question: str) -> str:
    """The question's last clause, the one that asks ("只看到几条 trace，是不是丢了" reports a count, it asks
    whether data is lost); "" for a question of punctuation only."""
    clauses = [c for c in re.split(r"[，,。；;！!？?]", question) if c.strip()]
    return clauses[-1] if clauses else ""


def asked_unit(question: str) -> re.Pattern | None:
    """A number in the unit the question asks for ("失败几次" -> "3 次"; "多久" -> a duration), or None.
    Only the last clause asks (`last_clause`)."""
    ask = last_clause(question)
    m = _COUNT.search(ask)
    if m:
        unit = _SAME_UNIT.get(m.group(1), re.escape(m.group(1)))
        return re.compile(rf"(?:\d|{_SMALL_NUMERAL})\s*(?:{unit})(?![a-z])", re.I)
    if re.search(r"多久|多长时间|how long", ask, re.I):  # a vague duration answers too: "通常几分钟内完成", "半小时"
        return re.compile(rf"(?:\d|几|数|半)\s*(?:{_TIME_UNITS})(?![a-z])", re.I)
    return None
