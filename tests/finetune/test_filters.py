"""MinHash near-duplicates and the quality filters."""

from __future__ import annotations

import random

from models.finetune.filters import FilterOptions, apply_filters, grounding_score
from models.finetune.minhash import MinHasher, NearDuplicateIndex, estimate_jaccard, jaccard
from models.finetune.records import Record
from models.finetune.seeds import load_seed_tasks

BASE = "云服务器 SSH 连接超时，请先检查安全组入方向是否放行 TCP 22 端口，再确认实例绑定了公网 IP 地址。"


def test_minhash_estimates_jaccard():
    hasher = MinHasher(num_perm=256, seed=3)
    rng = random.Random(0)
    for _ in range(5):
        chars = list(BASE)
        for _ in range(rng.randint(1, 12)):
            chars[rng.randrange(len(chars))] = rng.choice("的了是在有和")
        other = "".join(chars)
        exact = jaccard(BASE, other)
        estimate = estimate_jaccard(hasher.signature(BASE), hasher.signature(other))
        assert abs(exact - estimate) < 0.12


def test_index_finds_near_duplicates_only():
    index = NearDuplicateIndex(threshold=0.7)
    assert index.add("a", BASE) is None
    assert index.add("b", BASE.replace("请先", "先")) == "a"
    assert index.add("c", "数据库 ERROR 1045 表示用户名或密码错误，或者账号没有授权当前主机登录。") is None
    assert len(index) == 2


def _qa(question: str, answer: str, context: str = "", **kw) -> Record:
    return Record(instruction=question, output=answer, context=context, **kw)


def test_filters_drop_each_problem_with_its_reason():
    context = "新建的自定义安全组默认拒绝所有入方向流量，必须手动添加允许 TCP 22 的规则。"
    records = [
        _qa("SSH 连不上怎么办？", "自定义安全组必须手动添加允许 TCP 22 的规则。", context),
        _qa("SSH 连不上怎么办呀？", "必须添加允许 TCP 22 的规则。", context),  # near duplicate
        _qa("自定义安全组默认放行吗？", "默认放行全部流量，并且会自动开启 8080 端口。", context),  # not grounded
        _qa("安全组规则怎么加？", "作为一个AI语言模型，我无法访问您的控制台。"),  # boilerplate
        _qa("？", "是"),  # instruction too short
        _qa("说明 TCP 22 端口", "x" * 3000),  # answer too long
        _qa("错误码 1040 是什么？", "连接数过多。"),
        _qa("错误码 1045 是什么？", "用户名或密码错误。"),  # differs only by the code: kept
    ]
    kept, report = apply_filters(records, FilterOptions(dedup_threshold=0.6))
    assert [r.instruction for r in kept] == ["SSH 连不上怎么办？", "错误码 1040 是什么？", "错误码 1045 是什么？"]
    assert report["dropped"] == {"length": 2, "boilerplate": 1, "ungrounded": 1, "near_duplicate": 1, "seed_duplicate": 0}
    assert report["in"] == 8 and report["out"] == 3


def test_seed_duplicates_and_inputs_under_one_instruction():
    seed = load_seed_tasks()[0]
    same_task = Record(instruction=seed.instruction, input=seed.input, output=seed.output)
    other_input = Record(instruction=seed.instruction, input="ERROR 2003 (HY000): Can't connect to MySQL server", output="云数据库 MySQL")
    kept, report = apply_filters([same_task, other_input], seeds=[t.to_record() for t in load_seed_tasks()])
    assert kept == [other_input]
    assert report["dropped"]["seed_duplicate"] == 1


def test_grounding_score_counts_answer_units_in_context():
    assert grounding_score("安全组中放行 22 端口", "请在安全组中放行 TCP 22 端口") == 1.0
    assert grounding_score("重启路由器", "请在安全组中放行 TCP 22 端口") == 0.0
