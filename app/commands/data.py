"""`smart-copilot data selfqa|selfinstruct|selfkg|refusal|pretrain|agent|filter|mix|build`:
fine-tuning datasets (models/finetune/). Every command writes JSONL plus `NAME.manifest.json`.

Knowledge comes from an ingested knowledge base (`--kb NAME`) or a folder read by the
knowledge layer without indexing (`--dir PATH`, `KnowledgeService.preview`'s reader; default:
the bundled demo folder), so the chunks are the ones ingest would store. A typical pipeline:

    smart-copilot data selfqa --out d/qa.jsonl
    smart-copilot data selfkg --out d/kg.jsonl
    smart-copilot data refusal --out d/refusal.jsonl
    smart-copilot data filter d/qa.jsonl d/kg.jsonl d/refusal.jsonl --out d/domain.jsonl
    smart-copilot data mix --domain d/domain.jsonl --general GENERAL.jsonl --ratio 0.3 --out d/train.jsonl

or all of it at once: `smart-copilot data build --out-dir d --general GENERAL.jsonl --ratio 0.3`.
Tool-use trajectories for the investigation: `data agent` (app/agent_data.py), mixed in
with `data mix --domain d/agent.jsonl ...`.
"""

from __future__ import annotations

import argparse
import sys
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from app.agent_data import add_agent_command
from app.output import add_json_flag, emit
from app.settings import Settings
from knowledge.demo_kb import DEMO_DIR

if TYPE_CHECKING:
    from models.finetune.records import Record

# The handlers import the data tools they use: every command line parses this module's
# options, and the tools (numpy, MinHash) would add 0.1 s of CPU to a cold `ask`.


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("data", help="生成、过滤、混合微调数据集")
    sub = parser.add_subparsers(dest="data_command", required=True)

    qa = _command(sub, "selfqa", "从知识库生成问答对（Self-QA）", run_selfqa, source=True)
    qa.add_argument("--strategy", choices=["auto", "deterministic", "generative"], default="auto",
                    help="auto：配置了生成模型时用模型，否则用确定性规则（FAQ、标题、排障章节）")
    qa.add_argument("--per-chunk", type=int, default=3, help="生成式：每个章节生成的问答数（默认 3）")
    qa.add_argument("--limit", type=int, help="最多处理的章节数")

    si = _command(sub, "selfinstruct", "用生成模型扩充种子指令（Self-Instruct）", run_selfinstruct)
    si.add_argument("--n", type=int, default=100, help="要生成的指令数（默认 100）")
    si.add_argument("--seeds", type=Path, help="种子任务 YAML（默认：自带 models/finetune/seeds/instructions.yaml）")

    kg = _command(sub, "selfkg", "从错误码表生成指令数据（Self-KG）", run_selfkg, source=True)
    kg.add_argument("--table", type=Path, help="CSV 表格（列：错误码、产品、错误信息、可能原因、解决方法）")

    _command(sub, "refusal", "生成拒答与领域判断数据", run_refusal, source=True)
    _command(sub, "pretrain", "把知识库文档转为预训练文本（用于 --mode pretrain/hybrid）", run_pretrain, source=True)
    add_agent_command(sub, _command)

    flt = _command(sub, "filter", "过滤：长度、套话、未依据原文、近重复（含与种子重复）", run_filter)
    flt.add_argument("inputs", nargs="+", type=Path, metavar="FILE", help="要过滤的 JSONL 文件")
    flt.add_argument("--seeds", type=Path, help="种子任务 YAML（默认：自带种子；与之近重复的记录会被去掉）")
    flt.add_argument("--dedup-threshold", type=float, default=0.8, help="近重复阈值（字符 3-gram Jaccard，默认 0.8）")
    flt.add_argument("--grounding-threshold", type=float, default=0.6, help="答案内容在原文中出现的最低比例（默认 0.6）")
    flt.add_argument("--no-grounding", action="store_true", help="不检查答案是否依据原文")
    flt.add_argument("--max-output-chars", type=int, default=2000, help="答案最大字数（默认 2000）")

    mx = _command(sub, "mix", "把领域数据按比例混入通用数据并打乱", run_mix)
    mx.add_argument("--domain", nargs="+", type=Path, required=True, metavar="FILE", help="领域数据 JSONL")
    mx.add_argument("--general", type=Path, help="通用指令数据 JSONL（默认：自带的小样本，仅供演示）")
    mx.add_argument("--ratio", type=float, help="领域数据在混合后指令数据中的比例（默认：models.finetune.domain_ratio）")
    mx.add_argument("--total", type=int, help="混合后的指令条数（默认：数据允许的最大值）")
    mx.add_argument("--pretrain", nargs="*", type=Path, default=[], metavar="FILE",
                    help="混合训练（hybrid）：同时加入的预训练文本 JSONL")

    bd = _command(sub, "build", "一步完成：生成（Self-QA、Self-KG、拒答）→ 过滤 → 与通用数据混合", run_build,
                  source=True, out=False)
    bd.add_argument("--out-dir", type=Path, required=True, help="输出目录（每步一个 JSONL 和清单，最终为 train.jsonl）")
    bd.add_argument("--general", type=Path, help="通用指令数据 JSONL（默认：自带的小样本，仅供演示）")
    bd.add_argument("--ratio", type=float, help="领域数据比例（默认：models.finetune.domain_ratio）")
    bd.add_argument("--hybrid", action="store_true", help="同时生成文档文本并混入（配合 finetune --mode hybrid）")
    bd.add_argument("--selfinstruct", type=int, default=0, metavar="N", help="用生成模型扩充 N 条 Self-Instruct 任务")


def _command(sub: Any, name: str, help_text: str, handler: Any, source: bool = False, out: bool = True) -> argparse.ArgumentParser:
    parser = sub.add_parser(name, help=help_text)
    if out:
        parser.add_argument("--out", type=Path, required=True, help="输出 JSONL（清单写在旁边的 .manifest.json）")
    parser.add_argument("--seed", type=int, default=42, help="随机种子（默认 42）")
    if source:
        where = parser.add_mutually_exclusive_group()
        where.add_argument("--kb", help="已导入的知识库名称")
        where.add_argument("--dir", type=Path, help=f"知识目录（默认：自带演示知识库 {DEMO_DIR.name}/）")
    add_json_flag(parser)
    parser.set_defaults(handler=handler)
    return parser


def read_chunks(args: argparse.Namespace, settings: Settings) -> tuple[list[Any], str]:
    """The chunks a data command reads, a base's (--kb) or a folder's (--dir, the demo by default), and where from."""
    if getattr(args, "kb", None):
        from app.commands.knowledge import open_service

        service = open_service(settings)
        try:
            return list(service.iter_chunks(args.kb)), f"kb:{args.kb}"
        finally:
            service.close()
    folder = args.dir or DEMO_DIR
    return _read(folder, settings), str(folder)


def _read(path: Path, settings: Settings) -> list[Any]:
    """Chunks of a folder or file as ingest would make them; files that cannot be read are named on stderr."""
    from knowledge.preview import preview_files

    preview = preview_files([path], settings.knowledge)
    for error in preview.errors:
        print(f"警告：跳过 {error['source']}：{error['error']}", file=sys.stderr)
    return preview.chunks


def _written(args: argparse.Namespace, records: list[Record], manifest: dict[str, Any]) -> int:
    from models.finetune.records import manifest_path

    counts = "，".join(f"{k} {v}" for k, v in manifest["counts"]["generator"].items()) or "无"
    text = f"已写入 {len(records)} 条记录：{args.out}（{counts}）\n清单：{manifest_path(args.out)}"
    emit(args, {"out": str(args.out), **manifest}, text)
    return 0


def _progress(label: str):
    if not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    bar = tqdm(desc=label, file=sys.stderr)

    def update(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    return update


def _llm(settings: Settings):
    from models.llm.registry import create_llm

    return create_llm(settings.models, settings.data_dir)


def run_selfqa(args: argparse.Namespace, settings: Settings) -> int:
    from models.finetune.records import write_dataset
    from models.finetune.selfqa import deterministic_selfqa, generative_selfqa

    chunks, where = read_chunks(args, settings)
    llm = _llm(settings) if args.strategy != "deterministic" else None
    if args.strategy == "generative" and (llm is None or not llm.generative):
        from models.errors import ModelError

        raise ModelError("--strategy generative 需要生成模型：请设置 models.llm.backend（transformers 或 openai）")
    if llm is not None and llm.generative:
        records = generative_selfqa(chunks, llm, args.per_chunk, progress=_progress("Self-QA"), limit=args.limit)
        strategy = f"generative ({llm.name})"
    else:
        records = deterministic_selfqa(chunks)
        strategy = "deterministic"
    manifest = write_dataset(args.out, records, sources=[where], seed=args.seed, extra={"strategy": strategy})
    return _written(args, records, manifest)


def run_selfinstruct(args: argparse.Namespace, settings: Settings) -> int:
    from models.finetune.records import write_dataset
    from models.finetune.seeds import load_seed_tasks
    from models.finetune.selfinstruct import self_instruct

    seeds = load_seed_tasks(args.seeds)
    records = self_instruct(seeds, _llm(settings), args.n, seed=args.seed, progress=_progress("Self-Instruct"))
    source = str(args.seeds) if args.seeds else "models/finetune/seeds/instructions.yaml"
    manifest = write_dataset(args.out, records, sources=[source], seed=args.seed)
    return _written(args, records, manifest)


def run_selfkg(args: argparse.Namespace, settings: Settings) -> int:
    from models.finetune.records import write_dataset
    from models.finetune.selfkg import require_table, selfkg

    if args.table or not (args.kb or args.dir):
        table = args.table or DEMO_DIR / "tables" / "error-codes.csv"
        chunks, where = require_table(_read(table, settings), str(table)), str(table)
    else:
        chunks, where = read_chunks(args, settings)
    records = selfkg(chunks, seed=args.seed)
    manifest = write_dataset(args.out, records, sources=[where], seed=args.seed)
    return _written(args, records, manifest)


def run_refusal(args: argparse.Namespace, settings: Settings) -> int:
    from models.finetune.records import write_dataset
    from models.finetune.refusal import products_of, refusal_records
    from models.finetune.seeds import load_refusal_seeds

    chunks, where = read_chunks(args, settings)
    questions = [str(c.meta.get("question")) for c in chunks if c.kind == "faq" and (c.meta or {}).get("question")]
    replies = _served_replies()
    records = refusal_records(
        load_refusal_seeds(), products_of(chunks), questions, seed=args.seed,
        refusal_template=replies.get("refusal"), greeting_template=replies.get("greeting"),
    )
    manifest = write_dataset(args.out, records, sources=[where, "models/finetune/seeds/refusal.yaml"], seed=args.seed)
    return _written(args, records, manifest)


def _served_replies() -> dict[str, str]:
    """The refusal wording the copilot serves (graph/prompts/replies.yaml), when present."""
    try:
        text = resources.files("graph").joinpath("prompts", "replies.yaml").read_text(encoding="utf-8")
        data = yaml.safe_load(text)
    except (FileNotFoundError, ModuleNotFoundError, yaml.YAMLError):
        return {}
    return {k: str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def run_pretrain(args: argparse.Namespace, settings: Settings) -> int:
    from models.finetune.pretrain import pretrain_records
    from models.finetune.records import write_dataset

    chunks, where = read_chunks(args, settings)
    records = pretrain_records(chunks)
    manifest = write_dataset(args.out, records, sources=[where], seed=args.seed)
    return _written(args, records, manifest)


def run_filter(args: argparse.Namespace, settings: Settings) -> int:
    from models.finetune.filters import FilterOptions, apply_filters
    from models.finetune.records import read_records, write_dataset
    from models.finetune.seeds import load_seed_tasks

    records = [r for path in args.inputs for r in read_records(path)]
    seeds = [t.to_record() for t in load_seed_tasks(args.seeds)]
    opts = FilterOptions(
        dedup_threshold=args.dedup_threshold,
        grounding_threshold=args.grounding_threshold,
        max_output_chars=args.max_output_chars,
        seed=args.seed,
    )
    kept, report = apply_filters(records, opts, seeds=seeds, grounded=not args.no_grounding)
    manifest = write_dataset(args.out, kept, sources=[str(p) for p in args.inputs], seed=args.seed, filters=report)
    return _written(args, kept, manifest)


def run_mix(args: argparse.Namespace, settings: Settings) -> int:
    from models.finetune.mixing import mix
    from models.finetune.records import read_records, write_dataset
    from models.finetune.seeds import general_sample_path

    domain = [r for path in args.domain for r in read_records(path)]
    general_path = args.general or general_sample_path()
    general = read_records(general_path)
    pretrain = [r for path in args.pretrain for r in read_records(path)] or None
    ratio = args.ratio if args.ratio is not None else settings.models.finetune.domain_ratio
    records, info = mix(domain, general, ratio, seed=args.seed, total=args.total, pretrain=pretrain)
    sources = [str(p) for p in args.domain] + [str(general_path)] + [str(p) for p in args.pretrain]
    manifest = write_dataset(args.out, records, sources=sources, seed=args.seed, ratio=ratio, extra={"mix": info})
    return _written(args, records, manifest)


def run_build(args: argparse.Namespace, settings: Settings) -> int:
    from models.finetune.pipeline import Recipe, build_dataset
    from models.finetune.records import read_records
    from models.finetune.seeds import general_sample_path

    chunks, where = read_chunks(args, settings)
    llm = _llm(settings)
    if args.selfinstruct and not llm.generative:
        from models.errors import ModelError

        raise ModelError("--selfinstruct 需要生成模型：请设置 models.llm.backend（transformers 或 openai）")
    general_path = args.general or general_sample_path()
    replies = _served_replies()
    recipe = Recipe(
        ratio=args.ratio if args.ratio is not None else settings.models.finetune.domain_ratio, seed=args.seed,
        hybrid=args.hybrid, selfinstruct=args.selfinstruct,
        refusal_template=replies.get("refusal"), greeting_template=replies.get("greeting"),
    )
    summary = build_dataset(chunks, where, args.out_dir, read_records(general_path), str(general_path), recipe, llm)
    files = "，".join(f"{k} {v}" for k, v in summary.items() if isinstance(v, int))
    text = f"已写入 {args.out_dir}：{files}\n训练数据：{args.out_dir / 'train.jsonl'}"
    emit(args, {"out_dir": str(args.out_dir), **summary}, text)
    return 0
