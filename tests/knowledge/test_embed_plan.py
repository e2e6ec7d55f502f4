"""The embedding plan: bounded texts, code/dumps/logs left to keyword search, FAQ and tables kept."""

from __future__ import annotations

from knowledge.embed_plan import EmbedPlan, prose, text_key

HEAD = "TiDB 最佳实践 > 部署"


def plan_text(kind: str, text: str, plan: EmbedPlan | None = None) -> str | None:
    return (plan or EmbedPlan()).text(kind, text, f"{HEAD}\n{text}")


def test_prose_is_bounded_and_keeps_the_heading_line():
    text = "部署之前请阅读硬件需求。" * 40
    got = plan_text("doc", text)
    assert got.startswith(HEAD + "\n") and len(got) == len(HEAD) + 1 + EmbedPlan().text_chars
    assert plan_text("doc", text, EmbedPlan(text_chars=0, skip_code=False)) == f"{HEAD}\n{text}"  # the old pipeline


def test_code_dumps_and_logs_are_left_to_keyword_search():
    yaml_dump = "```yaml\napiVersion: v1\nkind: Pod\nmetadata:\n  name: frontend\nspec:\n  containers:\n  - name: app\n```"
    log_lines = "\n".join(f"2024-05-01 12:00:0{i} ERROR connection refused to 10.0.0.{i}:4000" for i in range(6))
    json_dump = '{\n  "rule-3": {\n    "ignore_event": ["all dml"],\n    "ignore_sql": ["^Drop"]\n  }\n}'
    for text in (yaml_dump, log_lines, json_dump):
        assert plan_text("doc", text) is None, text
        assert plan_text("doc", text, EmbedPlan(skip_code=False)) is not None


def test_prose_around_code_is_what_gets_embedded():
    text = "运行以下命令查看 Pod 状态：\n\n```bash\nkubectl get pods -n istio-system -o wide\n```\n\n如果看到 CrashLoopBackOff，说明容器启动后反复退出，需要查看日志。"
    got = plan_text("doc", text)
    assert "kubectl" not in got and "CrashLoopBackOff" in got and "查看 Pod 状态" in got
    assert prose("说明：短句也是正文。") == "说明：短句也是正文。"
    assert plan_text("doc", "报 ERROR 1040 Too many connections。") is not None  # short prose is still prose


def test_faq_and_tables_are_always_embedded():
    assert plan_text("faq", "问：端口？\n答：22") is not None
    assert plan_text("table", "参数表\n| a | b |\n| --- | --- |\n| x=1 | y=2 |") is not None


def test_identical_texts_share_one_key():
    assert text_key(plan_text("doc", "同样的说明文字。" * 5)) == text_key(plan_text("doc", "同样的说明文字。" * 5))
    assert EmbedPlan().identity != EmbedPlan(text_chars=0).identity


def test_plain_prose_keeps_what_a_reader_sees():
    from knowledge.embed_plan import plain

    got = plain("详见[流量管理](/zh/docs/concepts/traffic-management/)中的 `DestinationRule`，{{< tip >}}**注意**<br/>")
    assert got == "详见流量管理中的 DestinationRule，注意"
    assert plain("snake_case 与 __init__ 保留") == "snake_case 与 __init__ 保留"  # identifiers are words


def test_plain_plan_on_built_chunks_embeds_all_prose_without_markup():
    from knowledge.chunking import chunk_document
    from knowledge.loaders.markdown import parse_markdown

    intro = "".join(f"第{i}段说明：网关超时的时候先看[排障指南](/zh/docs/ops/gateway-timeout/)里的 `timeout` 字段。" for i in range(6))
    md = (f"# 网关排障\n\n## 超时\n\n{intro}\n\n结论：超时多半来自上游服务响应慢。\n\n"
          "## 配置\n\n```yaml\napiVersion: networking.istio.io/v1\nkind: VirtualService\nspec:\n  http:\n  - timeout: 5s\n```\n")
    drafts = chunk_document(parse_markdown(md, "gw.md"), 480, 60)
    plan = EmbedPlan(text_chars=0, plain=True)
    texts = {d.heading_path[-1]: plan.text(d.kind, d.text, d.indexed_text) for d in drafts}
    assert texts["配置"] is None  # the YAML chunk stays keyword-only
    timeout = texts["超时"]
    assert timeout is not None and timeout.startswith(drafts[0].indexed_text.split("\n", 1)[0] + "\n")
    assert "/zh/docs" not in timeout and "`" not in timeout and "排障指南" in timeout
    assert "上游服务响应慢" in timeout  # all the prose, not its first 200 characters
    assert EmbedPlan(text_chars=200).text(drafts[0].kind, drafts[0].text, drafts[0].indexed_text).find("上游服务响应慢") == -1
    assert plan.identity != EmbedPlan(text_chars=0, plain=False).identity
