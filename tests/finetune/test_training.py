"""LoRA / full training on a tiny random model: loss falls, the adapter is used by the
models layer's router and backend, resume continues exactly, early stop, forgetting check."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from models.errors import ModelError
from models.finetune.config import FinetuneSettings
from models.finetune.job import TrainJob
from models.finetune.mixing import mix
from models.finetune.records import write_dataset
from models.finetune.seeds import load_general_sample
from models.finetune.selfqa import deterministic_selfqa

pytestmark = pytest.mark.usefixtures("single_thread")


@pytest.fixture(scope="module")
def train_file(demo_chunks, tmp_path_factory) -> Path:
    """Short demo Self-QA pairs mixed 1:1 with the shipped general sample."""
    domain = [r for r in deterministic_selfqa(demo_chunks) if len(r.output) < 60][:40]
    records, info = mix(domain, load_general_sample(), 0.5, seed=0)
    path = tmp_path_factory.mktemp("data") / "train.jsonl"
    write_dataset(path, records, sources=["demo"], seed=0, ratio=0.5, extra={"mix": info})
    return path


def settings(**overrides) -> FinetuneSettings:
    base = dict(
        max_steps=8, batch_size=4, grad_accum=2, max_seq_len=192, eval_every=4, learning_rate=5e-3,
        eval_ratio=0.1, early_stop_patience=0, lora={"rank": 8, "alpha": 16, "dropout": 0.05},
    )
    return FinetuneSettings.model_validate({**base, **overrides})


def job(tmp_path: Path, base: Path, data: Path, name: str = "cloud", **kw) -> TrainJob:
    return TrainJob(base=base, data=data, name=name, output_dir=tmp_path / "adapters" / name,
                    work_dir=tmp_path / "work" / name, domain="云产品", **kw)


@pytest.fixture(scope="module")
def trained(tiny_base, train_file, tmp_path_factory):
    import torch

    from models.finetune.trainer import train

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    root = tmp_path_factory.mktemp("lora")
    seen: list[dict] = []
    try:
        result = train(job(root, tiny_base, train_file), settings(max_steps=24, eval_every=6, learning_rate=2e-2), seen.append)
    finally:
        torch.set_num_threads(threads)
    return root, result, seen


def test_lora_sft_loss_falls_and_adapter_is_written(trained, tiny_base, train_file):
    root, result, seen = trained
    assert result.status == "completed" and [e["step"] for e in seen] == list(range(1, 25))
    losses = [e["loss"] for e in seen]
    assert sum(losses[-4:]) / 4 < sum(losses[:4]) / 4 - 0.4  # nats; a random model starts near ln(vocab)
    metrics = result.meta["metrics"]
    assert metrics["eval_loss_best"] < metrics["eval_loss_first"]
    out = root / "adapters" / "cloud"
    assert (out / "adapter_config.json").is_file() and (out / "adapter_model.safetensors").is_file()
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    assert meta["domain"] == "云产品" and meta["base_model"] == tiny_base.name
    assert meta["training_data"] == str(train_file) and meta["date"] and meta["lora"]["rank"] == 8
    assert meta["dataset"]["ratio"] == 0.5


def test_forgetting_check_in_meta(trained):
    forgetting = trained[1].meta["forgetting"]
    for name in ("general", "domain"):
        info = forgetting[name]
        assert info["records"] > 0 and info["ppl_base"] > 0 and info["ppl_tuned"] > 0
        assert info["ratio"] == pytest.approx(info["ppl_tuned"] / info["ppl_base"], rel=1e-3)
    assert forgetting["domain"]["ppl_tuned"] < forgetting["domain"]["ppl_base"]
    assert forgetting["sets"]["general"] == "general records held out from the training data"
    assert isinstance(forgetting["drift_warning"], bool)


def test_router_uses_the_new_adapter_and_it_changes_outputs(trained, tiny_base):
    from models.config import ModelSettings
    from models.llm.base import ChatMessage, GenerationOptions
    from models.llm.transformers_backend import TransformersLLM
    from models.router import AdapterRouter

    root = trained[0]
    models = ModelSettings.model_validate({
        "llm": {"backend": "transformers", "model_path": str(tiny_base), "device": "cpu"},
        "adapters": {"dir": str(root / "adapters")},
        "router": {"rules": {"云产品": "cloud"}},
    })
    llm = TransformersLLM.from_settings(models, root)
    router = AdapterRouter(models, llm.loras.names)
    choice = router.choose("SSH 连不上怎么办？", "云产品", in_domain=True)
    assert choice.name == "cloud"
    messages = [ChatMessage("user", "云服务器 SSH 默认端口是多少？")]
    tuned = llm.chat(messages, GenerationOptions(max_tokens=24, adapter=choice))
    base = llm.chat(messages, GenerationOptions(max_tokens=24, adapter=router.choose("写首诗", None, in_domain=False)))
    assert tuned != base


def test_resume_continues_exactly(tiny_base, train_file, tmp_path):
    from safetensors.torch import load_file

    from models.finetune.trainer import train

    config = settings(max_steps=6, eval_every=3)
    straight = train(job(tmp_path / "a", tiny_base, train_file), config)
    paused = train(job(tmp_path / "b", tiny_base, train_file, stop_after=3), config)
    assert paused.status == "paused" and paused.output_dir is None
    assert not (tmp_path / "b" / "adapters" / "cloud").exists()
    resumed = train(job(tmp_path / "b", tiny_base, train_file, resume=True), config)
    assert resumed.status == "completed"
    assert [h["loss"] for h in resumed.history] == pytest.approx([h["loss"] for h in straight.history], abs=1e-4)
    a = load_file(tmp_path / "a" / "adapters" / "cloud" / "adapter_model.safetensors")
    b = load_file(tmp_path / "b" / "adapters" / "cloud" / "adapter_model.safetensors")
    assert a.keys() == b.keys()
    assert all((a[k] - b[k]).abs().max() < 1e-5 for k in a)


def test_resume_without_checkpoint_and_existing_output_are_user_errors(tiny_base, train_file, tmp_path):
    from models.finetune.trainer import train

    with pytest.raises(ModelError, match="没有可恢复的检查点"):
        train(job(tmp_path, tiny_base, train_file, resume=True), settings(max_steps=1))
    (tmp_path / "adapters" / "cloud").mkdir(parents=True)
    with pytest.raises(ModelError, match="--overwrite"):
        train(job(tmp_path, tiny_base, train_file), settings(max_steps=1))


def test_early_stop_when_eval_loss_stops_improving(tiny_base, train_file, tmp_path):
    from models.finetune.trainer import train

    result = train(job(tmp_path, tiny_base, train_file), settings(max_steps=20, eval_every=1,
                                                                   early_stop_patience=1, learning_rate=1e-12))
    assert result.status == "early_stopped" and result.meta["metrics"]["steps"] == 2


def test_target_modules_missing_from_model_is_a_user_error(tiny_base, train_file, tmp_path):
    from models.finetune.trainer import train

    with pytest.raises(ModelError, match="q_proj"):
        train(job(tmp_path, tiny_base, train_file), settings(lora={"target_modules": ["query_key_value"]}))


@pytest.mark.slow
def test_full_fine_tuning_writes_a_loadable_model(tiny_base, train_file, tmp_path):
    from transformers import AutoModelForCausalLM

    from models.finetune.trainer import train

    result = train(job(tmp_path, tiny_base, train_file, method="full"), settings(max_steps=2, learning_rate=1e-4))
    out = result.output_dir
    assert (out / "config.json").is_file() and (out / "meta.json").is_file() and (out / "tokenizer.json").is_file()
    assert AutoModelForCausalLM.from_pretrained(out, local_files_only=True).config.use_cache
    assert result.meta["method"] == "full" and result.meta["forgetting"]["general"]["ppl_base"] > 0


def test_pretrain_and_hybrid_modes_train(tiny_base, train_file, tmp_path):
    from models.finetune.records import Record, read_records
    from models.finetune.trainer import train

    texts = [Record(kind="pretrain", text="# SSH 无法登录排查\n请检查安全组是否放行 22 端口。" * 3) for _ in range(6)]
    hybrid = tmp_path / "hybrid.jsonl"
    write_dataset(hybrid, read_records(train_file)[:20] + texts, sources=["t"])
    for mode in ("pretrain", "hybrid"):
        result = train(job(tmp_path / mode, tiny_base, hybrid, mode=mode), settings(max_steps=2, eval_every=2))
        assert result.status == "completed" and result.meta["mode"] == mode


@pytest.mark.gpu
def test_gpu_run_uses_bf16_and_gradient_checkpointing(tiny_base, train_file, tmp_path):
    import torch

    if not torch.cuda.is_available():
        pytest.skip("no CUDA GPU on this machine")
    from models.finetune.modeling import load_for_training
    from models.finetune.trainer import train

    config = settings(max_steps=4, eval_every=2)
    tm = load_for_training(tiny_base, "lora", config, "cuda")
    assert tm.bf16 == torch.cuda.is_bf16_supported() and tm.model.base_model.model.is_gradient_checkpointing
    dtypes = {("lora_" in n, p.dtype) for n, p in tm.model.named_parameters()}
    frozen = torch.bfloat16 if tm.bf16 else torch.float32
    assert (True, torch.float32) in dtypes and (False, frozen) in dtypes  # bf16 base, fp32 adapter
    result = train(job(tmp_path, tiny_base, train_file, device="cuda"), config)
    assert result.status == "completed" and result.meta["metrics"]["steps"] == 4
