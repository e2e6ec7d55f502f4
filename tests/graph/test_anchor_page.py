"""Which selected page anchors the answer (graph/evidence._anchor, issue 21): retrieval's best
section keeps it when its title and headings name the question's subject as well as a later
page's title does; a later page titled with clearly more of the question takes over. Made-up
pages, the demo base (a how-to gets its page's task steps, graph/howto_steps.py) and real
Kubernetes pages from the shared corpora read at test time (skipped without them).
Run: pytest tests/graph/test_anchor_page.py"""

from __future__ import annotations


import pytest

from graph.evidence import build_evidence
from graph.passages import to_state
from graph.relevance import QuestionTerms
from tests.graph.conftest import corpora_pages_kb
from tests.graph.fakes import FakeKnowledge, page_chunk

TROUBLESHOOTING = [
    page_chunk("docs/k/troubleshooting.md", "集群故障排查", "t-0", [], "本文列出常见故障。"),
    page_chunk("docs/k/troubleshooting.md", "集群故障排查", "t-1", ["节点客户端证书轮换失败"],
               "节点的客户端证书过期后，在控制面节点上生成新的凭据，再拷到该节点并重启节点代理。"),
]
ROTATION = [
    page_chunk("docs/k/manual-rotation.md", "手动轮换根证书", "r-0", ["手动轮换根证书"],
               "轮换根证书前先备份所有证书，再把新旧根证书都写入信任列表。"),
]
IMAGES = [
    page_chunk("docs/k/volumes.md", "存储卷", "v-0", ["卷类型"], "镜像拉取失败时 Pod 的卷不会被挂载，节点会一直重试。"),
]
PULL = [
    page_chunk("docs/k/image-pull.md", "镜像拉取失败 ImagePullBackOff", "i-0", ["排查"],
               "ImagePullBackOff 表示节点拉取镜像失败，先看镜像名和拉取凭据。"),
]


def _anchor_source(chosen_best_first: list, terms: QuestionTerms) -> str:
    pages = [c for c in chosen_best_first]
    kb = FakeKnowledge([*TROUBLESHOOTING, *ROTATION, *IMAGES, *PULL])
    chosen = [to_state(p) for p in reversed(pages)]  # most relevant LAST, as selection returns them
    evidence = build_evidence(chosen, kb.document_chunks, "howto", terms)
    return evidence[-1]["source"]


def test_the_first_section_keeps_the_answer_when_its_headings_name_the_subject():
    # "节点上的客户端证书轮换失败了，怎么重新签": the rotation page's title shares two words of it,
    # the first section's title and heading name all of it
    terms = QuestionTerms({"节点": 2.0, "客户端": 3.0, "证书": 3.0, "轮换": 4.0, "重新": 1.0})
    assert _anchor_source([TROUBLESHOOTING[1], ROTATION[0]], terms) == "docs/k/troubleshooting.md"


def test_a_page_titled_with_clearly_more_of_the_question_takes_over():
    # "pod 卡在 ImagePullBackOff，镜像拉取失败怎么办": the second page's title names the error itself
    terms = QuestionTerms({"imagepullbackoff": 6.0, "镜像": 2.0, "拉取": 2.0, "失败": 1.0, "pod": 1.0})
    assert _anchor_source([IMAGES[0], PULL[0]], terms) == "docs/k/image-pull.md"


RESOLUTION = [
    page_chunk("docs/d/resolution.md", "域名解析不生效", "n-0", ["现象"],
               "控制台加了 A 记录，ping 域名报 Name or service not known，dig 查不到记录。"),
]
CNAME = [
    page_chunk("docs/d/cname.md", "CNAME 记录冲突", "m-0", ["现象"], "同一主机记录上 CNAME 与 A 记录不能共存。"),
]


def test_a_latin_word_inside_a_longer_one_does_not_title_a_page():
    # "dns 控制台加了 A 记录，ping 域名还是 Name or service not known": "name" inside "CNAME" is no title
    # word; each title names one word of the question, and the page holding all of it keeps the answer
    terms = QuestionTerms({"dns": 2.75, "控制台": 1.75, "记录": 2.69, "ping": 4.47, "域名": 2.42, "name": 3.07,
                           "service": 4.36, "known": 5.7})
    kb = FakeKnowledge([*RESOLUTION, *CNAME])
    chosen = [to_state(CNAME[0]), to_state(RESOLUTION[0])]  # most relevant LAST
    evidence = build_evidence(chosen, kb.document_chunks, "symptom", terms)
    assert evidence[-1]["source"] == "docs/d/resolution.md"


CHECKER = [
    page_chunk("docs/m/ist0128.md", "NoServerCertificateVerification", "c-0", ["示例"],
               "IST0128：DestinationRule 的 TLS 模式为 SIMPLE 却没有配置 caCertificates，无法校验服务端身份。"),
]
TLS = [
    page_chunk("docs/db/tls.md", "为客户端服务端通信开启 TLS", "s-0", ["配置服务端"],
               "服务端配置证书和私钥后，客户端可以用 TLS 连接并校验服务端身份。"),
]


def test_a_checker_code_is_an_error_code_and_its_page_anchors():
    terms = QuestionTerms({"ist0128": 8.0, "tls": 3.0, "客户端": 3.0, "服务端": 4.0, "身份": 3.0, "校验": 3.0})
    assert terms.codes() == ["ist0128"]
    assert QuestionTerms({"hy000": 5.0, "utf8mb4": 2.0, "x509": 2.0}).codes() == ["hy000"]
    kb = FakeKnowledge([*CHECKER, *TLS])
    chosen = [to_state(TLS[0]), to_state(CHECKER[0])]  # the code's page best (LAST); the TLS page's title names more words
    evidence = build_evidence(chosen, kb.document_chunks, "symptom", terms)
    assert evidence[-1]["source"] == "docs/m/ist0128.md"


def test_a_how_to_about_the_custom_image_page_gets_its_task_steps_on_the_demo_base(demo_knowledge):
    """The demo page on custom images has no step headings: its task section (a console path and
    the command) answers a how-to that meets its intro (graph/howto_steps.steps_section)."""
    from graph.service import Copilot
    from tests.graph.conftest import make_context

    result = Copilot(make_context(demo_knowledge)).ask("我想把配好环境的云服务器存成一个镜像模板，之后开新机器直接用，怎么操作",
                                                       "anchor-demo-1", kb="demo").to_json()
    text = result["answer"].split("**参考来源**")[0]
    assert "create-image" in text, text
    assert any(c["source"].endswith("custom-image.md") for c in result["citations"]), result["citations"]


K8S = "kubernetes-zh-cn/content/zh-cn/docs"
PAGES = [f"{K8S}/{p}" for p in ("setup/production-environment/tools/kubeadm/troubleshooting-kubeadm.md",
                                "tasks/tls/manual-rotation-of-ca-certificates.md",
                                "tasks/administer-cluster/kubeadm/kubeadm-certs.md")]


@pytest.fixture(scope="module")
def cert_kb(tmp_path_factory):
    yield from corpora_pages_kb(tmp_path_factory, PAGES, "certs")


def test_the_section_naming_the_problem_keeps_the_answer_over_a_title_sharing_a_word(cert_kb):
    """Real pages: the troubleshooting page's "Kubelet 客户端证书轮换失败" section (retrieval's best)
    keeps the answer; the CA rotation page, whose title shares "轮换 证书" with the question, does not
    take it (it did under the title-only rule)."""
    from graph.relevance import question_terms

    docs = {d["source"].rsplit("/", 1)[-1]: d["source"] for d in cert_kb.show_kb("certs")["documents"]}
    trouble = cert_kb.document_chunks("certs", docs["troubleshooting-kubeadm.md"])
    rotation = cert_kb.document_chunks("certs", docs["manual-rotation-of-ca-certificates.md"])

    def passage(chunk: dict, source: str, title: str) -> dict:
        return {**chunk, "source": docs[source], "title": title, "kb": "certs",
                "meta": {"indexed_text": chunk["indexed_text"]}}

    section = passage(next(c for c in trouble if "客户端证书轮换失败" in " ".join(c.get("heading_path") or [])),
                      "troubleshooting-kubeadm.md", "对 kubeadm 进行故障排查")
    other = passage(next(c for c in rotation if c.get("heading_path")), "manual-rotation-of-ca-certificates.md",
                    "手动轮换 CA 证书")
    question = "worker 节点的 kubelet 客户端证书轮换失败，日志里一直报证书过期，怎么处理"
    chosen = [other, section]  # most relevant LAST
    terms = question_terms(question, "", None, [c["text"] for c in chosen])
    evidence = build_evidence(chosen, lambda kb, source: cert_kb.document_chunks("certs", source), "howto", terms,
                              question=question)
    assert evidence[-1]["source"].endswith("troubleshooting-kubeadm.md"), [e["source"] for e in evidence]


PROXY_MODES = [
    page_chunk("docs/k/virtual-ips.md", "虚拟 IP 和服务代理", "x-0", ["代理模式", "iptables 代理模式"],
               "kube-proxy 在 iptables 模式下为每个 Service 的 ClusterIP 写入规则，把访问转发到后端实例。"),
]
DEBUG_SERVICE = [
    page_chunk("docs/k/debug-service.md", "调试 Service", "d-0", ["kube-proxy 正常工作吗？"],
               "如果后端实例通过 ClusterIP 访问自己不通，检查 kube-proxy 的 iptables 规则与 hairpin 模式。"),
]
FAULT_INJECTION = [
    page_chunk("docs/k/fault-injection.md", "故障注入", "f-0", ["注入中止"],
               "kube-proxy 的 iptables 规则不受注入影响，后端实例仍能通过 ClusterIP 访问。"),
]
# "有个后端实例通过 ClusterIP 访问自己就不通，kube-proxy 用的 iptables 模式"
SELF_ACCESS = QuestionTerms({"后端": 2.0, "实例": 2.0, "clusterip": 4.0, "访问": 1.5, "不通": 3.0,
                             "kube-proxy": 4.0, "iptables": 4.0, "模式": 1.5})


def _symptom_anchor(chosen_best_first: list, terms: QuestionTerms, qtype: str = "symptom") -> str:
    kb = FakeKnowledge([*PROXY_MODES, *DEBUG_SERVICE, *FAULT_INJECTION])
    evidence = build_evidence([to_state(p) for p in reversed(chosen_best_first)], kb.document_chunks, qtype, terms)
    return evidence[-1]["source"]


def test_a_page_diagnosing_the_symptom_anchors_before_a_reference_page():
    # the reference page on proxy modes ranks first; the page debugging Services covers nearly as much
    assert _symptom_anchor([PROXY_MODES[0], DEBUG_SERVICE[0]], SELF_ACCESS) == "docs/k/debug-service.md"


def test_a_reference_page_keeps_a_how_to_and_fault_injection_is_no_diagnosis():
    assert _symptom_anchor([PROXY_MODES[0], DEBUG_SERVICE[0]], SELF_ACCESS, "howto") == "docs/k/virtual-ips.md"
    assert _symptom_anchor([PROXY_MODES[0], FAULT_INJECTION[0]], SELF_ACCESS) == "docs/k/virtual-ips.md"


def test_a_diagnosing_page_covering_clearly_less_does_not_take_over():
    # the question asks about hairpin traffic the reference section covers and the debug section does not
    terms = QuestionTerms({**SELF_ACCESS.weights, "转发": 6.0, "规则": 6.0, "写入": 6.0})
    thin = page_chunk("docs/k/debug-service.md", "调试 Service", "d-1", ["Service 存在吗？"],
                      "先确认 Service 存在：kubectl get svc，后端实例不通时再看 kube-proxy。")
    kb = FakeKnowledge([*PROXY_MODES, thin])
    evidence = build_evidence([to_state(thin), to_state(PROXY_MODES[0])], kb.document_chunks, "symptom", terms)
    assert evidence[-1]["source"] == "docs/k/virtual-ips.md"


STORAGE = [
    page_chunk("docs/m/storage-full.md", "存储空间满导致只读", "s-0", ["现象"], "数据库写入全部失败，存储空间使用率 100%。"),
    page_chunk("docs/m/storage-full.md", "存储空间满导致只读", "s-1", ["可能原因"], "数据库的 binlog 堆积占用存储空间。"),
    page_chunk("docs/m/storage-full.md", "存储空间满导致只读", "s-2", ["解决方法"], "扩容存储空间后只读自动解除。"),
]
MEMORY = [
    page_chunk("docs/s/oom.md", "内存不足与 OOM 排查", "o-0", ["排查步骤"], "数据库的缓冲池占用内存，空间不足时进程被杀。"),
]


def test_a_page_written_for_the_problem_keeps_the_answer_over_another_pages_troubleshooting_title():
    # "数据库空间满了 一般是啥占的": the storage page (现象 / 可能原因 / 解决方法) is best; a memory page titled
    # "…排查" sharing the generic words does not take the answer for being a troubleshooting page
    terms = QuestionTerms({"数据库": 2.0, "空间": 2.0, "满": 1.0, "占": 1.0})
    kb = FakeKnowledge([*STORAGE, *MEMORY])
    chosen = [to_state(MEMORY[0]), to_state(STORAGE[0])]  # most relevant LAST
    evidence = build_evidence(chosen, kb.document_chunks, "symptom", terms)
    assert evidence[-1]["source"] == "docs/m/storage-full.md", [e["source"] for e in evidence]


def test_the_causes_list_comes_before_a_section_explaining_one_why():
    # "为什么会变成只读" explains the lock; "可能原因" lists what fills the storage: a cause question gets the list
    from dataclasses import asdict
    from graph.doc_sections import causes_section
    doc = [page_chunk("docs/m/full.md", "存储空间满导致只读", "f-0", ["现象"], "写入全部失败。"),
           page_chunk("docs/m/full.md", "存储空间满导致只读", "f-1", ["为什么会变成只读"], "存储写满时平台开启只读保护。"),
           page_chunk("docs/m/full.md", "存储空间满导致只读", "f-2", ["可能原因"], "binlog 堆积、临时文件、表碎片。")]
    chunks = [{**asdict(c)} for c in doc]
    section = causes_section(dict(chunks[0]), chunks)
    assert section is not None and section["heading_path"] == ["可能原因"], section
    only_why = [c for c in chunks if c["heading_path"] != ["可能原因"]]
    assert causes_section(dict(only_why[0]), only_why)["heading_path"] == ["为什么会变成只读"]


def test_a_fix_asked_by_its_action_gets_the_solution_part_naming_it():
    # "那怎么清理" after a storage-full answer: the part headed 清理, not the solution's first part (扩容)
    from dataclasses import asdict
    from graph.fix_asked import asked_action_part
    doc = [asdict(c) for c in [
        page_chunk("docs/m/full.md", "存储空间满导致只读", "g-0", ["现象"], "写入全部失败。"),
        page_chunk("docs/m/full.md", "存储空间满导致只读", "g-1", ["解决方法", "第一步：尽快恢复写入——扩容"], "扩容存储空间。"),
        page_chunk("docs/m/full.md", "存储空间满导致只读", "g-2", ["解决方法", "第二步：清理与回收空间"], "分批删除历史数据。")]]
    part = asked_action_part("存储空间满导致只读 那怎么清理", dict(doc[0]), doc)
    assert part is not None and part["heading_path"][-1] == "第二步：清理与回收空间", part
    assert asked_action_part("存储空间满导致只读 那怎么办", dict(doc[0]), doc) is None  # 怎么办 names no action
    assert asked_action_part("那怎么重启", dict(doc[0]), doc) is None  # no part names it
