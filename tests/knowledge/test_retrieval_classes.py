"""benchmarks/retrieval_classes.py: where a question's gold page is lost in the keyword ranking."""

from benchmarks.retrieval_classes import class_report, loss_class, topic_folder

K8S = "kubernetes-zh-cn/content/zh-cn/docs/tasks/administer-cluster"
ISTIO = "istio-zh/content/zh/docs/ops/configuration/traffic-management"


def test_a_bundle_index_page_belongs_to_the_folder_above_it():
    assert topic_folder(f"{ISTIO}/dns-proxy/index.md") == ISTIO
    assert topic_folder(f"{K8S}/coredns.md") == K8S


def test_each_class_from_the_leading_page():
    gold = [f"{K8S}/dns-horizontal-autoscaling.md"]
    assert loss_class([gold[0], f"{K8S}/coredns.md"], gold) == "first"
    assert loss_class([f"{K8S}/coredns.md", gold[0]], gold) == "sibling"
    assert loss_class(["kubernetes-zh-cn/content/zh-cn/docs/concepts/x.md", gold[0]], gold) == "same_product"
    assert loss_class([f"{ISTIO}/dns-proxy/index.md", gold[0]], gold) == "other_product"
    assert loss_class([f"{K8S}/coredns.md"], gold) == "absent" and loss_class([], gold) == "absent"


def test_the_report_lists_the_lost_questions_and_counts_every_class():
    items = [{"id": "a", "question": "qa", "gold": ["p/x.md"]}, {"id": "b", "question": "qb", "gold": ["p/y.md"]},
             {"id": "c", "question": "qc", "gold": ["p/z.md"]}]
    ranked = {"qa": ["p/x.md", "p/x.md"], "qb": ["p/x.md", "p/y.md"], "qc": ["p/x.md"]}
    lines = class_report(items, ranked.__getitem__).splitlines()
    assert lines[0] == "b\tsibling\tgold page 2\tled by p/x.md"
    assert lines[1] == "c\tabsent\tgold page None\tled by p/x.md"
    assert lines[-1] == "first 1 sibling 1 same_product 0 other_product 0 absent 1 (of 3)"
