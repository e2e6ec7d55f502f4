"""A plan the user states and asks to have judged: the action proposed, and the page line judging it.

    plan_text("从快照建的盘，我准备先格式化一下再挂载，这样行不行")   # "先格式化一下再挂载"
    CAUTION.search("下面的分区和格式化操作会清空磁盘上的所有数据。")       # a consequence judges it

"我打算先…，可以吗", "直接…会不会有问题", "我已经…了，还用…吗", "…应该没事吧": the user proposes an action
(or reports one taken) in one clause and asks in another, often a bare ask ("可以吗", "行不行", "有没有问题")
that names no action at all. graph/verdict_line.asked_action reads the action after the asking clause's
modal; with a bare ask that is nothing, and the answer falls back to the page's first line sharing the
topic's words. Here:

- `proposes`: the message states a plan (a plan marker: 打算 / 准备 / 想 / 先…再 / 直接 / 已经 / 再 …) and
  closes with an ask for a judgement (a yes-or-no ask, or "…吧", "有没有问题", "有必要吗", "用不用…").
- `plan_text`: the words naming the proposed action: from the plan marker through the clauses up to the
  ask (the subject before the marker is what the page is about, which every line of it shares).
- `CAUTION`: a prose line that judges an action the way a page judges a plan — a prohibition or a need
  negated (不要, 无需, 不建议 …, as graph/verdict_line.JUDGING), a consequence (会导致, 会清空, 只会…) or what
  to do instead (而应, 建议先…, 请先…): read by graph/verdict_line when the action is the plan's.
- `marker`: a plan marker alone ("直接", "先"), a word of the ask ("不用", "问题") or a word saying only how it
  is put ("这样", "以后": a pronoun, a time word, graph/word_class.topic_weight 0) names no action: the plan's
  words are the others.
- `asks_first`: the ask is what to do before the plan ("用不用先做点什么"): a line saying what comes first
  ("建议先为系统盘创建快照") answers it.
- A marker followed by an event ("直接报 Err…", "刚出现") reports a fault, not a plan.
- `stem`: a spoken verb with its result ("删掉", "改大", "关掉") is the page's verb ("删除", "修改", "关闭") by
  its verb character: the user says what they will do, the page names the act.
The markers are Chinese question and caution forms, not any base's terms. Tested in tests/graph/test_plan_check.py.
"""

from __future__ import annotations

import re

from graph.word_class import FUNCTION, topic_weight

_CLAUSE = re.compile(r"[，,。；;！!？?\n]")
_INTENT = re.compile(r"打算|准备|计划|想要?(?!法)")
"""A plan stated as one ("我打算…"): what follows is the action proposed."""
_EVENT = r"(?!报|返回|提示|出现|失败|挂|卡|崩|断|就报)"
"""What follows a marker of an event, not of an act ("直接报 ErrBackup…", "刚出现"): a fault reported, no plan."""
_PLAN = re.compile(_INTENT.pattern + r"|(?:(?<![不需主重只])要(?!不要|求)|先(?![前])|直接|已经|刚|再(?![见生])|重新|顺手|顺便)"
                   + _EVENT)
"""A plan marker: what follows is the action the user proposes or reports taken."""
_JUDGE_ASK = re.compile(r"(?:行不行|行不|行吗|行吧|可以吗|可以不|可以吧|好吗|好不好|对吗|对不对|妥吗|"
                        r"没事吧|没问题吧|有(?:没有|啥|什么)?(?:问题|影响|风险)[吗么不没]?|会有(?:啥|什么)?(?:问题|影响|风险)[吗么不]?|"
                        r"有必要吗|是不是[^，,。？?]{0,4}(?:得|要|需要)[^，,。？?]{0,16}|用不用[^，,。？?]{0,12}|得不得[^，,。？?]{0,12}|要不要[^，,。？?]{0,12}|"
                        r"[^，,。？?]{0,24}(?:[吧吗]|(?<![什怎这那多])么)|[^，,。？?]{0,24}[会能要用得]不)[？?。！!\s]{0,4}$")
"""An ask for a judgement closing the message ("可以吗", "行不行", "应该没事吧", "有没有问题", "用不用先…")."""
CAUTION = re.compile(r"不要|切勿|不建议|不推荐|无需|不需要|不必|不能|禁止|务必|必须|会被拒绝|不可行|"
                     r"(?:会|可能)(?:会)?(?:导致|造成|清空|丢失|覆盖|中断)|只会|反而|而应|应该?先|请先|建议先|请改为|应改为")
"""A line judging an action: a prohibition, a need negated, a consequence, or what to do instead."""


def _clauses(question: str) -> list[str]:
    return [c.strip() for c in _CLAUSE.split((question or "").lower()) if c.strip()]


def proposes(question: str) -> bool:
    """The message states an action (a plan marker) and closes asking whether it is right or needed."""
    return bool(_JUDGE_ASK.search((question or "").strip().lower())) and bool(plan_text(question))


def plan_text(question: str) -> str:
    """The words naming the proposed action: from the first clause holding a plan marker (from the marker on)
    through the asking clause (a marker stating an intent, 打算 / 准备 / 想, before any other); "" when no
    clause holds one."""
    parts = _clauses(question)
    for marks in (_INTENT, _PLAN):  # "要扩容了，我打算不打快照直接扩": the plan stated as one
        for i, part in enumerate(parts):
            marker = marks.search(part)
            if marker:
                return " ".join([part[marker.start():], *parts[i + 1:]])
    return ""


_POINTS = re.compile(r"这样|那样|这么|那么|这么做|这么干|这个|那个|这种|这样做")
"""A word pointing back at the plan ("这样行不行"): it names no action of its own."""


_ASK_WORD = re.compile(r"不?(?:用|要|需要|必要|可以|能|会|得|该|行|对)|没事|问题|影响|风险|必须|应该")
"""A word of the ask itself ("不用", "需要", "问题"): it asks about the plan, it names none of it."""
_FIRST = re.compile(r"先(?:做|干|弄|搞|准备|处理|检查|查|看)")
"""An ask for what comes first ("用不用先做点什么"): the page's "建议先…" / "请先…" answers it."""


def asks_first(ask: str) -> bool:
    """The ask is what to do before the plan ("用不用先做点什么", "要先准备啥")."""
    return bool(_FIRST.search(ask or ""))


def points(word: str) -> bool:
    """The word only points back at the plan ("这样")."""
    return bool(_POINTS.fullmatch(word or ""))


def marker(word: str) -> bool:
    """The word is a plan marker, points back at the plan or says only how it is put ("直接", "先", "这样",
    "以后"): it says a plan is stated, not which action."""
    return bool(_PLAN.fullmatch(word or "") or _ASK_WORD.fullmatch(word or "")) or points(word) \
        or topic_weight(word) == FUNCTION


_RESULT = re.compile(r"(?<![不没])[\u4e00-\u9fff](?:掉|大|小|回)")
"""A verb and its result ("删掉", "改大", "缩回"): the act is the verb character."""


def stem(word: str) -> str:
    """The verb character of a spoken verb-with-result ("改大" -> "改"), else the word."""
    return word[0] if _RESULT.fullmatch(word or "") else word


def spoken_verbs(text: str) -> set[str]:
    """The verbs-with-result a plan is said in ("以后不够再改大" -> {"改大"}): words the base's vocabulary may lack."""
    return {m.group(0) for m in _RESULT.finditer(text or "") if not _PLAN.fullmatch(m.group(0)[0])}

