"""`smart-copilot models check` / `models list-adapters`: the model layer's startup checks
and the adapter directory, printed for the operator (no answer is generated)."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.output import add_json_flag, emit
from app.settings import Settings
from models.llm.adapters import adapter_dir, same_base, scan_adapters
from models.llm.registry import create_llm
from models.router import AdapterRouter


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("models", help="检查模型后端与 LoRA 适配器")
    sub = parser.add_subparsers(dest="models_command", required=True)
    check = sub.add_parser("check", help="按设置加载模型后端并运行启动检查，显示路由规则的实际选择")
    add_json_flag(check)
    check.set_defaults(handler=check_models)
    listing = sub.add_parser("list-adapters", help="列出适配器目录中的 LoRA 适配器（不加载模型）")
    listing.add_argument("--dir", type=Path, help="适配器目录（默认：设置项 models.adapters.dir 或 DATA_DIR/adapters）")
    add_json_flag(listing)
    listing.set_defaults(handler=list_adapters)


def check_models(args: argparse.Namespace, settings: Settings) -> int:
    llm = create_llm(settings.models, settings.data_dir)
    info = llm.describe()
    router = AdapterRouter.for_backend(settings.models, llm)
    routes = []
    for domain in settings.models.router.rules:
        choice = router.choose(domain, domain, in_domain=True)
        routes.append({"domain": domain, "adapter": choice.name, "weights": choice.weights, "reason": choice.reason})
    payload = {"ok": True, "llm": info, "routes": routes}
    lines = [f"模型后端：{info['backend']}", f"状态：{info.get('description', '')}"]
    lines += [f"适配器：{'、'.join(info.get('adapters') or []) or '无'}"]
    for route in routes:
        target = route["adapter"] or (route["weights"] and str(route["weights"])) or "基座模型"
        lines.append(f"路由 {route['domain']} -> {target}（{route['reason']}）")
    lines.append("检查通过")
    emit(args, payload, "\n".join(lines))
    return 0


def list_adapters(args: argparse.Namespace, settings: Settings) -> int:
    directory = args.dir or adapter_dir(settings.models, settings.data_dir)
    adapters = scan_adapters(directory, required=bool(args.dir or settings.models.adapters.dir))
    llm = settings.models.llm
    base = llm.base_model_name()
    rows = [
        {**a.to_json(), "matches_base": None if base is None else same_base(a.base_model, base)}
        for a in adapters
    ]
    lines = [f"适配器目录：{directory}（{len(rows)} 个）"]
    for row in rows:
        mark = {True: "匹配", False: "不匹配", None: "未配置基座"}[row["matches_base"]]
        lines.append(
            f"- {row['name']}：领域 {row.get('domain')}，基座 {row.get('base_model')}（{mark}），"
            f"训练数据 {row.get('training_data', '-')}，日期 {row.get('date', '-')}"
        )
    emit(args, {"dir": str(directory), "base_model": base, "adapters": rows}, "\n".join(lines))
    return 0
