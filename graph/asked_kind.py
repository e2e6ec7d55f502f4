"""What kind of value a short follow-up asks, and what a sentence answering it carries.

    kinds = asked_kinds("一天最多能刷几条")       # [count of 条, limit]
    answers(kinds, "URL 刷新 | 2000 条/天")      # True

An elliptic follow-up ("那要收费吗", "改完会断吗", "多久生效", "最多能建几个") says little of its own
beyond the kind of answer it wants: a count, a duration, a price, whether it interrupts service, whether
it can be undone. Its words (次数, 收费, 重启) are generic, so retrieval ranks any page with them; the
page the conversation is on is judged instead by whether a sentence of it gives that kind of answer.
The cues are Chinese question forms and answer forms, not any base's terms. Used by graph/prior_scan.py;
tested in tests/graph/test_prior_scan.py.

Two other readers of an asked value look alike and are not the same: graph/value_scan.asked_quantity
(the measure a value question asks, with its limit words, to find the page line stating it) and
graph/question_type.asked_unit (the number-with-unit pattern an answer to a count must hold). Those read a
measured quantity only; a follow-up here may ask a price, an interruption or an undo, which has no number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

COUNT_UNITS = "个条台块次张种份家"
"""The measure words a count is asked and stated in ("几个", "多少条"; "100 条")."""


@dataclass(frozen=True)
class Kind:
    """One kind of answer: the question form that asks it and the sentence form that gives it."""

    name: str
    asks: re.Pattern[str]
    gives: re.Pattern[str]
    heads: re.Pattern[str] | None = None
    """The heading form that gives it to every line under it ("### 4. 验证" over "在实例上执行：" and the command)."""
    alone: bool = False
    """Its line answers alone: the section's other lines are other steps, not more of the answer."""


_TIME = r"(?:\d+|几|数|十几)\s*(?:秒|分钟|小时|天|个工作日|工作日|周|个月|年)|零点|立即|实时|马上|即时|即刻|立刻"
KINDS: tuple[Kind, ...] = (
    # "马上生效吗" asks when it takes effect as much as "多久生效" does
    Kind("duration", re.compile(r"多久|多长时间|多少时间|几(?:天|小时|分钟|秒)|多少(?:天|小时|分钟|秒)|什么时候|啥时候|何时|"
                                r"(?:马上|立即|立刻|即时|实时)就?(?:生效|起作用)"),
         re.compile(_TIME)),
    Kind("price", re.compile(r"收费|收钱|花钱|要钱|算钱|扣钱|付费|费用|多少钱|计费|免费|贵不贵"),
         re.compile(r"收费|计费|费用|收取|¥|\d+\s*元|免费|付费|差价|扣费|结算")),
    # "业务会停吗", "要停业务吗": a stop asked of what the change does, as 停机 is
    Kind("interrupt", re.compile(r"断(?:网|开|连|线)?[吗么嘛不]|中断|停机|关机|重启|停服|影响(?:业务|使用|服务)|掉线|"
                                 r"(?:会|要|得)停(?:业务|服务)?[吗么嘛不]"),
         re.compile(r"中断|断开|闪断|停机|关机|重启|不影响|在线|无需")),
    Kind("undo", re.compile(r"改回|改小|缩小|找回|恢复|撤销|回滚|还原|退回"),
         re.compile(r"不可恢复|不可逆|无法找回|找回|恢复|不支持|不能|无法|撤销|缩容|红冲")),
    Kind("limit", re.compile(r"最多|最大|上限|最少|最小|最低|最高|最长|最短"),
         re.compile(r"最多|最大|上限|最低|最少|最长|最短|最高|\d")),
)


def asked_kinds(message: str) -> list[Kind]:
    """The kinds of answer the message asks for (a count of 个/条/… is its own kind, by its unit)."""
    kinds = [k for k in KINDS if k.asks.search(message)]
    count = re.search(rf"(?<!好)(?:几|多少)\s*([{COUNT_UNITS}])", message)  # not 好几条 (several)
    if count:
        unit = count.group(1)
        kinds.append(Kind(f"count:{unit}", re.compile(rf"(?:几|多少)\s*{unit}"), re.compile(rf"\d+\s*{unit}")))
    return kinds


def answers(kinds: list[Kind], sentence: str, heading: str = "") -> bool:
    """Does the sentence give every asked kind (False when none is asked)? A kind said by a section's heading
    is given by every sentence under it."""
    return bool(kinds) and all(k.gives.search(sentence) or (k.heads is not None and k.heads.search(heading))
                               for k in kinds)


_VERIFIED = re.compile(r"(?:^|[，,。：:；;\s*#、.(（后])验证")
"""The page's step named 验证, opening its clause or heading (not "校验证书", "完成域名验证")."""
_STAYS = re.compile(r"仍然|仍旧|依然|依旧|还是|照样|还没|仍未|(?:后|以后|之后)\s{0,2}(?:仍|还|依然|照样|无法)")
"""A heading naming the state that stays (the sense of graph/aftermath's headings, read here for one section)."""
FOLLOW_KINDS: tuple[Kind, ...] = (
    # "配好之后怎么确认出去的ip是它的", "换上去以后用啥命令确认": the page's verification, under its heading or in its line
    Kind("verify", re.compile(r"(?:怎么|怎样|如何|咋|啥|什么|哪个|用啥|用什么)\s*(?:命令|办法|方法)?\s*(?:来|去)?"
                              r"(?:确认|验证|检验|判断|确定|核实)|(?:确认|验证)(?:一下)?(?:是否|有没有|生效|好了|成功)"),
          _VERIFIED, heads=_VERIFIED, alone=True),
    # "规则改完了浏览器还是报": the step is done and the problem stays — the page's line for that case says so
    # (a line saying the case: "修改了规则但浏览器仍报错", not any 仍 — "它们仍然需要访问外网")
    # (or a section named for the state that stays: "排查：实例仍然无法访问外网")
    Kind("persist", re.compile(r"还是|仍然|依然|照样"),
         re.compile(r"(?:了|完|过|后)[^。；;，,]{0,12}(?:仍|还是|依然|照样)"), heads=_STAYS),
)
"""What an elliptic follow-up asks beyond a value: how to verify the step, what to do when it did not help."""
_DONE = re.compile(r"(?:了|完|过|好)[^，,。？?!！]{0,10}(?:还是|仍然|依然|照样)")
"""A step said done before the problem said to stay ("改完了浏览器还是报"), not a choice ("用 A 还是 B")."""
_NUMBER = Kind("number", re.compile(r"(?<!好)(?:多少|几(?!乎|率))"),
               re.compile(r"\d+(?:\.\d+)?\s*(?:%|[秒分时天周月年个条台块次张种份家倍核层位元]|[KMGT]i?B?(?![a-z])|ms(?![a-z]))"))
"""A number asked of no unit ("一般延迟多少算正常", "时间差多少会报错"): a measured number is its form (not "0 或很小",
a field's example value)."""


def says_step(kinds: list[Kind]) -> bool:
    """Is a verification or a step that did not help asked? The page's line in that form is its answer however
    few of the message's words it shares, and it is asked as a step ("怎么确认"), not as a way to do the thing."""
    return any(k in FOLLOW_KINDS for k in kinds)


def follow_up_kinds(message: str) -> list[Kind]:
    """The kinds a follow-up asks of the thread's page: the value kinds (`asked_kinds`); else a verification,
    a step that did not help, or a bare number."""
    kinds = asked_kinds(message)
    if kinds:
        return kinds
    kinds = [k for k in FOLLOW_KINDS if k.asks.search(message) and (k.name != "persist" or _DONE.search(message))]
    return kinds or ([_NUMBER] if _NUMBER.asks.search(message) else [])


def without_asks(message: str, kinds: list[Kind]) -> str:
    """The message less the words that ask the kinds (what is left says what the value is of)."""
    for kind in kinds:
        message = kind.asks.sub(" ", message)
    return message
