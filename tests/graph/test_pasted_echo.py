"""The page's copy of the pasted message is not shown back (graph/pasted_echo.py)."""

from __future__ import annotations

from graph.doc_units import Unit
from graph.pasted_echo import pasted_blocks, without_pasted_output

ASKED = "CentOS 7 上 etcd 的 pod 一直重启，报 read parent: connection reset by peer，docker 该换哪个版本"
MESSAGE = ('```console\nrpc error: code = 2 desc = oci runtime error: exec failed: caused '
           '"decoding init error from pipe caused \\"read parent: connection reset by peer\\""\n```')
FIX = [Unit("sentence", "如果你使用 Docker 1.13.1.84 运行 CentOS 7 就会出现这种问题。"),
       Unit("item", "回滚到早期版本的 Docker，例如 1.13.1-75")]


def test_the_block_ending_with_the_pasted_message_and_its_leadin_go():
    units = [Unit("leadin", "如果你遇到以下错误："), Unit("code", MESSAGE), *FIX]
    assert pasted_blocks(units, ASKED) == {0, 1}
    assert without_pasted_output(units, ASKED) == FIX


def test_a_message_going_on_past_the_paste_stays():
    asked = "istioctl analyze 跑出来一条 Info：The namespace is not enabled for Istio injection，怎么消掉？"
    block = ("```\nInfo [IST0102] (Namespace default) The namespace is not enabled for Istio injection. "
             "Run 'kubectl label namespace default istio-injection=enabled' to enable it.\n```")
    units = [Unit("leadin", "则会收到以下消息："), Unit("code", block), *FIX]
    assert without_pasted_output(units, asked) == units


def test_nothing_pasted_a_short_quote_or_nothing_left_keeps_the_units():
    units = [Unit("leadin", "如果你遇到以下错误："), Unit("code", MESSAGE), *FIX]
    assert without_pasted_output(units, "etcd 的 pod 一直重启怎么办") == units
    assert without_pasted_output(units, "etcd 报 reset by peer 怎么办") == units  # three words: many pages say them
    alone = [Unit("leadin", "如果你遇到以下错误："), Unit("code", MESSAGE)]
    assert without_pasted_output(alone, ASKED) == alone
