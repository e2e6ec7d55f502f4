"""A sample resource under the sentence it illustrates leaves a why / what answer (issue 12):
graph/example_config.py, hooked in graph/nodes/verify.py."""

from __future__ import annotations

import pytest

from graph.example_config import declares, without_examples, without_printed, without_printed_lines
from tests.graph.conftest import corpora_asker

MANIFEST = "```yaml\n" + "\n".join(["apiVersion: apps/v1", "kind: Deployment", "metadata:", "  name: web", "spec:",
                                    "  template:", "    spec:", "      securityContext:", "        runAsUser: 1337"]) + "\n```"


PAGE = [{"heading_path": ["IST0144", "示例"], "meta": {}, "source": "ist0144.md"}]


def _unit(text: str, block: str = "sentence", n: int = 1) -> dict:
    return {"text": text, "block": block, "cites": [n]}


def test_a_long_data_block_declares_a_resource_a_command_does_not() -> None:
    assert declares(MANIFEST)
    assert not declares("```bash\nkubectl rollout restart deployment\n```")
    assert not declares("```yaml\nagent:\n  report: 10s\n```")  # a snippet the answer quotes
    heredoc = "```bash\n$ kubectl create -f - <<EOF\n" + "\n".join(MANIFEST.split("\n")[1:-1]) + "\nEOF\n```"
    assert declares(heredoc)


def test_the_sample_goes_its_explaining_lead_in_stays_as_a_sentence() -> None:
    units = [_unit("应用容器不应该以 UID `1337` 运行，因为 istio-proxy 默认以 UID `1337` 运行。"),
             _unit("下面的 Deployment 以 UID `1337` 在 Pod 级别运行：", "leadin"), _unit(MANIFEST, "code")]
    kept = without_examples(units, PAGE, "symptom", "runAsUser 设的 uid 有啥讲究")
    assert [u["text"] for u in kept] == [units[0]["text"]]  # the announcing lead-in goes with its block
    after = [units[1], units[2], units[0]]  # the sentence explaining the sample follows it
    assert [u["text"] for u in without_examples(after, PAGE, "symptom", "uid 报错")] == [units[0]["text"]]
    units[1]["text"] = "探讨设置为 `runAsUser` 的 Deployment 如何使用 UID `1337` 运行："
    kept = without_examples(units, PAGE, "cause", "为啥报 uid 有问题")
    assert [u["text"] for u in kept] == [units[0]["text"], "探讨设置为 `runAsUser` 的 Deployment 如何使用 UID `1337` 运行。"]


def test_a_howto_a_value_or_a_block_nothing_explains_keeps_it() -> None:
    units = [_unit("在 Deployment 中设置：", "leadin"), _unit(MANIFEST, "code")]
    assert len(without_examples(units, PAGE, "symptom", "报 IST0144 了")) == 2  # only an announcing lead-in: the block is the answer
    units = [_unit("UID `1337` 保留用于 Sidecar。"), _unit(MANIFEST, "code")]
    assert len(without_examples(units, PAGE, "howto", "deployment 怎么写")) == 2
    assert len(without_examples(units, PAGE, "value", "uid 设多少")) == 2
    assert len(without_examples(units, PAGE, "symptom", "用啥命令看")) == 2
    other = [*PAGE, {**PAGE[0], "source": "ist0155.md"}]
    assert len(without_examples([units[0], _unit(MANIFEST, "code", n=2)], other, "symptom", "uid 报错")) == 2  # another page's
    # the page's opening section explains what its example section shows
    assert len(without_examples([units[0], _unit(MANIFEST, "code", n=2)], PAGE * 2, "symptom", "uid 报错")) == 1
    steps = [{"heading_path": ["CORS", "配置步骤", "方式二"], "meta": {}}]
    assert len(without_examples(units, steps, "cause", "跨域报错 curl 是好的")) == 2  # the rules file to write


PAGES = [f"istio-zh/content/zh/{p}" for p in (
    "docs/reference/config/analysis/ist0144/index.md",
    "about/faq/traffic-management/ingress-with-no-route-rules.md")]


@pytest.fixture(scope="module")
def ask_istio(tmp_path_factory):
    yield from corpora_asker(tmp_path_factory, PAGES, "examples")


def test_a_why_question_gets_the_pages_sentence_not_its_sample_manifest(ask_istio) -> None:
    answer = ask_istio("k8s ingress 的 path 用了正则表达式 还加了 rewrite-target 注解 结果路由完全不生效").split("**参考来源**")[0]
    assert "正则表达式" in answer and "apiVersion" not in answer and "kind: Ingress" not in answer, answer


def test_the_units_kept_are_the_objects_verify_gave() -> None:
    units = [_unit("UID `1337` 保留用于 Sidecar。"), _unit("1. **检查**", "step"), _unit(MANIFEST, "code")]
    kept = without_examples(units, PAGE, "symptom", "uid 报错")
    assert kept[0] is units[0] and kept[1] is units[1] and len(kept) == 2  # without_emptied_steps knows them by identity


def test_a_prompted_command_keeps_the_command_not_what_it_prints() -> None:
    block = ("```bash\n$ curl -s localhost:15000/config_dump | istioctl proxy-config clusters --file -\n"
             "SERVICE FQDN      PORT  SUBSET\nistiod.istio-system.svc.cluster.local   443  -\n```")
    assert without_printed(block) == ("```bash\n$ curl -s localhost:15000/config_dump | istioctl proxy-config clusters "
                                      "--file -\n```")
    heredoc = "```bash\n$ kubectl apply -f - <<EOF\nkind: Pod\nEOF\n$ kubectl get pod \\\n  -n demo\nNAME  AGE\n```"
    assert without_printed(heredoc) == "```bash\n$ kubectl apply -f - <<EOF\nkind: Pod\nEOF\n$ kubectl get pod \\\n  -n demo\n```"
    plain = "```bash\nkubectl get pods\n```"
    units = [_unit(plain, "code"), _unit(block, "code")]
    kept = without_printed_lines(units)
    assert kept[0] is units[0] and "SERVICE FQDN" not in kept[1]["text"]
