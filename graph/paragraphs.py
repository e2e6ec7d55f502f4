"""A paragraph is the unit of meaning: a chosen sentence brings what its paragraph says to do.

Documents explain or warn in one sentence and say what to do in the next ("只读锁定期间 DELETE
也是写操作，会被拒绝。请先扩容，恢复写入后再清理。"). An answer that shows the first alone
stops before the fix. `through_fix(units, chosen, whole)`:
- whole (a how-to, cause or symptom question): each chosen sentence brings the rest of its
  paragraph;
- either way, a paragraph that names a problem and says nothing to do about it brings the next
  paragraph's first sentence (or lead-in, with its command) when that one says what to do ("…找不到
  指定名称的 Secret。" / "确保你指定的 Secret 存在…", "要解决这个问题，您应该将端口协议改为 HTTPS:"),
  past the failing command and its output shown between them;
- whole: a chosen condition saying nothing to do ("如果设置为 *N*，…") brings its paragraph from the
  nearest earlier sentence that does, naming a setting or command (`instruction_before`);
- otherwise (a value question): a chosen sentence that warns or says something fails brings
  the following sentences of its paragraph through the first that says what to do.
The command after a sentence comes with it through graph/unit_fit.attach. Units carry
their paragraph (graph/doc_units.Unit.para).

A chosen sentence that only restates the question ("完整的报错信息为 `ERROR 8130 …`" for a
question quoting that error) says nothing by itself: `past_restatement` brings its paragraph
(the cause often comes before the quoted error) and the sentences after it in its entry (up to
the next item, row or heading), where the cause and the fix are.

A section that opens by showing the question's own error (its first lines quote the message the
user pasted, `opens_with_error`) is that error's entry: what follows it (the causes, the fixes) is
the answer, whole.

A question asking for a judgement on what the user means to do ("…删点数据腾空间行不", "…划算吗")
gets, with each chosen sentence, the next sentences of its paragraph (`with_reason`): a page judges a
case, then says why and what to do instead.

An example sentence ("例如 … 合法；… 不合法。") brings the rule it illustrates (`illustrated`): the
list or the sentence right before it.
Tested in tests/graph/test_paragraphs.py and tests/graph/test_key_facts.py.
"""

from __future__ import annotations

import re

from graph.doc_units import Unit

# what to do: an imperative opening, a polite request (not the 请 of 请求 / 申请), a console path or a command verb
_DOES = re.compile(r"^(注意[：:]\s*)?(你|您)?(请|先|应|应该|需要|需|建议|可以|可|改为|改用|使用|执行|运行|重启|检查|确认|确保|联系|提交|扩容|"
                   r"清理|等待|设置|开启|关闭|放行|放通|绑定|解绑|登录|进入|打开|通过|手动|尽快|务必|在控制台|到控制台)"
                   r"|^(为了?|要)(解决|修复|避免)[^，,。]{0,20}[，,]|(?<![申邀])请(?!求)|→|\*\*[^*]*[>→][^*]*\*\*")
# a warning or a failure: what not to do, what does not work
_WARNS = re.compile(r"不可行|不能|无法|找不到|不存在|不要|不可|不会生效|不生效|失败|拒绝|报错|不支持|禁止|注意|导致|风险|丢失|来不及|不够")


def says_what_to_do(text: str) -> bool:
    return bool(_DOES.search(text))


def through_fix(units: list[Unit], chosen: set[int], whole: bool) -> set[int]:
    """The chosen units with the sentences of their paragraphs that say what to do (module docstring)."""
    keep = set(chosen)
    for i in sorted(chosen):
        u = units[i]
        if u.kind != "sentence" or u.para < 0:
            continue
        if not whole and (not _WARNS.search(u.text) or says_what_to_do(u.text)):
            continue
        j = i + 1
        fixed = says_what_to_do(u.text)
        while j < len(units) and units[j].para == u.para and units[j].kind in ("sentence", "leadin"):
            keep.add(j)
            fixed = fixed or says_what_to_do(units[j].text)
            if not whole and says_what_to_do(units[j].text):
                break
            j += 1
        while not fixed and j < len(units) and units[j].kind == "code":
            j += 1  # the failing command and its output shown between the problem and what to do instead
        if not fixed and j < len(units) and units[j].kind in ("sentence", "leadin") and says_what_to_do(units[j].text):
            keep.add(j)  # a paragraph naming the problem, the next one opening with what to do about it
        if whole:
            keep |= instruction_before(units, i)
    return keep


def instruction_before(units: list[Unit], i: int) -> set[int]:
    """The sentences of sentence `i`'s paragraph from the nearest earlier one saying what to do: a page
    says what to set, then how it behaves ("你可以通过修改配置项 `max-error` 来增加容错数量。如果设置为
    *N*，…会跳过这些错误继续导入。"); the behaviour alone does not say what to set."""
    u = units[i]
    if says_what_to_do(u.text) or not _CONDITION.match(u.text):
        return set()
    k = i - 1
    while k >= 0 and u.para >= 0 and units[k].para == u.para and units[k].kind == "sentence":
        if says_what_to_do(units[k].text) and _NAMED.search(units[k].text):
            return set(range(k, i))
        k -= 1
    return set()


_CONDITION = re.compile(r"^(如果|若|假如|当)")
"""A behaviour stated as a condition on what was set ("如果设置为 *N*，…")."""
_NAMED = re.compile(r"`[^`\n]+`")
"""A quoted name (a setting, a command): what an instruction before a behaviour sets."""


_ASKS_JUDGEMENT = re.compile(r"行不行|行不[？?\s]*$|行吗|可以吗|可不可以|能不能|能否|划算|值得|值不值|有必要|合适吗|合不合适|"
                             r"好不好|妥不妥|会不会|\bcan i\b|\bshould i\b|worth it", re.I)
"""A question asking for a judgement on what the user means to do ("先删点数据腾空间行不", "30 天转低频 40 天删除 划算吗")."""
REASON = 2
"""Sentences after a chosen one, in its paragraph, a judgement question brings (the reason, the advice)."""


def asks_judgement(question: str) -> bool:
    return bool(_ASKS_JUDGEMENT.search(question))


def with_reason(units: list[Unit], chosen: set[int], question: str) -> set[int]:
    """For a question asking for a judgement, each chosen sentence with the next REASON sentences of its
    paragraph: a page judges a case, then says why and what to do instead ("…仍按 30 天计费。合理的设计是
    让每个阶段的停留时间不少于该类型的最短存储时间。"). Other questions: the chosen units as they are."""
    if not asks_judgement(question):
        return chosen
    keep = set(chosen)
    for i in sorted(chosen):
        u = units[i]
        if u.kind != "sentence" or u.para < 0:
            continue
        j = i + 1
        while j < len(units) and j <= i + REASON and units[j].para == u.para and units[j].kind == "sentence":
            keep.add(j)
            j += 1
    return keep


RESTATES = 0.6
"""Share of a sentence's words (Latin words, numbers, Chinese character pairs) the question holds for
the sentence to only restate it."""
FOLLOWING = 3
"""Sentences after a restatement brought with it."""


def grams(text: str, word: str = r"[a-z0-9_]{2,}") -> list[str]:
    """The words a sentence is compared by: Latin words and numbers (`word`), Chinese character pairs."""
    low = text.lower()
    return re.findall(word, low) + [a + b for a, b in zip(low, low[1:])
                                    if "\u4e00" <= a <= "\u9fff" and "\u4e00" <= b <= "\u9fff"]


_QUOTED = re.compile(r"`[^`\n]+`|“[^”\n]+”|\"[^\"\n]+\"")


def restates(text: str, question: str) -> bool:
    """The sentence says what the question says: most of its words, or a quote of the question's own
    error message with a short label around it ("完整的报错信息为 `…`")."""
    if echoes(text, question):
        return True
    low = question.lower()
    words = grams(text)
    return len(words) >= 3 and sum(g in low for g in words) >= RESTATES * len(words)


ECHO_HEAD = 8
"""Words of a quoted message compared with the question: a user pastes the head of an error."""


def echoes(text: str, question: str) -> bool:
    """The sentence is the question's own error message with at most a short label ("完整的报错信息为
    `…`"): its quote begins as the question's does (the page's sample may go on with more fields)."""
    low = question.lower()
    quoted = grams(" ".join(_QUOTED.findall(text)), r"[a-z_]{2,}|\d+")
    head = quoted[:ECHO_HEAD]
    rest = _QUOTED.sub(" ", text)
    return len(head) >= 3 and sum(g in low for g in head) >= 0.8 * len(head) \
        and len(re.findall(r"[\u4e00-\u9fff]", rest)) <= 15


def without_echo(units: list[Unit], chosen: set[int], question: str) -> set[int]:
    """The chosen units without those only echoing the question's error message, when something
    else is chosen: the answer leads with what the page says about the error."""
    rest = {i for i in chosen if not (units[i].kind in ("sentence", "leadin") and echoes(units[i].text, question))}
    return rest if any(units[i].kind != "code" for i in rest) else chosen


def past_restatement(units: list[Unit], chosen: set[int], question: str) -> set[int]:
    """The chosen units with the sentences that follow one only restating the question (module docstring)."""
    keep = set(chosen)
    for i in sorted(chosen):
        if units[i].kind not in ("sentence", "leadin") or not restates(units[i].text, question):
            continue
        k = i - 1  # its paragraph from the start: the cause often comes before the quoted error
        while k >= 0 and units[i].para >= 0 and units[k].para == units[i].para and units[k].kind == "sentence":
            keep.add(k)
            k -= 1
        j, taken = i + 1, 0
        while j < len(units) and units[j].kind in ("sentence", "leadin", "code") and taken < FOLLOWING:
            keep.add(j)
            taken += units[j].kind != "code"
            j += 1
    return keep


ERROR_WORDS = 4
"""Latin words a pasted error must have for a section's sample of it to be recognised."""
ERROR_SHARE = 0.6
"""Share of the question's Latin words the section's opening must hold to show the same error."""
OPENING = 3
"""Units at the top of a section read for the error sample (a lead-in, the sample, a sentence)."""


def opens_with_error(units: list[Unit], question: str) -> bool:
    """The section opens with the question's own error message: most of the question's Latin words
    (the pasted message) are in its first OPENING units, at least one of them a command/output block."""
    words = set(re.findall(r"[a-z_][a-z0-9_]+", question.lower()))
    top = units[:OPENING]
    if len(words) < ERROR_WORDS or not any(u.kind == "code" for u in top):
        return False
    shown = set(re.findall(r"[a-z_][a-z0-9_]+", " ".join(u.text for u in top).lower()))
    return len(words & shown) >= ERROR_SHARE * len(words)


EXAMPLE = re.compile(r"^(例如|比如|譬如|举例来说|举个例子|举例)[，,：:]?")
ILLUSTRATED_ITEMS = 6
"""Items of the list before an example sentence brought with it at most (a longer list is read by match)."""


def illustrated(units: list[Unit], i: int) -> set[int]:
    """An example sentence ("例如 `shop-static-2026` 合法；`Shop_Static` … 不合法。") brings the rule it
    illustrates: the list right before it (up to ILLUSTRATED_ITEMS items, with its lead-in) or the
    sentence before it in its paragraph. An example alone shows a case, not what decides it."""
    u = units[i]
    if u.kind != "sentence" or i == 0 or not EXAMPLE.match(u.text):
        return set()
    prev = units[i - 1]
    if prev.kind == "sentence" and prev.para == u.para >= 0:
        return {i - 1}
    if prev.kind != "item":
        return set()
    start = i - 1
    while start > 0 and units[start - 1].kind in ("item", "code"):
        start -= 1
    tops = [j for j in range(start, i) if units[j].kind == "item" and not units[j].depth]
    if len(tops) > ILLUSTRATED_ITEMS:
        return set()
    return set(range(start, i))
