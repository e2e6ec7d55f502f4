"""Questions about a consumer product or an everyday service, which a cloud support desk does not serve.

A game's top-up, a phone's data plan, a bank card, a parcel, an exam certificate, a utility bill or a
membership share the desk's words — 充值, 到账, 欠费, 续费, 账单, 余额, 账号, 密码, 内存, 延迟, 证书 —
so the vocabulary alone accepts "游戏充值了钻石一直没到账" or "水费账单怎么比上个月多". When a message
names such a service (`SERVICES`; a word the loaded base itself mines as a domain term is never one:
a game studio's base may well be about 游戏), those shared words (`SHARED`) say nothing about the
base: the message is the desk's only when it also names a domain term of the base beyond them
("安卓手机打开 https 说证书不受信任", "游戏服务器 cpu 一直 100%"), or when the base itself writes the
service's name beside another word of the message (a page on certificate chains names 微信小程序).
A shared possession owned by a noun the base never mentions ("加油卡余额") is such a service too.
Used by graph.domain_check.judge; tests: tests/graph/test_guard_services.py.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable

from graph.domain_score import CLOUD_TERMS, content_tokens, known_to_base, noun_pairs
from graph.vocabulary import KBVocabulary
from graph.word_class import PREDICATE, topic_weight

# Kinds of consumer products and everyday services, by what the desk's words collide with.
SERVICES: dict[str, tuple[str, ...]] = {
    "game": ("游戏", "手游", "网游", "游戏币", "点券", "王者荣耀", "和平精英", "原神", "英雄联盟", "魔兽", "steam"),
    "telecom": ("话费", "流量包", "手机流量", "手机卡", "手机套餐", "运营商", "营业厅", "宽带", "手机内存", "手机存储",
                "手机屏幕", "手机电池", "手机充值"),
    "app": ("微信", "qq", "支付宝", "淘宝", "京东", "拼多多", "美团", "饿了么", "抖音", "快手", "微博", "小红书", "b站",
            "网盘", "icloud", "视频会员", "会员卡", "会员费"),
    "money": ("银行", "银行卡", "信用卡", "储蓄卡", "网银", "股票", "基金", "理财", "贷款", "花呗", "借呗", "医保", "社保",
              "公积金", "工资", "红包", "彩票"),
    "delivery": ("快递", "外卖", "骑手", "包裹", "网购", "退货", "物流", "取件码", "快递柜"),
    "exam": ("考试", "考证", "四级", "六级", "驾照", "驾驶证", "资格证", "毕业证", "学位证", "学历", "成绩单", "补考"),
    "daily": ("水费", "电费", "燃气费", "物业费", "学费", "地铁卡", "公交卡", "饭店", "餐厅", "酒店", "体检", "医院",
              "挂号", "健身卡", "健身房", "跳舞", "舞蹈", "广场舞", "门票", "机票", "火车票"),
    "device": ("打印机", "扫描仪", "路由器", "光猫", "wifi", "蓝牙", "耳机", "音箱", "投影仪", "显示器", "键盘", "鼠标",
               "电视", "机顶盒", "智能手表", "平板", "u盘", "移动硬盘", "内存卡", "存储卡", "储存卡", "sd卡", "相机", "相册"),
}
# What those services share with the desk: money, accounts, a device's resources, certificates, and
# how anything fails. With a service named, these words are the service's, not the base's.
SHARED: frozenset[str] = frozenset({
    "充值", "到账", "欠费", "续费", "缴费", "交费", "付费", "扣费", "收费", "计费", "费用", "余额", "账单", "发票",
    "开票", "抬头", "退款", "退费", "账号", "账户", "密码", "登录", "注册", "实名认证", "验证码", "会员", "套餐",
    "停机", "停服", "恢复", "内存", "存储", "空间", "流量", "网速", "下载", "延迟", "卡顿", "超时", "异常", "报错",
    "失败", "证书", "证书过期", "过期", "续期", "到期", "服务器", "主机", "版本", "更新", "重启", "开机", "关机",
    "系统", "数据", "备份", "文件", "节点", "限流", "封禁", "冻结", "解冻", "维护", "报告", "指标", "ping",
    "连不上", "无法连接", "掉线", "断网", "网络", "信号", "电脑", "驱动",
})
_SHARED_LONGEST = sorted(SHARED, key=len, reverse=True)
_ASCII = re.compile(r"^[\x00-\x7f]+$")
POSSESSIONS: frozenset[str] = frozenset({
    "余额", "证书", "账号", "账户", "密码", "账单", "套餐", "流量", "充值", "欠费", "续费", "发票", "会员",
})
"""Shared words that belong to something: a thing the base never mentions right before one owns it
("加油卡余额", "普通话证书", "学籍账号"), as "云服务器的密码" is the base's. A token that starts with one
counts ("会计证书过期"); so does an owner jieba reads as half a verb ("加油卡": 加油 + 卡)."""
_POSSESSION_START = tuple(POSSESSIONS)


@lru_cache(maxsize=1)
def _services() -> tuple[str, ...]:
    return tuple(sorted({w.lower() for words in SERVICES.values() for w in words}, key=len, reverse=True))


def occurs(term: str, low: str) -> bool:
    """An ASCII term as a whole word ("qq", not the qq of some longer name); a Chinese one anywhere."""
    if _ASCII.match(term):
        return re.search(rf"(?<![a-z0-9]){re.escape(term)}(?![a-z0-9])", low) is not None
    return term in low


def service_named(text: str, vocab: KBVocabulary) -> str | None:
    """The consumer product or everyday service a message names, unless the base itself mines it as a
    domain term ("游戏" on a game studio's base)."""
    low = text.lower()
    return next((w for w in _services() if w not in vocab.lexicon and occurs(w, low)), None)


def outside_owner(text: str, vocab: KBVocabulary) -> str | None:
    """A noun the base never mentions that owns one of the shared possessions ("加油卡" of "加油卡余额怎么查",
    "普通话" of "普通话证书多久能拿到"): the possession is that thing's, not the base's."""
    tokens = content_tokens(text, vocab)
    return next((owner for owner, head in noun_pairs(text, tokens) if head.startswith(_POSSESSION_START)
                 and not _ASCII.match(owner) and topic_weight(owner) >= PREDICATE and not known_to_base(owner, vocab)),
                None)


def base_terms_beyond_shared(text: str, vocab: KBVocabulary) -> list[str]:
    """The base's domain terms (mined, or general cloud terms it uses) the message names other than the
    services' words and the words the desk shares with them: "https" in "安卓手机打开 https 说证书不受信任",
    "数据库" in "做外卖平台的 数据库连接数老是打满", none in "游戏账号被封了"."""
    low = text.lower()
    for word in _services():
        low = low.replace(word, " ")
    return base_terms_in(low, vocab, _shared_only)


def base_terms_in(low: str, vocab: KBVocabulary, left_out: Callable[[str], bool]) -> list[str]:
    """The base's domain terms (mined, or general cloud terms it uses) of two characters or more that occur
    in the lower-cased text, longest first, but those `left_out` says are not the base's own here."""
    terms = {*vocab.lexicon, *(t for t in CLOUD_TERMS if vocab.knows(t))}
    return sorted((t for t in terms if len(t) >= 2 and occurs(t, low) and not left_out(t)), key=len, reverse=True)


def _shared_only(term: str) -> bool:
    """A term made of shared words alone ("账号密码", "证书过期"): the service's as much as the base's."""
    for word in _SHARED_LONGEST:
        term = term.replace(word, "")
    return not term.strip()


def about_everyday_service(text: str, vocab: KBVocabulary, written: str | None = None) -> str | None:
    """The service (or outside owner) a message is about when it names one and no term of the base beyond
    the shared words: the desk's words in it are the service's ("游戏充值了钻石一直没到账" -> "游戏").
    `written` is the message as the guard reads it (typos fixed: "isito" -> "istio"); the service is
    looked for in both, since typo correction may turn a name the base lacks into one of its words."""
    written = written or text
    said, read = service_named(text, vocab), service_named(written, vocab)
    service = said or read or outside_owner(written, vocab)
    # a service's name the typo fixer turned into a word of the base ("steam" -> "steal") is no base term
    basis = text if said and not read else written
    if service is None or base_terms_beyond_shared(basis, vocab) or _in_the_bases_sense(service, basis, vocab):
        return None
    return service


def _in_the_bases_sense(service: str, text: str, vocab: KBVocabulary) -> bool:
    """Does the base itself write the service's name beside another word of the message, one beyond the
    shared words unless the base mines it as a domain term? Then it is the base's topic there
    ("微信小程序提示证书不受信任": the certificate-chain page names 微信小程序 with 证书; "运营商网络到机器延迟高";
    "游戏服务器内存老是被吃满"), not a consumer's bill or account ("微信账号登不上了"), nor a game's
    maintenance ("游戏服务器维护到几点": the base's 游戏服务器 is a use of its instances, 维护 the game's)."""
    if not vocab.doc_freq(service):
        return False
    others = [t for t in content_tokens(text, vocab) if service not in t and t not in service and known_to_base(t, vocab)
              and (t in vocab.lexicon or not _shared_only(t))]
    return bool(others) and vocab.association(service, others) > 0
