"""Splitting a message into its questions, deterministically (shared by split, guard, route).

Numbered lists, then question marks (and a 吗 running into another ask with none: "…会丢吗多久能恢复")
and clause-level connectors (还有/另外/以及/顺便问下 after punctuation); statements before a question
stay with it; a follow-on question that lacks a subject gets the first question's subject
("…CPU 100% 怎么排查？跟带宽有关吗？" -> "…CPU 100% 跟带宽有关吗"). "A 和 B 有什么区别" has no boundary, so it stays whole.
Tests: tests/graph/test_split.py.
"""

from __future__ import annotations

import re
from typing import Callable, Iterable

from graph.asked_kind import COUNT_UNITS
from graph.cues import ATTRIBUTES, GENERIC_VERB, HOW_ACTION
from graph.domain_score import CLOUD_TERMS, SYMPTOM_TERMS
from graph.subject import (COUNT_ASK, MEASURE_ASK, DomainTerms, attach_subject, needs_subject, starts_elliptical,
                           strip_filler, subject_of, substitute)

_NUMBERED = re.compile(
    # (?<!\s): a whitespace run is entered at its first character only (linear, not quadratic);
    # a dot followed by a digit is a version or a decimal ("mysql 5.7 和 8.0"), not a list mark
    r"(?:^|(?<!\s)\s)\s*(?:\d{1,2}(?:\.(?!\d)|[、)）])|[（(]\d{1,2}[)）]|[①②③④⑤⑥⑦⑧⑨⑩]|[一二三四五六七八九十][、.．])\s*"
)
_QUESTION_END = re.compile(r"(?<=[？?])")
_CONNECTOR_WORDS = ("还有", "另外", "以及", "顺便问下", "顺便问一下", "顺便", "此外", "再问一下", "还想问")
_CONNECTOR = re.compile(rf"(?<=[，,。；;！!])\s*(?=(?:{'|'.join(_CONNECTOR_WORDS)})[，,\s]*)"
                        r"(?!还有[一两几]?[条个块台张份种](?!问题|事|疑问))")
# "还有条放行 80 的规则" is "there is also a rule" (more of the description), not another question;
# "还有个问题" still is one.
# After a space (no punctuation), only words that cannot start a clause of the same question
# ("另外一块盘" is "another disk", "还有办法吗" asks on): "NAT网关配好了还是上不了网 另外eip带宽…".
_SPACE_CONNECTOR = re.compile(r"(?<=\S)\s+(?=(?:另外|此外|顺便问一下|顺便问下|再问一下|还想问)(?![一两几的个些]))")
_COMMA = re.compile(r"[，,；;]")
# Chinese clauses separated only by spaces ("账户欠费了 服务器多久会停 数据会丢吗"): a space between two
# Chinese characters; an ASCII word keeps its spaces ("cdn 回源 host 应该填啥").
_CJK_SPACE = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")
# "一块网卡能绑几个 eip 绑上以后能看到公网地址吗": a count ask ends with the ASCII name of what it counts, and
# the Chinese clause after that name opens the next ask — the space after the name is a boundary as well
_COUNTED_NAME = re.compile(rf"(?:几|多少)\s{{0,2}}[{COUNT_UNITS}]\s{{0,2}}[A-Za-z][A-Za-z0-9_.-]{{1,30}}(\s+)(?=[\u4e00-\u9fff])")
# What makes a space-separated clause a question: an asking word, or a final particle (a 吗 inside
# "root密吗忘了" is a typo, not a question).
_CLAUSE_ASKS = re.compile(r"怎么|怎样|如何|为什么|为啥|什么|多少|多久|" + MEASURE_ASK + r"|" + COUNT_ASK + r"|哪|能否|是否|啥|咋|"
                          r"([\u4e00-\u9fff])[不没]\1|[吗呢么嘛][？?]?$|[会能变用收要扣停][\u4e00-\u9fff]{0,2}不[？?]?$|"
                          r"(?:能|会|可以)[^\s，,。]{1,8}不[？?]?$")
# ("内网ip会变不", "还能用不", "还扣钱不": a verb, its object, and a trailing 不 ask as 会不会变 does;
# "免费版能调到60秒不": a modal, what it would do, and the trailing 不 — the same yes/no around a value)  # 要不要, 是不是, 有没有: A-not-A asks
# Words that make a clause a question of its own (used to split "A 怎么做，B 多少"); an A-not-A verb
# (要不要, 需不需要, 用不用) asks as much as 吗 does ("充完钱多久能恢复，要不要提工单").
ASKING = re.compile(r"[？?]|怎么|怎样|如何|为什么|为啥|什么|多少|多久|" + MEASURE_ASK + r"|" + COUNT_ASK + r"|哪|吗|能否|是否|有没有|能不能|"
                    r"([\u4e00-\u9fff])[不没]\1")
_SPOKEN_ASK = re.compile(r"有啥|是啥|咋[样办弄回整]|(?<![啥咋])[啥咋](?!都)")
"""Spoken asking words ("有啥不一样", "咋办") that ASKING leaves out; not "啥都" ("anything")."""
_EMBEDDED = re.compile(r"(?:不确定|不知道|不清楚|不记得|搞不清|忘了)\S*")
"""What follows "不确定/不知道…" is said, not asked ("我也不确定是啥系统，在哪看" asks once)."""
_WHAT_IF = re.compile(r"^(?:那|那么)?\s*(\S.{0,19}?)\s*(?:又)?呢$")  # \S: one way to split the spaces
_PRONOUN_START = re.compile(r"^(它|这个|那个|该|其(?![他它余实中次]))")
_TRIM = " \t\n，,。；;：:？?！!"


def _comma_split(piece: str) -> list[str]:
    """"CDN 怎么刷新缓存，每天能刷新多少条" -> two questions; a clause that asks nothing stays attached."""
    clauses = [c for c in _COMMA.split(piece) if c.strip(_TRIM)]
    if len(clauses) < 2 or not all(ASKING.search(c) or _SPOKEN_ASK.search(_EMBEDDED.sub("", c))
                                   or _WHAT_IF.match(c.strip(_TRIM)) for c in clauses):
        return [piece]
    return _with_conditions(clauses, "，")


def _space_split(piece: str) -> list[str]:
    """"eip 带宽最大能调到多少 调的时候会断吗" -> two questions: each asking clause ends one, a statement
    goes with the question after it ("账户欠费了 服务器多久会停"), a trailing one with the question before
    ("…要怎么弄 给个步骤"). One asking clause: the piece stays whole."""
    groups: list[str] = []
    pending: list[str] = []
    for clause in (c.strip() for c in _space_clauses(piece)):
        if not clause.strip(_TRIM):
            continue
        pending.append(clause)
        if _CLAUSE_ASKS.search(clause.strip(_TRIM + "？?")) or _CLAUSE_ASKS.search(clause):
            groups.append(" ".join(pending))
            pending = []
    groups = _with_conditions(groups, " ")
    if len(groups) < 2 or any(len(g.strip(_TRIM)) < 4 and not _short_ask(g) for g in groups):
        return [piece]
    if pending:
        groups[-1] = " ".join([groups[-1], *pending])
    return groups


def _space_clauses(piece: str) -> list[str]:
    """The piece cut at its spaces between Chinese clauses: a space between two Chinese characters, and the
    space after the ASCII name a count ask counts (`_COUNTED_NAME`)."""
    cuts = sorted({m.start(1) for m in _COUNTED_NAME.finditer(piece)})
    parts, last = [], 0
    for at in cuts:
        parts.append(piece[last:at])
        last = at
    parts.append(piece[last:])
    return [c for part in parts for c in _CJK_SPACE.split(part)]


def _short_ask(group: str) -> bool:
    """A modal, its verb and a final particle ("能改吗", "要钱不"): an ask of its own however short."""
    text = group.strip(_TRIM)
    return bool(_BARE_ASK.match(text)) and text[-1] in "吗不么"


# "要是一直不续费呢 数据会怎样": a condition said as "要是 X 呢" sets up the ask after it — one question
# ("如果是 RDS 呢，要重启吗" moves the previous question to another case first: not a condition)
_CONDITION = re.compile(r"^(?:那么|那)?\s*(?:要是|如果|假如|万一|假设)(?!\s*(?:是|用|换成|改成))\S")


def _with_conditions(groups: list[str], joiner: str) -> list[str]:
    """A condition clause joined to the question that follows it."""
    out: list[str] = []
    for group in groups:
        if out and _CONDITION.match(out[-1].strip()) and re.search(r"(?:的话|呢)[？?]?\s*$", out[-1].strip(" ，,")) \
                and not _CONDITION.match(group.strip()):
            out[-1] = f"{out[-1].rstrip(' ，,？?')}{joiner}{group.strip()}"
        else:
            out.append(group)
    return out


def _pieces(message: str, opens: Callable[[str], bool] = lambda _: False) -> list[str]:
    text = _particle_ends(message.strip(), opens)
    if len(_NUMBERED.findall(text)) >= 2:
        parts = _NUMBERED.split(text)
        head, items = parts[0].strip(_TRIM), [p for p in parts[1:] if p.strip(_TRIM)]
        if head and not ASKING.search(head):
            return [f"{head} {p.strip(_TRIM)}" for p in items]
        return ([head] if head else []) + items
    out: list[str] = []
    for part in _QUESTION_END.split(_unpunctuated(text)):
        for clause in (c for p in _with_statements(_CONNECTOR.split(part)) for c in _SPACE_CONNECTOR.split(p)):
            if clause.strip(_TRIM) and clause.strip(_TRIM) not in _CONNECTOR_WORDS:
                out.extend(piece for p in _comma_split(clause) for piece in _space_split(p))
    return out


# "云盘能缩容吗另外扩容要重启不", "备份保留多久以及最长能设多久": a connector right after an ask, no
# punctuation between — where a writer would have put the question mark
_BARE_CONNECTOR = re.compile(r"(?<=[\u4e00-\u9fff])(?=(?:然后|另外|以及|还有|顺便问下|顺便)(?![一两几的个些]))")


def _unpunctuated(text: str) -> str:
    """A question mark where an ask runs into a connector and another ask with no punctuation between."""
    cuts = [m.start() for m in _BARE_CONNECTOR.finditer(text)]
    out, last = [], 0
    for at in cuts:
        before, after = text[last:at], text[at:]
        clause = re.split(r"[，,。；;？?！!\s]", before)[-1]
        rest = re.split(r"[，,。；;？?！!]", after)[0][2:]
        if _CLAUSE_ASKS.search(clause) and (_asks(rest) or _CLAUSE_ASKS.search(rest)):
            out.append(before + "？")
            last = at
    return "".join(out) + text[last:]


# "欠费停机了数据会丢吗多久之内充值能恢复": a 吗 inside the message ends an ask when what follows opens one
# of its own — an asking word or modal first ("多久", "能", "要不要"), a thing the base names, or the same
# ask of another case ("按小时收费吗按流量计费呢")
_MID_PARTICLE = re.compile(r"(?<=[\u4e00-\u9fff]吗)(?=[\u4e00-\u9fffA-Za-z])")
_ASK_OPENER = re.compile(r"多久|多少|多长|多大|怎么|怎样|如何|为什么|为啥|咋|啥|哪|几|是否|有没有|能不能|要不要|会不会|"
                         r"(?:还|也)?(?:能|会|可以|要|需要|得)|默认|最多|最少|最长|最短|最大|最小|一般|大概|通常")
"""Words an ask opens with: asking words, modals, and the words putting a value in question (默认, 最多)."""


def _particle_ends(text: str, opens: Callable[[str], bool]) -> str:
    """A question mark after a 吗 that runs into another ask with no punctuation between; a 吗 inside a
    clause ("root密吗忘了", a typo for 密码) is left alone: what follows it opens nothing."""
    out, last = [], 0
    for found in _MID_PARTICLE.finditer(text):
        at = found.start()
        before = re.split(r"[，,。；;？?！!\s]", text[last:at])[-1]
        rest = re.split(r"[，,。；;？?！!\s]", text[at:])[0]
        if len(before) >= 4 and _opens_ask(rest, opens):
            out.append(text[last:at] + "？")
            last = at
    return "".join(out) + text[last:]


def _opens_ask(rest: str, opens: Callable[[str], bool]) -> bool:
    """The clause after a 吗 is an ask of its own: another case of it ("windows呢"), or a clause that asks
    and opens as an ask does (an asking word, a modal) or with a thing the base names."""
    if _WHAT_IF.match(rest):
        return len(rest) >= 4
    starts = (len(rest) >= 3 and _ASK_OPENER.match(rest)) or (len(rest) >= 4 and opens(rest))
    return bool(starts) and bool(_CLAUSE_ASKS.search(rest) or _asks(rest))


def _with_statements(clauses: list[str]) -> list[str]:
    """A clause that asks nothing, cut off before "还有…", joined to it: "除了升级规格，还有什么根本的办法",
    "暂时不想升配，还有别的法子吗" ask once — the statement is what the ask goes on from. (另外/顺便问下 after a
    statement still open a question of their own: "NAT 网关配好了还是上不了网，另外 EIP 带宽…")"""
    out: list[str] = []
    for clause in clauses:
        if out and _GOES_ON.match(clause.lstrip()) and not _asks(out[-1]):
            out[-1] += clause
        else:
            out.append(clause)
    return out


_GOES_ON = re.compile(r"还有(?![一两]?[个件]\s*(?:问题|事|疑问))")
"""还有 going on with the same ask, not "还有个问题" (which announces another)."""


def _asks(clause: str) -> bool:
    return bool(ASKING.search(clause) or _SPOKEN_ASK.search(_EMBEDDED.sub("", clause)))


def split_message(message: str, terms: DomainTerms) -> list[str]:
    """Deterministic split with the shared subject restored."""
    pieces = [p.strip(_TRIM) for p in _pieces(message, lambda rest: _opens_with_thing(rest, terms))]
    pieces = [p for p in pieces if p]
    questions = [strip_filler(p).strip(_TRIM) or p for p in pieces]
    introduced = [p != q for p, q in zip(pieces, questions)]  # began with 另外/还有/顺便问下…
    if not questions:
        return [message.strip(_TRIM)] if message.strip(_TRIM) else []
    first = questions[0]
    first_subject = subject_of(first)
    entity = terms.phrase(first_subject) or terms.first(first)
    if _only_attributes(entity, first_subject) or _WHAT_IF.match(first):
        # "那 Windows 呢，要重启吗": the later ask is about the previous question's case X, which rewrite
        # builds from the conversation; glued to "Windows" alone it would stand as a question of its own
        # "上限到底是多少？现在登不上去怎么处理": the first question names what it asks, not what about;
        # the later one is left to lean on the conversation, not glued to "上限"
        first_subject = entity = ""
    action = _action(first, first_subject)
    result = [first]
    for q, new_topic in zip(questions[1:], introduced[1:]):
        what_if = _WHAT_IF.match(q)
        if what_if:
            result.append(substitute(first, what_if.group(1), terms))
        elif action and not first_subject and not new_topic and action[0] in q and action.lower() not in q.lower() \
                and not _PRONOUN_START.match(q):
            # "怎么开专票 个人账号能开吗": the later ask repeats the how-to's verb (开) without its object (专票)
            result.append(f"{action} {q}")
        elif not action and (back := _refers_back(first, q, terms)) and (named := _named(first_subject, entity)):
            # "实例能降配吗？降的时候要关机不": the later ask times itself by the first ask's action (a how-to's
            # action is carried below)
            result.append(f"{named} {back}")
        elif not new_topic and first_subject and not needs_subject(q, terms) and _object_only(q, terms) \
                and (named := _named(first_subject, entity)):
            # "envoy 的访问日志怎么打开 输出能换成 json 吗": the thing it names (json) is what the change makes, after
            # its modal; what it asks about is the first ask's subject
            result.append(attach_subject(named, q))
        elif not new_topic and (counted := _timed_on_counted(first, q, first_subject, terms)):
            # "一块网卡能绑几个 eip 绑上以后能看到公网地址吗": the later ask, timed by the first ask's action, is
            # about what that action counted
            result.append(f"{counted} {q}")
        elif needs_subject(q, terms) and not (new_topic and not starts_elliptical(q) and not _PRONOUN_START.match(q)
                                              and not _BARE_ASK.match(q)):  # "以及最长能设多久" asks on the first
            q = _with_object(first, q, terms)
            if action and action[:2].lower() not in q.lower() and first_subject and not _PRONOUN_START.match(q):
                # "CDN 怎么刷新缓存，多久生效": the later ask is about the action (刷新缓存), not CDN at large
                result.append(attach_subject(f"{entity or first_subject} {action}", q))
                continue
            # the whole subject goes with an ask that has nothing of its own ("能调大不"), and with an
            # elliptical one (graph/subject.attach_subject)
            thing = _thing(first_subject, entity)
            named = _named(first_subject, entity)
            if not terms.has(q):
                # "deployment 默认保留几个旧的 replicaset，删掉了还能回滚吗": what the first ask counted stands
                # after its asking word, and the later ask acts on it
                named, thing = (f"{w} {_asked_object(first, first_subject, terms)}".strip() for w in (named, thing))
            result.append(attach_subject(named, q, named if _BARE_ASK.match(q) else thing))
        else:
            result.append(q)
    return [q.strip(_TRIM) for q in result if q.strip(_TRIM)]


def _opens_with_thing(clause: str, terms: DomainTerms) -> bool:
    """The clause begins with a thing the base names, or a word holding one ("自动快照")."""
    thing = terms.first(clause[:8])
    return bool(thing) and clause.lower().find(thing.lower()) <= 2


def _asked_object(first: str, subject: str, terms: DomainTerms) -> str:
    """The things the first ask names after its asking word ("几个旧的 replicaset" -> "replicaset")."""
    at = first.find(subject) + len(subject) if subject and subject in first else len(first)
    return " ".join(w for w in terms.phrase(first[at:]).split() if w.lower() not in subject.lower())


def _named(subject: str, entity: str) -> str:
    """The first ask's subject as a later ask carries it: whole, unless it holds the first ask's predicate
    ("url刷新一天能刷", "系统盘能单独卸下来": then what it names, before the predicate) or tells a story
    ("忘了root密码要重置，必须关机": then what it names)."""
    predicate = _PREDICATE_WORD.search(subject)
    if len(subject) > 20 or _COMMA.search(subject):  # a story told before the ask, not a name
        return _thing(subject, entity)
    if not predicate:
        return subject
    return _thing(subject, entity) or subject[:predicate.start()].strip(_TRIM)


_TIMED = re.compile(r"^([\u4e00-\u9fff]{1,2}?)(?=的时候|的过程中|完了?以后|完|了以后|以后|之后)")


def _refers_back(first: str, question: str, terms: DomainTerms) -> str:
    """"降的时候要关机不" after "实例能降配吗": a later ask timed by the first ask's action, with that
    action's whole word where the base knows it ("降配的时候要关机不"); "" when it opens otherwise."""
    found = _TIMED.match(question)
    verb = found.group(1) if found else ""
    at = first.find(verb) if verb and verb[0] not in _NOT_CONTENT else -1
    if at < 0:
        return ""
    word = first[at:at + 2] if len(verb) == 1 and first[at:at + 2].lower() in (*ATTRIBUTES, *terms.terms) else verb
    return word + question[len(verb):]


_MODAL_AT = re.compile(r"能|可以|可不可以|要|需要|会|得")


def _object_only(question: str, terms: DomainTerms) -> bool:
    """The ask names things of the base only after its modal ("输出能换成 json 格式吗"): what it changes to or
    acts on, not what it is about — before the modal no term, a few characters at most."""
    at = _MODAL_AT.search(question)
    if at is None or not 0 < at.start() <= 4:
        return False
    return not terms.phrase(question[:at.start()]) and bool(terms.phrase(question[at.end():]))


def _timed_on_counted(first: str, question: str, subject: str, terms: DomainTerms) -> str:
    """The thing the first ask counts ("几个 eip" -> "eip") when the later ask opens timed by the first ask's
    verb ("绑上以后", the verb's character in the first ask's predicate) and does not name it; "" otherwise."""
    found = _TIMED.match(question)
    if not found or not re.search(COUNT_ASK, first) or found.group(1)[0] in _NOT_CONTENT \
            or found.group(1)[0] not in subject:
        return ""
    counted = _asked_object(first, subject, terms)
    return counted if counted and counted.lower() not in question.lower() else ""


def _thing(subject: str, entity: str) -> str:
    """What the first ask is about, as it named it: "sidecar 里工作负载证书默认(多久过期)" -> "sidecar 里工作负载
    证书", where the base's terms alone give "sidecar 证书" and drop the word that finds the page. The ask's
    own clause up to its last entity term, so no predicate comes along ("eip 带宽最大能调到" -> "eip 带宽");
    the entity where the clause lacks one of its terms, runs long (a statement, not a name) or holds a condition."""
    words = entity.lower().split()
    clause = _DEMONSTRATIVE.sub("", _COMMA.split(subject)[-1].strip(_TRIM))
    low = clause.lower()
    if not words or not all(w in low for w in words):
        return entity
    thing = clause[: max(low.rfind(w) + len(w) for w in words)].strip(_TRIM)
    # a condition ("300个G 的话") is no part of the name, and a later ask carrying one reads as a case of the
    # conversation's problem (graph.followup): the entity
    # nor is a modal or a verb taking the entity as its object ("做好的能给别的账号"): a predicate, not a name
    return thing if len(thing) <= 20 and not _CONDITION_WORD.search(thing) and not _PREDICATE_WORD.search(thing) \
        else entity


_CONDITION_WORD = re.compile(r"的话|如果|要是|假如|万一")
_BARE_ASK = re.compile(r"^(?:最多|最少|最长|最短|最大|最小|最高|最低|一般|大概|到底)?(?:还|也|又)?(?:能|会|可以|要|得|需要)(?!不)")
"""An ask that is its modal and verb alone ("能调大不", "最长能设多久"): it asks about the whole subject."""
_PREDICATE_WORD = re.compile(r"能|可以|怎么|如何|咋|给|把|被")
_DEMONSTRATIVE = re.compile(r"^(?:这个|那个|这台|那台|这|那|该|我的|我们的|我们|我)\s*")


_BARE_VERB = re.compile(r"([\u4e00-\u9fff])(?=多少|多久|几[个次天条]|吗|么|不[？?]?$)")
_NOT_CONTENT = frozenset("的了要吗呢是在把被我你他她它这那个么什怎咋啥弄办做搞呀啊吧还也都就会能可以得着过和与跟及或不没有多少几")


def _with_object(first: str, question: str, terms: DomainTerms) -> str:
    """A verb the later ask repeats without the object the first ask gave it takes that object back:
    "eip没绑东西也收费？收多少" -> "收费多少" (收 alone searches for nothing; the fee was asked) — only a
    word the base or the attribute list knows ("给别的账号…最多给几个" does not become "给别几个")."""
    found = _BARE_VERB.search(question)
    if found is None or found.group(1) in _NOT_CONTENT:
        return question
    verb = found.group(1)
    word = next((first[i:i + 2] for i in range(len(first) - 1) if first[i] == verb
                 and "\u4e00" <= first[i + 1] <= "\u9fff" and first[i + 1] not in _NOT_CONTENT), "")
    if not word or word in question or not (word in ATTRIBUTES or word in terms.terms):
        return question
    return question[:found.start()] + word + question[found.end():]


def _action(question: str, subject: str) -> str:
    """The how-to's own action ("CDN 怎么刷新缓存" -> "刷新缓存"); "" for a generic verb (怎么看/怎么配置)."""
    found = HOW_ACTION.search(question)
    verb = found.group(1).strip() if found else ""
    return verb if verb and not GENERIC_VERB.fullmatch(verb) and verb.lower() not in subject.lower() else ""


_ADVERBS = re.compile(r"到底|究竟|具体|大概|一般|现在|目前|最多|最少|[的是\s]")


def _only_attributes(entity: str, subject: str) -> bool:
    """"上限到底" (entity 上限): attribute words (上限, 端口, 费用) and adverbs only — an ask, not a subject
    ("实例欠费了" says what it is about)."""
    words = [w for w in entity.lower().split() if w] or [_ADVERBS.sub("", subject.lower())]
    if not words or not all(w in ATTRIBUTES for w in words):
        return False
    rest = subject.lower()
    for w in words:
        rest = rest.replace(w, "")
    return not _ADVERBS.sub("", rest).strip()


def domain_terms(lexicon: set[str], products: Iterable[str] = ()) -> DomainTerms:
    """The base's mined terms, the desk's cloud words and the words of the products its pages declare."""
    return DomainTerms(list(lexicon) + list(CLOUD_TERMS) + sorted(product_words(products)), SYMPTOM_TERMS)


def product_words(products: Iterable[str]) -> set[str]:
    """The words of declared product names ("对象存储 SOS" -> 对象存储, sos): things a message names even
    where the mined lexicon cut them apart. A short Chinese part ("网络" of "网络 ACL") is an everyday
    word, not a name: left out."""
    words = {w.lower() for name in products for w in name.split()}
    return {w for w in words if (w.isascii() and len(w) >= 2 and not w.isdigit()) or (not w.isascii() and len(w) >= 3)}
