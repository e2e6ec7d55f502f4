"""English names a base states for its terms (knowledge/aliases.py), mined at ingest."""

from __future__ import annotations

from knowledge.aliases import mine_aliases


def test_pairs_in_parentheses_and_tables():
    texts = ["| 弹性公网 IP（EIP） | 可以绑定到实例的公网 IP |",
             "弹性公网 IP（Elastic IP，EIP）是可以独立购买的公网地址。",
             "- **存储桶（bucket）**：存放对象的容器；",
             "安全组（Security Group）是虚拟防火墙。"]
    found = mine_aliases(texts)
    assert found["eip"] == ["弹性公网 IP"] and found["elastic ip"] == ["弹性公网 IP"]
    assert found["bucket"] == ["存储桶"] and found["security group"] == ["安全组"]


def test_names_used_in_their_own_right_and_sentence_tails_are_left_out():
    texts = ["| 设备名（Linux） | /dev/vda |", "访问 CLB 的七层监听器（HTTP/HTTPS）时", "域名（www.example.com）"]
    found = mine_aliases(texts, df=lambda name: 40 if name in ("linux", "http", "https") else 0)
    assert "linux" not in found and "http" not in found and "www.example.com" not in found
    found = mine_aliases(["访问的七层监听器（Listener）"])
    assert found["listener"] == ["七层监听器"]  # a leading particle is not part of the term


def test_demo_kb_aliases_are_stored_with_the_index(demo):
    pairs = demo.aliases("demo")
    assert pairs["elastic ip"] == ["弹性公网 IP"] and pairs["taint"] == ["污点"]
    assert "linux" not in pairs  # the base writes Linux on its own far more than in "设备名（Linux）"
