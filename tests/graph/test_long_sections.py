"""Composition on long real pages (issue #21): the best match of a long section is not cut by the
budget, a sentence saying what the command before it does brings that command, raw HTML table
markup is never an answer sentence."""

from __future__ import annotations

from graph.doc_units import parse_units
from graph.extractive import extractive_units
from graph.section_answer import attach, from_section, usable
from graph.relevance import question_terms
from knowledge.types import Passage
from dataclasses import asdict

ISOLATION = ("默认情况下，出于安全原因，你的集群不会在控制平面节点上调度 Pod。\n"
             "如果你希望能够在控制平面节点上调度 Pod，例如单机集群，请运行:\n\n"
             "```bash\nkubectl taint nodes --all node-role.kubernetes.io/control-plane-\n```\n\n"
             "输出看起来像：\n\n```\nnode \"test-01\" untainted\n```\n\n"
             "这将从任何拥有 `node-role.kubernetes.io/control-plane:NoSchedule` 污点的节点上移除该污点。\n")


def test_a_sentence_going_on_from_a_command_brings_the_command_and_its_lead_in() -> None:
    units = parse_units(ISOLATION)
    last = len(units) - 1
    assert units[last].text.startswith("这将")
    shown = [u.text for u in attach(units, {last})]
    assert any("kubectl taint nodes --all" in t for t in shown)
    assert any(t.startswith("如果你希望") for t in shown)
    assert not any("untainted" in t for t in shown)  # the example output stays out


def _section(text: str) -> dict:
    return asdict(Passage(chunk_id="c1", source="docs/kubeadm.md", title="使用 kubeadm 创建集群", heading_path=["操作指南"],
                          text=text, kind="doc", kb="k", meta={"indexed_text": "使用 kubeadm 创建集群 > 操作指南\n"}))


def test_the_best_match_at_the_end_of_a_long_section_is_shown() -> None:
    filler = "".join(f"第 {i} 种情况：单机环境的调度器按污点为 Pod 挑选节点，细节见第 {i} 项的说明与背景介绍。\n\n"
                     if i % 2 else f"第 {i} 项配置与网络插件有关，按需设置即可，这里只是背景。\n\n" for i in range(60))
    passage = _section(filler + ISOLATION)
    question = "单机 kubeadm 集群 pod 调度不到控制平面节点上 污点怎么去掉"
    terms = question_terms(question, evidence=[passage["text"]])
    shown = "\n".join(u.text for u in from_section(passage, "howto", terms, 700, question))
    assert "kubectl taint nodes --all" in shown


def test_a_short_section_keeps_its_document_order() -> None:
    passage = _section(ISOLATION)
    question = "单机 pod 调度到控制平面节点 污点怎么去掉"
    terms = question_terms(question, evidence=[passage["text"]])
    shown = [u.text for u in from_section(passage, "howto", terms, 700, question)]
    assert shown and "kubectl taint nodes --all" in "\n".join(shown)


def test_raw_html_table_markup_is_not_an_answer_sentence() -> None:
    units = parse_units("<td>为命名空间添加标签并重启所有 Pod 以添加 Sidecar</td> <td>无需重启 Pod</td>\n\n"
                        "Sidecar 模式会为每个 Pod 部署一个 Envoy 代理。")
    assert [u.text for u in units if usable(u)] == ["Sidecar 模式会为每个 Pod 部署一个 Envoy 代理。"]
    passage = _section("<td>每个副本都有自己的 Sidecar</td>\n\nSidecar 模式会为每个 Pod 部署一个 Envoy 代理。")
    text = " ".join(u["text"] for u in extractive_units("sidecar 模式 每个 pod 都有 envoy 吗", [passage]))
    assert "<td>" not in text


def _doc(source: str, heads: list[str], text: str) -> dict:
    return asdict(Passage(chunk_id=f"{source}#{len(heads)}", source=source, title=source.split("/")[-1], heading_path=heads,
                          text=text, kind="doc", kb="k",
                          meta={"indexed_text": " > ".join([source.split("/")[-1], *heads]) + "\n"}))


def test_the_section_titled_with_the_quoted_error_anchors_the_answer() -> None:
    entry = _doc("tiup/troubleshooting.md", ["2.1 部署过程中提示 `unable to authenticate, attempted methods [none publickey]`"],
                 "出现 unable to authenticate, attempted methods [none publickey] 时，该错误是由于找不到连接到远程主机的 SSH 私钥导致的。请确认你是否通过 `tiup cluster deploy -i identity_file` 指定该私钥。")
    option = _doc("tiup/cluster-deploy.md", ["选项", "-i, --identity_file"], "指定连接目标机器的密钥文件，用于 tiup cluster deploy。")
    question = "tiup cluster deploy 报 unable to authenticate, attempted methods [none publickey] 咋办"
    text = " ".join(u["text"] for u in extractive_units(question, [entry, option], qtype="symptom"))
    assert "identity_file" in text and "私钥" in text, text


def test_an_error_code_names_its_number_and_its_echo_does_not_lead() -> None:
    from graph.relevance import found, names_entity
    assert found("error_8141", "对于错误代码为 8141 的错误") and not found("error_8141", "编号 481410")
    question = "事务提交报 ERROR 8141 (HY000): assertion failed: key: 7480..., assertion: NotExist，有没有临时办法先绕过去？"
    terms = question_terms(question)
    assert names_entity(terms, "对于错误代码为 8141 的错误，可以设置 tidb_txn_assertion_level=OFF 跳过检查。")
    sample = _doc("data-errors.md", ["错误样例解读", "Error 8141"],
                  "`ERROR 8141 (HY000): assertion failed: key: 7480000000000000405f, assertion: NotExist, start_ts: 4305`\n\n"
                  "上述错误表明，事务提交时断言失败。TiDB 断言 key 不存在，提交事务时发现该 key 存在。")
    shown = [u.text for u in from_section(sample, "howto", question_terms(question, evidence=[sample["text"]]), 700,
                                          question)]
    assert shown and shown[0].startswith("上述错误表明"), shown


def test_the_one_question_titled_page_judged_a_strong_match_leads_a_spoken_question() -> None:
    faq_page = _doc("faq/no-tracing.md", [], "在 `default` 配置文件中，链路追踪的采样率被设置为 1%。"
                    "这意味着 Istio 捕获的 100 个链路实例中只有 1 个会报告给跟踪后端。")
    faq_page["title"] = "为什么我的请求没有被追踪？"
    faq_page["meta"].update(match="strong", indexed_text="为什么我的请求没有被追踪？\n")
    task = _doc("tasks/jaeger.md", ["使用 Bookinfo 示例产生追踪"],
                "1. 访问 Istio 示例的 productpage 一次或多次以生成追踪信息。\n1. 从仪表盘选择 productpage 并点击 **Find Traces**。")
    task["meta"].update(match="partial")
    question = "jaeger 上只能零星看到几条追踪，大部分请求都没记录，是不是 istio 把数据给丢了"
    units = extractive_units(question, [faq_page, task])
    assert units and "1%" in units[0]["text"], units
    faq_page["meta"]["match"] = "partial"  # no verdict of the knowledge layer: its few shared words do not lead
    assert "1%" not in extractive_units(question, [faq_page, task])[0]["text"]


def test_a_problem_heading_naming_more_of_a_long_spoken_question_anchors_it() -> None:
    entry = _doc("ops/network-issues.md", ["设置 DestinationRule 之后出现 503 异常"],
                 "如果禁用了自动双向 TLS，DestinationRule 需要把 tls mode 设为 `ISTIO_MUTUAL`，否则请求会失败。")
    other = _doc("tasks/egress.md", ["配置对外部服务的访问"],
                 "创建 ServiceEntry 允许访问外部服务，并为 reviews 配置 DestinationRule 的 tls 设置与双向 TLS 源。")
    action = _doc("tasks/install.md", ["安装 reviews 示例"], "执行 kubectl apply 安装 reviews 示例，并配置 DestinationRule。")
    question = "装的时候把 auto mTLS 关了，全局双向 TLS，刚给 reviews apply 了一个 DestinationRule 马上全是 503"
    text = " ".join(u["text"] for u in extractive_units(question, [entry, action, other], qtype="symptom"))
    assert "ISTIO_MUTUAL" in text, text
    from graph.doc_order import titled_anchor
    from graph.relevance import QuestionTerms
    terms = QuestionTerms({"destinationrule": 3.0, "503": 3.0, "reviews": 3.0, "apply": 3.0, "双向": 3.0, "全局": 3.0})
    assert titled_anchor([entry, other], [2, 1], terms) == 0
    entry["heading_path"] = ["设置 DestinationRule 的方法"]  # an action heading states no problem: the ranking stands
    assert titled_anchor([entry, other], [2, 1], terms) is None


def test_a_line_whose_command_is_left_out_does_not_end_on_a_colon() -> None:
    from graph.doc_units import Unit
    from graph.section_answer import fit
    long_code = "```bash\n" + "curl -s http://example.com/very/long/path\n" * 8 + "```"
    item = Unit("item", "**检查源站响应时间**。回源超时为 30 秒：\n" + long_code)
    assert [u.text for u in fit([item], 120)] == ["**检查源站响应时间**。回源超时为 30 秒。"]
    lead, code, after = Unit("leadin", "例如："), Unit("code", long_code), Unit("sentence", "回源超时为 30 秒。")
    assert [u.text for u in fit([lead, code, after], 120)] == ["回源超时为 30 秒。"]


def test_a_lead_in_without_what_it_introduces_is_left_out_a_heading_with_its_content_stays() -> None:
    from graph.nodes.verify import without_dangling_leadins

    def unit(block: str, text: str, group: int) -> dict:
        return {"block": block, "text": text, "group": group}

    kept = without_dangling_leadins([unit("leadin", "例如：", 1), unit("sentence", "配置 HBONE 不代表拒绝明文。", 2)])
    assert [u["text"] for u in kept] == ["配置 HBONE 不代表拒绝明文。"]
    kept = without_dangling_leadins([unit("leadin", "处理 CredSSP 错误：", 1), unit("sentence", "该错误说明补丁不匹配。", 2)])
    assert kept[0]["text"] == "处理 CredSSP 错误："  # the sentence after it is about it
    kept = without_dangling_leadins([unit("leadin", "**方式二：sscli**：", 1), unit("sentence", "准备规则文件。", 2),
                                     unit("leadin", "**方式三：API**：", 3), unit("leadin", "**常见问题**：", 4)])
    assert [u["text"] for u in kept] == ["**方式二：sscli**：", "准备规则文件。"]


def test_a_problem_paragraph_brings_the_next_paragraphs_fix_and_templates_are_never_shown() -> None:
    from graph.doc_units import Unit
    from graph.paragraphs import through_fix
    units = parse_units("如果你看到原因为 `FailedToRetrieveImagePullSecret` 的事件，那么 Kubernetes 找不到指定名称的 Secret。\n\n"
                        "确保你指定的 Secret 存在，并且其名称拼写正确。\n\n另一段说明。")
    assert through_fix(units, {0}, whole=False) == {0, 1} and through_fix(units, {0}, whole=True) == {0, 1}
    assert not usable(Unit("sentence", "请从 {{{ .company }}} 官方或社区获取支持。"))
    assert usable(Unit("sentence", "用 `docker ps --format '{{.Names}}'` 列出容器名。"))


def test_a_heading_naming_the_asked_thing_but_no_problem_does_not_anchor() -> None:
    from graph.doc_order import titled_anchor
    from graph.relevance import QuestionTerms
    steps = _doc("vpc/nat-gateway.md", ["配置步骤"], "1. 创建 NAT 网关。\n2. 绑定 EIP。\n3. 配置路由。")
    route = _doc("vpc/route-table.md", ["常见配置", "1. 让私有子网通过 NAT 网关访问外网"], "添加路由 0.0.0.0/0，下一跳为 NAT 网关。")
    terms = QuestionTerms({"nat": 3.0, "网关": 2.0}, entities=["nat"])
    assert titled_anchor([route, steps], [2, 1], terms) is None  # "NAT 网关怎么配": the procedure stays


ENTRY = ("如果你发现 `mytool init` 打印下面这行之后就不动了：\n\n"
         "```console\n[waiter] Connected to backend, waiting for the storage layer to become ready\n```\n\n"
         "这通常由以下问题之一引起：\n\n"
         "- 网络不通。请先检查节点之间的连通性。\n"
         "- 存储驱动与运行时的驱动不一致。请参阅驱动配置一节修改配置。\n"
         "- 存储进程反复崩溃。可以查看它的日志确认。\n")


def test_a_section_opening_with_the_pasted_error_is_its_entry_whole() -> None:
    question = ("mytool init 打印出 [waiter] Connected to backend, waiting for the storage layer to become ready "
                "之后就卡住了")
    entry = {**_section(ENTRY), "heading_path": ["初始化时一直等待"]}
    other = {**_section("另一个问题：证书轮换失败时，请在控制节点上重新生成证书并重启服务。\n"),
             "heading_path": ["证书轮换失败"], "chunk_id": "c2"}
    text = " ".join(u["text"] for u in extractive_units(question, [other, entry], qtype="symptom"))
    assert "存储驱动与运行时的驱动不一致" in text and "存储进程反复崩溃" in text  # the causes after the sample
    assert "证书" not in text  # another section of the page does not follow the error's own entry



def test_diagram_source_and_links_with_parentheses_are_not_shown_as_text() -> None:
    units = parse_units("graph BT\n\nhpa[扩缩器] --> scale[规模]\n\nclassDef hpa fill:#D5A6BD;\n\n图 1.\n\n"
                        "这启动了[纵深防御](https://example.org/wiki/Defense_(computing) \"标题\")策略。\n")
    shown = [u.text for u in units if usable(u)]
    assert shown == ["这启动了纵深防御策略。"]


def test_a_meaning_question_leads_with_the_line_defining_the_term() -> None:
    text = ("在默认格式中，代理的响应标志位于响应状态码之后，自定义格式请包含响应标志字段。\n\n"
            "常见的响应标志：\n\n- `NR`：没有配置路由，请检查路由规则。\n- `UX`：上游连接数溢出，请检查连接池配置。\n")
    passage = {**_section(text), "heading_path": ["请求被代理拒绝（503）"]}
    units = extractive_units("代理日志里 503 后面跟了个 UX 标志，这是啥意思", [passage], qtype="define")
    assert units and units[0]["text"].lstrip("- ").startswith("`UX`"), units


def test_a_sentence_naming_a_command_brings_the_block_running_it() -> None:
    units = parse_units("备份支持内置快照。快照可以用 `dbctl snapshot save` 命令从运行中的成员获取。\n\n"
                        "下面是一个示例：\n\n```shell\ndbctl --endpoints $EP snapshot save snap.db\n```\n")
    named = next(i for i, u in enumerate(units) if "dbctl snapshot save" in u.text)
    shown = [u.text for u in attach(units, {named})]
    assert any("--endpoints" in t for t in shown) and "下面是一个示例：" in shown


def test_a_sentence_referring_back_to_the_problem_brings_the_paragraph_saying_what_it_is() -> None:
    units = parse_units("检查 CPU 是否支持所需指令集。\n\n自 v6 起 CPU 必须支持 AVX2 指令集。确保命令 `grep avx2 /proc/cpuinfo` 有输出。\n\n"
                        "如果在虚拟机上部署时遇到此问题，建议把虚拟机的 CPU 架构改成 Haswell。\n")
    vm = next(i for i, u in enumerate(units) if "虚拟机" in u.text)
    shown = [u.text for u in attach(units, {vm})]
    assert any("grep avx2" in t for t in shown) and not any(t.startswith("检查 CPU") for t in shown)


def test_the_problems_own_entry_answers_before_a_section_the_page_structure_added() -> None:
    # a problems page: the section retrieval found is headed with the problem asked; the page's other
    # problem section, added through it as a "procedure", says nothing about it and does not lead
    source = "mesh/common-problems.md"
    other = _doc(source, ["证书配置错误"], "如果服务端口声明为明文协议而客户端发送加密请求，代理会把请求当作明文解析，导致握手失败。"
                 "请把端口协议改为与客户端一致的加密协议。")
    other["meta"].update(added="procedure", via="代理在高并发下崩溃 文件描述符 assert failure: fd_ != -1")
    entry = _doc(source, ["代理在高并发下崩溃"], "先检查 `ulimit -a`。很多系统默认只允许打开 1024 个文件描述符，"
                 "代理会因此断言失败并崩溃：\n\n```plain\nassert failure: fd_ != -1: connection.cc:58\n```\n\n"
                 "请调大文件描述符上限，例如 `ulimit -n 16384`。")
    question = "压测时代理直接挂了，日志里有 assert failure: fd_ != -1 connection.cc:58"
    text = " ".join(u["text"] for u in extractive_units(question, [other, entry], qtype="symptom"))
    assert text.startswith("先检查 `ulimit -a`") and "ulimit -n 16384" in text, text
    assert "握手失败" not in text, text


def test_a_numbered_procedure_of_the_page_still_answers_before_its_problem_entry() -> None:
    from graph.doc_order import problem_entry
    source = "vpc/nat.md"
    steps = _doc(source, ["配置步骤"], "1. 创建 NAT 网关。\n2. 在路由表中添加 0.0.0.0/0 指向 NAT 网关。")
    steps["meta"].update(added="procedure", procedure=True)
    entry = _doc(source, ["排查：实例仍然无法访问外网"], "现象是 yum install 超时。检查路由表。")
    terms = question_terms("内网机器 yum install 一直超时")
    assert problem_entry([steps, entry], [2, 1], terms) is None


def test_a_caution_note_matched_alone_brings_the_steps_it_qualifies() -> None:
    fix = _doc("ssl/chain.md", ["解决方法"],
               "1. **下载完整链文件**：下载包已按顺序包含中间证书。\n"
               "2. **手工拼接时注意顺序**：站点证书在前，中间证书在后。\n"
               "3. **重新部署**：上传完整链并重载服务。\n\n"
               "> 不要在客户端关闭证书校验或把网站证书导入信任库来绕过问题，这只会掩盖服务器配置错误。")
    fix["title"] = "证书链不完整"
    question = "网站打开提示证书不受信任"
    shown = [u.text for u in from_section(fix, "symptom", question_terms(question, evidence=[fix["text"]]), 700,
                                          question)]
    assert shown and "下载完整链文件" in shown[0], shown
