"""What "它 + verb" points at: the thing the previous answer has the user create with that verb.

    created_thing("必须绑 EIP 吗", answer, entities)   # "NAT 网关" after "1. 创建 NAT 网关 … 绑定弹性公网 IP"

An answer that has the user create something (创建/新建/新购/购买/开通/部署/安装 X) and uses the
question's verb in that step ("绑定", "创建") is what a following "它必须绑 EIP 吗" / "它要建在哪儿"
is about, not the conversation's subject. A verb the step never uses finds nothing. Used by
graph/followup.py; tested in tests/graph/test_followup.py.
"""

from __future__ import annotations

import re
from typing import Callable

_MODAL = re.compile(r"必须|一定|还|也|都|要|需要|得|能|可以|会|该")
"""Words before the verb ("必须绑", "要建", "需要装")."""
# What an answer has the user create, up to the clause's end ("创建 NAT 网关", "新建 docker-registry 类型的 Secret")
_MADE = re.compile(r"(?:创建|新建|新购|购买|开通|部署|安装)\s*([^，,。；;：:（(\n]{1,30})")
_NEXT_STEP = re.compile(r"\n\d{1,2}[.、]\s")  # a top-level item: the next step
_MARKS = re.compile(r"\*\*|`|\[\d+\]")
SHORT_NAME = 12
"""A created thing's name up to this many characters is kept whole ("NAT 网关"); a longer one by its head."""


def created_thing(rest: str, answer: str, entities: Callable[[str], list[str]]) -> str:
    """For the words after "它" (`rest`): the thing `answer` has the user create in the step that uses
    rest's verb, or "". `entities`: the names a text holds (the follow-up resolver's)."""
    text = rest.lstrip()
    while (modal := _MODAL.match(text)) is not None:
        text = text[modal.end():].lstrip()
    verb = text[:1]
    if not ("\u4e00" <= verb <= "\u9fff"):
        return ""
    for made in _MADE.finditer(answer):
        step = _NEXT_STEP.split(answer[made.start():], maxsplit=1)[0][:400]
        named = _MARKS.sub("", made.group(1)).strip()
        things = [e for e in entities(named) if e.lower() not in rest.lower()]
        if things and verb in step:  # "NAT 网关" whole; the head of "docker-registry 类型的 Secret"
            return named if len(named) <= SHORT_NAME and things[-1] in named else things[-1]
    return ""
