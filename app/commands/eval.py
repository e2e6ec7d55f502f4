"""`smart-copilot eval`: scripted conversation tests, metrics over labelled sets, feedback export.

    smart-copilot eval tests/conversations/ [--server URL] [--json] [--failures-only]
    smart-copilot eval --metrics tests/data/demo_eval/ [--baseline FILE] [--report DIR] [--fail-on-regression]
    smart-copilot eval export-feedback [--out FILE] [--all]
    smart-copilot eval golden [--kb NAME] [--set FILE] [--accept]

Scenario runs exit 1 when an expectation fails; metrics runs exit 1 on regressions
beyond the tolerance when `--fail-on-regression` is given. The harness is app/evaluation/.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from app.evaluation.errors import EvalError
from app.output import add_json_flag, emit, fail
from app.settings import Settings


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "eval", help="运行对话测试脚本、评测指标，或导出差评反馈",
        description="eval FILE_OR_DIR...：运行 YAML 对话测试；eval --metrics DATASET...：计算评测指标；"
                    "eval export-feedback：把带原因的差评导出为评测条目。")
    parser.add_argument("targets", nargs="*", metavar="FILE_OR_DIR", help="场景 YAML 文件或目录（或 export-feedback）")
    parser.add_argument("--server", metavar="URL", help="对运行中的服务（smart-copilot serve）运行场景，而不是在进程内")
    parser.add_argument("--auth", metavar="USER:PASS", help="服务器开启登录时使用的账号")
    parser.add_argument("--name", action="append", default=[], help="只运行名称包含该文字的场景（可重复）")
    parser.add_argument("--tag", action="append", default=[], help="只运行带该标签的场景（可重复）")
    parser.add_argument("--failures-only", action="store_true", help="只打印失败的检查项")
    parser.add_argument("--metrics", nargs="+", metavar="DATASET", help="评测数据集 JSONL 文件或目录")
    parser.add_argument("--kb", help="评测使用的知识库（默认：设置中的默认知识库）")
    parser.add_argument("-k", type=int, default=10, help="检索指标的最大 k（默认 10）")
    parser.add_argument("--limit", type=int, help="每个数据集最多评测的条数")
    parser.add_argument("--no-answers", action="store_true", help="检索数据集只算检索指标，不生成回答")
    parser.add_argument("--report", metavar="DIR", help="把 Markdown 报告、图表和 JSON 结果写到该目录")
    parser.add_argument("--baseline", metavar="FILE", help="与之对比的基线结果（之前的 results.json）")
    parser.add_argument("--tolerance", type=float, default=0.02, help="判定退化的下降幅度（绝对值，默认 0.02）")
    parser.add_argument("--fail-on-regression", action="store_true", help="有退化时以退出码 1 结束")
    parser.add_argument("--save-baseline", metavar="FILE", help="把本次结果另存为基线文件")
    parser.add_argument("--out", metavar="FILE", help="export-feedback：写入的 JSONL 文件（默认打印）")
    parser.add_argument("--all", action="store_true", help="export-feedback：也导出没有填写原因的差评")
    parser.add_argument("--set", dest="golden_set", metavar="FILE", help="golden：把该检索 JSONL 保存为知识库的黄金评测集")
    parser.add_argument("--accept", action="store_true", help="golden：把本次结果保存为新的基线")
    add_json_flag(parser)
    parser.set_defaults(handler=run_eval)


def run_eval(args: argparse.Namespace, settings: Settings) -> int:
    try:
        if args.targets[:1] == ["export-feedback"]:
            return _export(args, settings)
        if args.targets[:1] == ["golden"]:
            return _golden(args, settings)
        if args.metrics:
            return _metrics(args, settings)
        if not args.targets:
            return fail("请给出场景文件或目录（eval FILE_OR_DIR...），或使用 --metrics DATASET")
        return _scenarios(args, settings)
    except EvalError as exc:
        return fail(str(exc))


def _progress(enabled: bool):
    if not enabled:
        return None
    return lambda outcome: print(f"{outcome.status} {outcome.name}", file=sys.stderr, flush=True)


def _scenarios(args: argparse.Namespace, settings: Settings) -> int:
    from app.evaluation.pool import InProcessPool, ServerPool
    from app.evaluation.runner import format_report, run_scenarios
    from app.evaluation.scenario import load_scenarios

    scenarios = load_scenarios(args.targets)
    if args.name:
        scenarios = [s for s in scenarios if any(n in s.name for n in args.name)]
    if args.tag:
        scenarios = [s for s in scenarios if set(args.tag) & set(s.tags)]
    if not scenarios:
        return fail("没有符合条件的场景")
    if args.server:
        from app.evaluation.drivers import ServerDriver

        auth = tuple(args.auth.split(":", 1)) if args.auth else None
        if auth is not None and len(auth) != 2:
            return fail("--auth 的格式是 USER:PASS")
        pool: ServerPool | InProcessPool = ServerPool(ServerDriver(args.server, auth=auth))
    else:
        from app.wiring import build_copilot

        pool = InProcessPool(settings, build_copilot,
                             note=None if args.json else lambda text: print(text, file=sys.stderr, flush=True))
    report = run_scenarios(scenarios, pool, progress=_progress(not args.json))
    emit(args, report.to_json(with_results=False), format_report(report, verbose=not args.failures_only))
    return 0 if report.ok else 1


def _metrics(args: argparse.Namespace, settings: Settings) -> int:
    from app.evaluation.baseline import compare, load_baseline
    from app.evaluation.report import write_report
    from app.evaluation.suite import run_metrics
    from app.wiring import build_copilot

    baseline = load_baseline(args.baseline) if args.baseline else None
    copilot = build_copilot(settings)

    def progress(name: str, done: int, total: int) -> None:
        if not args.json and (done == total or done % 10 == 0):
            print(f"{name}: {done}/{total}", file=sys.stderr, flush=True)

    results = run_metrics(copilot, [Path(p) for p in args.metrics], kb=args.kb, k=args.k,
                          answers=not args.no_answers, limit=args.limit, progress=progress)
    comparison = compare(results, baseline, args.tolerance) if baseline else None
    if baseline:
        results["meta"]["baseline"] = f"{args.baseline}（{(baseline.get('meta') or {}).get('created', '?')}）"
    files = write_report(results, args.report, comparison, baseline) if args.report else {}
    if args.save_baseline:
        Path(args.save_baseline).parent.mkdir(parents=True, exist_ok=True)
        Path(args.save_baseline).write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    payload = {**results, "comparison": comparison, "files": files}
    emit(args, payload, _metrics_text(results, comparison, files))
    regressed = bool(comparison and comparison["regressions"])
    return 1 if regressed and args.fail_on_regression else 0


def _metrics_text(results: dict, comparison: dict | None, files: dict) -> str:
    lines = []
    for name, data in results["datasets"].items():
        lines.append(f"{name}（{data['kind']}，{data['n']} 条，{data['seconds']}s）")
        lines += [f"  {k}: {v:.3f}" for k, v in data["metrics"].items()]
        if data["kind"] == "answer":
            lines += _answer_lines(data)
    if comparison:
        marks = {"regression": "退化", "improved": "提升"}
        changed = [r for r in comparison["rows"] if r["status"] in marks]
        lines.append(f"与基线对比（容差 {comparison['tolerance']}）：{len(comparison['regressions'])} 项退化")
        lines += [f"  {marks[r['status']]} {r['key']}: {r['baseline']:.3f} -> {r['current']:.3f} ({r['delta']:+.3f})"
                  for r in changed]
    if files:
        lines.append(f"报告：{files['report']}")
    return "\n".join(lines)


def _answer_lines(data: dict) -> list[str]:
    """Per-tag pass rates and the failing turns of an answer set (what was wrong with each)."""
    lines = ["  按标签（全部通过的比例）：" + "，".join(f"{tag} {row['answer_pass']:.2f}/{row['n']}"
                                          for tag, row in data["by_category"].items())]
    names = {"facts": "缺关键事实", "forbidden": "含禁用内容", "cites_gold": "未引用标准来源", "length": "超长"}
    for f in data["failures"]:
        why = []
        for check in f["failed"]:
            detail = {"facts": f["missing"], "forbidden": f["forbidden_found"], "cites_gold": f["cited"],
                      "length": f"{f['chars']}>{f['max_chars']}"}[check]
            why.append(f"{names[check]} {json.dumps(detail, ensure_ascii=False)}")
        lines.append(f"  ✗ {f['id']}#{f['turn']} {f['message'][:40]} — " + "；".join(why))
    return lines


def _export(args: argparse.Namespace, settings: Settings) -> int:
    from app.evaluation.feedback_export import export_feedback

    if len(args.targets) > 1:
        return fail("export-feedback 不接受其他参数（用 --out FILE 指定输出文件）")
    if settings.storage.mode == "server":
        from app.feedback_pg import PgFeedbackStore
        from app.storage.build import server_pool

        with server_pool(settings.storage) as pool:
            items = export_feedback(settings.data_dir, args.out, with_reason_only=not args.all,
                                    store=PgFeedbackStore(pool))
    else:
        items = export_feedback(settings.data_dir, args.out, with_reason_only=not args.all)
    if args.out:
        emit(args, {"items": len(items), "out": args.out}, f"已导出 {len(items)} 条差评反馈到 {args.out}")
    elif args.json:
        emit(args, items)
    else:
        print("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), end="")
    return 0


def _golden(args: argparse.Namespace, settings: Settings) -> int:
    from app.evaluation.datasets import load_datasets
    from app.evaluation.golden import run_golden, save_golden
    from app.wiring import build_copilot

    kb = args.kb or settings.knowledge.default_kb
    if args.golden_set:
        datasets = load_datasets(args.golden_set)
        if [d.kind for d in datasets] != ["retrieval"]:
            return fail("黄金评测集必须是检索数据集（每行含 question 和 gold）")
        save_golden(settings.data_dir, kb, datasets[0].items)
    summary = run_golden(build_copilot(settings), kb, data_dir=settings.data_dir, accept=args.accept,
                         tolerance=args.tolerance)
    emit(args, summary, summary["message"])
    return 0 if summary["passed"] else 1
