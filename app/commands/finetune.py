"""`smart-copilot finetune`: train a LoRA adapter (or a full fine-tune) on a dataset made
by `smart-copilot data ...`, writing it where the router finds it.

    smart-copilot finetune --base models/Qwen2.5-0.5B-Instruct --data d/train.jsonl \\
        --adapter cloud --mode sft

LoRA output: the adapter directory (models.adapters.dir, default DATA_DIR/adapters)/NAME
with meta.json; full output: DATA_DIR/models/NAME (a model folder for models.llm.model_path).
Hyper-parameters default to `models.finetune` settings; flags override them for one run.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.output import add_json_flag, emit
from app.settings import Settings
from models.errors import ModelError
from models.finetune.config import FinetuneSettings
from models.llm.adapters import adapter_dir

if TYPE_CHECKING:  # the training modules load when a job is built: every command line parses this module
    from models.finetune.job import TrainJob

ADAPTER_NAME = re.compile(r"[\w\u4e00-\u9fff][\w.\-\u4e00-\u9fff]{0,63}")
OVERRIDES = {
    "epochs": float, "max_steps": int, "learning_rate": float, "batch_size": int, "grad_accum": int,
    "max_seq_len": int, "eval_ratio": float, "eval_every": int, "early_stop_patience": int, "seed": int,
}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("finetune", help="LoRA 或全参数微调，输出适配器供路由使用")
    parser.add_argument("--base", type=Path, help="本地基座模型目录（默认：models.llm.model_path）")
    parser.add_argument("--data", type=Path, required=True, help="训练数据 JSONL（smart-copilot data 的输出）")
    parser.add_argument("--adapter", required=True, metavar="NAME", help="适配器名称（路由规则中使用的名字）")
    parser.add_argument("--mode", choices=["sft", "pretrain", "hybrid"], default="sft",
                        help="sft：指令微调（只学答案）；pretrain：文档续写；hybrid：两者同一次训练")
    parser.add_argument("--method", choices=["lora", "full"], default="lora", help="lora（默认）或 full 全参数")
    parser.add_argument("--domain", help="写入 meta.json 的领域（默认：适配器名称）")
    parser.add_argument("--output", type=Path, help="输出目录（默认：适配器目录/NAME，full 为 DATA_DIR/models/NAME）")
    parser.add_argument("--resume", action="store_true", help="从上次的检查点继续训练")
    parser.add_argument("--overwrite", action="store_true", help="覆盖同名的已有适配器")
    parser.add_argument("--stop-after", type=int, metavar="STEPS", help="训练这么多步后保存检查点并暂停（之后用 --resume 继续）")
    parser.add_argument("--general-eval", type=Path, help="遗忘检查用的通用数据 JSONL（默认：从训练数据中留出的通用数据）")
    parser.add_argument("--device", default="auto", help="auto（默认）、cpu、cuda、cuda:1 ...")
    parser.add_argument("--rank", type=int, help="LoRA 秩 r")
    parser.add_argument("--alpha", type=int, help="LoRA alpha")
    parser.add_argument("--no-packing", action="store_true", help="不把短样本拼接成长序列")
    for name, kind in OVERRIDES.items():
        parser.add_argument(f"--{name.replace('_', '-')}", type=kind, dest=name, help=f"覆盖设置项 models.finetune.{name}")
    parser.add_argument("--no-progress", action="store_true", help="不显示进度条")
    add_json_flag(parser)
    parser.set_defaults(handler=run_finetune)


def effective_settings(args: argparse.Namespace, base: FinetuneSettings) -> FinetuneSettings:
    """The settings with this run's flags applied (validated like the settings file)."""
    data: dict[str, Any] = base.model_dump()
    data.update({k: getattr(args, k) for k in OVERRIDES if getattr(args, k, None) is not None})
    if args.rank is not None:
        data["lora"]["rank"] = args.rank
    if args.alpha is not None:
        data["lora"]["alpha"] = args.alpha
    if args.no_packing:
        data["packing"] = False
    from pydantic import ValidationError

    try:
        return FinetuneSettings.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise ModelError(f"训练参数 {'.'.join(map(str, first['loc']))} 无效：{first['msg']}") from None


def build_job(args: argparse.Namespace, settings: Settings) -> TrainJob:
    from models.finetune.job import TrainJob

    llm = settings.models.llm
    base = args.base or llm.model_path
    if base is None:
        raise ModelError("请用 --base 指定本地基座模型目录（或设置 models.llm.model_path）")
    if not ADAPTER_NAME.fullmatch(args.adapter):
        raise ModelError(f"适配器名称无效：“{args.adapter}”（只能包含字母、数字、中文、-、_、.，且不能以 . 开头）")
    # base_model_id names the configured model; it does not describe another --base.
    same_base = llm.model_path is not None and Path(base).resolve() == Path(llm.model_path).resolve()
    base_id = llm.base_model_id if same_base else None
    if args.output:
        output = args.output
    elif args.method == "lora":
        output = adapter_dir(settings.models, settings.data_dir) / args.adapter
    else:
        output = Path(settings.data_dir) / "models" / args.adapter
    return TrainJob(
        base=Path(base), data=args.data, name=args.adapter, output_dir=output,
        work_dir=Path(settings.data_dir) / "finetune" / args.adapter, mode=args.mode, method=args.method,
        domain=args.domain, base_id=base_id, resume=args.resume,
        overwrite=args.overwrite, stop_after=args.stop_after, general_eval=args.general_eval, device=args.device,
    )


class _ProgressBar:
    """tqdm on stderr: steps, with the last loss and evaluation loss."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.bar: Any = None
        self.eval_loss: float | None = None

    def __call__(self, entry: dict[str, Any]) -> None:
        if not self.enabled:
            return
        if self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(total=entry["total"], initial=entry["step"] - 1, desc="训练", unit="步", file=sys.stderr)
        self.eval_loss = entry.get("eval_loss", self.eval_loss)
        self.bar.set_postfix(loss=entry["loss"], eval_loss=self.eval_loss, refresh=False)
        self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def run_finetune(args: argparse.Namespace, settings: Settings) -> int:
    from models.finetune.trainer import train

    config = effective_settings(args, settings.models.finetune)
    job = build_job(args, settings)
    bar = _ProgressBar(not args.no_progress and sys.stderr.isatty())
    try:
        result = train(job, config, progress=bar)
    finally:
        bar.close()
    if result.main:  # under accelerate launch / torchrun only the main process reports
        payload = {**result.to_json(), "adapter": job.name, "method": job.method, "mode": job.mode}
        emit(args, payload, _summary(result, job))
    return 0


def _summary(result: Any, job: TrainJob) -> str:
    if result.status == "paused":
        step = result.history[-1]["step"] if result.history else 0
        return f"已训练 {step} 步并保存检查点（{job.work_dir}）；用同样的参数加 --resume 继续"
    m, f = result.meta["metrics"], result.meta["forgetting"]
    lines = [
        f"完成（{'提前停止' if result.status == 'early_stopped' else '训练结束'}）：{m['steps']} 步，"
        f"训练损失 {m['train_loss_first']} → {m['train_loss_last']}，验证损失最佳 {m['eval_loss_best']}",
        f"输出：{result.output_dir}",
    ]
    for name, label in (("general", "通用"), ("domain", "领域")):
        info = f.get(name, {})
        if info.get("records"):
            lines.append(f"{label}数据困惑度：基座 {info['ppl_base']}，微调后 {info['ppl_tuned']}（比值 {info['ratio']}）")
    if f.get("note"):
        lines.append(f"注意：{f['note']}")
    return "\n".join(lines)
