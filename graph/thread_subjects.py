"""What a message names and what the conversation is about: the words a follow-up is anchored on.

    subjects = ThreadSubjects(terms, vocab)
    subjects.subject("云盘怎么扩容")                      # "云盘 扩容"
    subjects.anchor(thread, "现在登不上去怎么处理")        # "mysql Too many connections"
    subjects.own_topic("PVC 没绑定怎么查", thread)         # False: something the last answer brought up

The base of graph/followup.FollowUps (which decides what a message is); entities and subjects from the
KB's terms (graph/subject.DomainTerms), the KB's vocabulary for how strongly a word goes with the thread's
subject. Tests: tests/graph/test_followup.py, tests/graph/test_followup_turns.py.
"""

from __future__ import annotations

import re
from typing import Any

from graph.answered import ERROR_PHRASE as _ERROR_PHRASE, answered_parts, answered_subject, answered_thing, asked_part
from graph.cues import ASKS, ATTRIBUTES, FILLER, GENERIC_VERB, HOW_ACTION, NOT_A_SUBJECT, PRODUCT, TARGETS, TRIM, tidy
from graph.english_followup import english_subject, naming_words
from graph.language import message_language
from graph.question_type import question_type
from graph.subject import FACETS, DomainTerms, subject_of
from graph.thread import Thread

_STATED = re.compile(r"[了过后]|[要会能得被还]")
"""A subject that says a state or a condition ("扩容后要重启", "关机了还收费"): a yes/no question's, not a thing."""
_PLACE = re.compile(r"\s+([\u4e00-\u9fff]{1,3})[里中内上]$")
"""A place said at the end of a subject ("… 系统里", "… 机器上"), a word apart: where, not a thing."""
FULL_QUESTION = 12
"""Characters beyond which a message is a full question, not an elliptic ask ("一天最多能刷几条")."""
FOLLOW_ON_ASSOCIATION = 0.3
"""Share of a word's chunks that mention the thread's subject for the word to count as about it."""


_CHOICE = re.compile(r"哪(?:个|种|款|类|些)|选哪|\bwhich\b", re.IGNORECASE)
"""An ask that has the answer choose among things ("跑数据库选哪个合适")."""


def leaned_on(thread: Thread) -> str:
    """What the last follow-up leaned on, when its standalone was that and the user's words ("云盘 扩容" of
    "云盘 扩容 会丢数据吗"): a next ask without a subject of its own ("要停机吗") leans on the same, not on the
    last ask's words; "" after a new topic, a follow-up with a referent, or a standalone written otherwise."""
    if not thread.asked or thread.focus_kind or thread.question == thread.topic or _CHOICE.search(thread.asked):
        return ""  # (after "选哪个合适" the answer's choice is what 这种 points at: the ask's words stay)
    said = tidy(FILLER.sub("", thread.asked.strip().strip(TRIM)))
    if not said or not thread.question.endswith(said):
        return ""
    return thread.question[: -len(said)].strip(" ，,：:")


class ThreadSubjects:
    """The things a message names and the subject a follow-up leans on, with the KB's terms."""

    def __init__(self, terms: DomainTerms, vocab: Any = None, fixer: Any = None) -> None:
        self.terms = terms
        self.vocab = vocab
        self.fixer = fixer

    def entities(self, text: str) -> list[str]:
        """Domain terms naming things (not attributes or symptoms) and technical tokens in the text."""
        low = text.lower()
        found = [t for t in self.terms.entities if t in low and t not in ATTRIBUTES]
        text = TARGETS.sub(" ", text)  # an address says where, not what about
        words = re.findall(r"[A-Za-z][\w.+-]*[A-Za-z0-9]|(?<![\d.])\d{3,5}(?![\d.])", text)
        words = naming_words(text, words, self.terms)  # "Can I change it", "先 delete 掉点旧数据": no names
        return [f for f in found + words if f.lower() not in ATTRIBUTES]

    def subject(self, question: str) -> str:
        """A question's subject, short: "SSH 连接超时", or the things it names ("SSH"); a how-to keeps
        its action ("云盘怎么扩容" -> "云盘 扩容": what a follow-up about it is about)."""
        if message_language(question) == "en" and english_subject(question):
            return english_subject(question)
        subject = subject_of(question)
        place = _PLACE.search(subject)
        if place and place.start() > 0 and not self.terms.all_in(place.group(1)):
            subject = subject[:place.start()]  # "xfs 云盘 系统里": where it was asked, not what about
        if 0 < len(subject) <= 10:
            action = HOW_ACTION.search(question)
            verb = action.group(1).strip() if action else ""
            if verb and not GENERIC_VERB.fullmatch(verb) and verb.lower() not in subject.lower():
                return f"{subject} {verb}"
            return subject
        low = subject.lower()
        latin = low
        for term in self.terms.terms:  # "弹性公网 ip eip": the IP of a Chinese name starts no English phrase
            if not term.isascii():
                # (blanked with no space: the Latin words on either side of a Chinese term are no phrase —
                # "cors 前端直传 sos" names two things, it is not an English symptom like "connection timed out")
                latin = latin.replace(term, "\0" * len(term))
        phrases = [m.group(0) for m in re.finditer(r"[a-z][\w.-]*(?:\s+[a-z][\w.-]*)+", latin)]
        things = [t for t in self.terms.terms if t in low and t not in ATTRIBUTES and t not in NOT_A_SUBJECT
                  and not (t.isascii() and any(t in phrase for phrase in phrases))]  # "connection timed out": a symptom
        taken: list[tuple[int, int]] = []
        for term in things:  # longest first, no overlaps, in reading order
            start = low.find(term)
            if all(start + len(term) <= a or start >= b for a, b in taken):
                taken.append((start, start + len(term)))
        phrase = " ".join(subject[a:b] for a, b in sorted(taken)[:3])
        return phrase or self.terms.phrase(subject) or self.terms.first(question) or subject[:20]

    def anchor(self, thread: Thread, question: str = "") -> str:
        """What an elliptical question is about: the last question's subject; after a named item, the
        topic and that item ("MySQL 慢查询 long_query_time"); after a list item, the topic."""
        topic = self.subject(thread.topic) if thread.topic else ""
        if thread.focus_kind == "named" and thread.focus:
            keep = topic if topic and thread.focus.lower() not in topic.lower() else ""
            return f"{keep} {thread.focus}".strip()
        if thread.focus_kind == "item" and topic:
            return topic
        error = _ERROR_PHRASE.search(thread.question or thread.topic)
        # a quoted error names the problem itself ("mysql 报 Too many connections"): no page title for it
        titled = "" if error else answered_subject(thread, self.terms)
        if titled and question and not self.names_thing(question):
            # "这个一天能刷多少次" after an answer from "CDN 缓存规则与刷新": the topic of the title it asks about
            title, things = answered_parts(thread, self.terms)
            titled = " ".join([asked_part(title, question, self.terms.first(title)), *things])
        leaned = leaned_on(thread)
        # (what it leaned on as subject words: a page title or a quoted error it carried stays behind)
        subject = titled or self.subject(leaned or thread.question or thread.topic)
        sibling = bool(leaned) and question_type(thread.asked) == "value"  # "一天能刷几次" -> "多久能生效"
        if question and not error and thread.topic and thread.question != thread.topic and not sibling \
                and any(f in question for f in FACETS) and not self.names_thing(question):
            # "最长能设多久" after "…403 AccessDenied 私有文件想临时分享给别人咋弄": a facet of what the last
            # follow-up asked about (its words name no KB term), not of the terms its anchor brought in
            head = subject_of(thread.question)
            if ASKS.search(head):
                # a head that still asks is the last follow-up's own ask ("存活探针默认 超时默认几秒"): a sibling
                # facet — "第一次探测前默认等多久" asks it of the topic, not of that ask
                head = self.subject(thread.topic)
            if len(head) > len(subject) and subject.lower() in head.lower():
                return head
        if question and self.names_thing(question):
            if titled and (thing := answered_thing(thread, self.terms, question)):
                return thing  # the page's thing, not its whole title: the follow-up's own thing leads
            named = answered_parts(thread, self.terms)[1] if titled and self.names_unsaid_thing(question, thread) else []
            if named:
                # "实例最多能挂几块数据盘" after "云服务器 cpu 100% 怎么查" (answered from "CPU 使用率 100% 排查"): a
                # thing the conversation never said, asked of the product the user named — the page's problem
                # would bring that page back instead of the one stating it
                return " ".join(named)
            # a follow-up naming a thing of its own ("那默认端口是多少", "白名单在哪加") is about the product, not
            # the error: "rds ERROR 2003" -> "rds 白名单在控制台哪改"
            bare = tidy(_ERROR_PHRASE.sub(" ", subject)).strip()
            if not re.search(r"[\u4e00-\u9fff]|[a-z]{2}", bare):  # only codes left ("HY000"): the product named
                bare = " ".join(PRODUCT.findall(thread.question or thread.topic)[:1]) or bare
            elif _STATED.search(bare) and self.terms.phrase(bare) \
                    and any(t.lower() not in bare.lower() for t in self.terms.all_in(question)):
                # "云盘扩容后要重启(吗)" -> "快照怎么建": a thing of its own, of the same things, not of that state
                bare = self.terms.phrase(bare)
            return bare or subject
        if error and error.group(0).lower() not in subject.lower() and question \
                and "en" not in (message_language(question), message_language(thread.question or thread.topic)):
            # "mysql 报 Too many connections" -> "现在登不上去怎么处理" / "上限到底是多少": about the error
            subject = f"{subject} {error.group(0)}".strip()
        return subject

    def names_thing(self, question: str) -> bool:
        """Does the question name a thing of its own, not only a facet of whatever it asks about
        ("上限到底是多少", "默认值呢", "一般多久恢复" name none; "默认端口", "白名单" do)?"""
        low = question.lower()
        facets = [f for f in FACETS if f in low]
        return any(t not in FACETS and not any(t in f for f in facets) for t in self.terms.all_in(question))

    def problem(self, thread: Thread) -> str:
        """The problem the conversation is about, as the user first put it (its first clause)."""
        first = re.split(r"[，,。；;？?]", thread.topic or thread.question)[0].strip()
        first = subject_of(first) or first  # "SSL 证书过期了怎么办" -> the problem, not its ask
        return first if 0 < len(first) <= 20 else self.subject(thread.topic or thread.question)

    def own_topic(self, text: str, thread: Thread, goes_on: bool = False, aside: bool = False,
                   pointing: bool = False) -> bool:
        """Does the message name its own subject, not one that belongs to the thread's? `pointing`: it says
        这个/那个 about what it names ("gpedit 那个设置改完要改回来吗"): names from the last answer are
        that answer's, however long the message."""
        own = self.entities(text)
        if not own:
            # "乐观事务一个事务里最多能跑多少条语句" after "tidb 默认端口是多少": a full question about things of the
            # base the conversation never said, though none is a term — not the thread's question again
            return not goes_on and not pointing and self.names_unsaid(text, thread)
        anchor = self.terms.all_in(thread.question + " " + thread.topic)
        if any(e.lower() in (thread.question + thread.topic).lower() for e in own):
            return True  # it repeats the thread's own words: a complete question
        if (len(text.strip(TRIM)) <= FULL_QUESTION or pointing) and all(e.lower() in thread.answer.lower() for e in own):
            return False  # "PVC 没绑定怎么查": something the last answer brought up
        if any(e.isascii() for e in own) or len(text.strip(TRIM)) > FULL_QUESTION:
            return True  # a product, code or name of its own, or a full question: a subject of its own
        if goes_on:
            return False  # "那慢日志保留多久": goes on about the same thing
        if aside or self.vocab is None or not anchor:
            return True
        from graph.domain_score import content_tokens

        mine = [t for t in content_tokens(text, self.vocab) if self.vocab.knows(t)]
        others = [t for a in anchor for t in content_tokens(a, self.vocab)]
        if not mine or not others:
            return True
        rare = sorted(mine, key=self.vocab.idf, reverse=True)[:2]
        return max(self.vocab.association(t, others) for t in rare) < FOLLOW_ON_ASSOCIATION

    def names_unsaid_thing(self, question: str, thread: Thread) -> bool:
        """Does the question name a term of the base (not a facet) that the conversation never said?"""
        said = thread.said
        return any(t not in FACETS and t.lower() not in said for t in self.terms.all_in(question))

    def names_unsaid(self, text: str, thread: Thread) -> bool:
        """Is the message a full question (longer than an elliptic ask) naming at least two words of the base
        that say what it is about (topic words, not how it is asked) the conversation never said?"""
        if self.vocab is None or len(text.strip(TRIM)) <= FULL_QUESTION:
            return False
        from graph.domain_score import content_tokens
        from graph.word_class import PREDICATE, topic_weight

        said = thread.said
        unsaid = {t for t in content_tokens(text, self.vocab) if len(t) >= 2 and self.vocab.knows(t)
                  and topic_weight(t) > PREDICATE and t not in said}
        return len(unsaid) >= 2

    def all_said(self, text: str, thread: Thread) -> bool:
        """Does the message name things (one at least), all of which the conversation already said?"""
        said = thread.said
        own = self.entities(text)
        return bool(own) and all(e.lower() in said for e in own)

    def names_new(self, text: str, thread: Thread) -> bool:
        """Does the message name a product, code or name the conversation never mentioned?"""
        said = thread.said
        return any(e.isascii() and not e.isdigit() and e.lower() not in said for e in self.entities(text))
