"""`smart-copilot data ...` and `smart-copilot finetune` through the real CLI entry point."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from app.cli import main
from knowledge.demo_kb import DEMO_DIR
from models.finetune.records import read_manifest, read_records


def config(tmp_path: Path, models: dict | None = None) -> list[str]:
    path = tmp_path / "settings.yaml"
    data = {"data_dir": str(tmp_path / "data"), "models": {"embedder": {"backend": "hash"}, **(models or {})}}
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return ["--config", str(path)]


def run_json(args: list[str], capsys) -> dict:
    assert main([*args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_data_pipeline_on_demo_folder(tmp_path, capsys, demo_chunks):
    cfg, d = config(tmp_path), tmp_path / "d"
    qa = run_json([*cfg, "data", "selfqa", "--out", str(d / "qa.jsonl")], capsys)
    assert qa["strategy"] == "deterministic" and qa["count"] > 100 and qa["sources"] == [str(DEMO_DIR)]
    kg = run_json([*cfg, "data", "selfkg", "--out", str(d / "kg.jsonl")], capsys)
    assert kg["counts"]["generator"] == {"selfkg": kg["count"]}
    ref = run_json([*cfg, "data", "refusal", "--out", str(d / "ref.jsonl")], capsys)
    refusal = next(r for r in read_records(d / "ref.jsonl") if r.generator == "refusal" and r.lang == "zh")
    assert refusal.output.startswith("抱歉，这个问题不在我能帮助的范围内")  # the wording the copilot serves
    assert ref["count"] > 50
    flt = run_json([*cfg, "data", "filter", str(d / "qa.jsonl"), str(d / "kg.jsonl"), str(d / "ref.jsonl"),
                    "--out", str(d / "domain.jsonl")], capsys)
    assert flt["filters"]["in"] == qa["count"] + kg["count"] + ref["count"] and flt["count"] == flt["filters"]["out"]
    pre = run_json([*cfg, "data", "pretrain", "--out", str(d / "pt.jsonl")], capsys)
    mixed = run_json([*cfg, "data", "mix", "--domain", str(d / "domain.jsonl"), "--ratio", "0.25",
                      "--pretrain", str(d / "pt.jsonl"), "--seed", "5", "--out", str(d / "train.jsonl")], capsys)
    info = mixed["mix"]
    assert info["domain_used"] == round(0.25 * (info["domain_used"] + info["general_used"]))
    assert info["pretrain_records"] == pre["count"] and mixed["seed"] == 5
    assert read_manifest(d / "train.jsonl")["count"] == len(read_records(d / "train.jsonl"))


def test_generative_selfqa_and_selfinstruct_with_scripted_backend(tmp_path, capsys, demo_chunks):
    outputs = ["问题：SSH 默认端口是多少？\n回答：SSH 默认使用 22 端口。",
               "指令：解释这个 HTTP 状态码\n输入：502\n输出：网关从上游收到了无效响应。"]
    cfg = config(tmp_path, {"llm": {"backend": "scripted", "scripted_outputs": outputs}})
    qa = run_json([*cfg, "data", "selfqa", "--limit", "3", "--per-chunk", "1", "--out", str(tmp_path / "qa.jsonl")], capsys)
    assert qa["strategy"] == "generative (scripted)" and qa["counts"]["generator"] == {"selfqa-llm": 1}
    si = run_json([*cfg, "data", "selfinstruct", "--n", "1", "--out", str(tmp_path / "si.jsonl")], capsys)
    assert si["count"] == 1 and read_records(tmp_path / "si.jsonl")[0].input == "502"


def test_selfinstruct_without_a_model_exits_2(tmp_path, capsys):
    assert main([*config(tmp_path), "data", "selfinstruct", "--out", str(tmp_path / "x.jsonl")]) == 2
    assert "生成模型" in capsys.readouterr().err


def test_data_from_an_ingested_knowledge_base(tmp_path, capsys):
    if not (DEMO_DIR / "docs").is_dir():
        pytest.skip("demo knowledge base not found")
    folder = tmp_path / "kbsrc"
    (folder / "docs").mkdir(parents=True)
    shutil.copy(DEMO_DIR / "docs" / "scs" / "ssh-login-failed.md", folder / "docs")
    shutil.copytree(DEMO_DIR / "tables", folder / "tables", ignore=shutil.ignore_patterns("*.xlsx"))
    cfg = config(tmp_path)
    assert main([*cfg, "ingest", str(folder), "--kb", "mini", "--json"]) == 0
    capsys.readouterr()
    qa = run_json([*cfg, "data", "selfqa", "--kb", "mini", "--out", str(tmp_path / "qa.jsonl")], capsys)
    questions = [r.instruction for r in read_records(tmp_path / "qa.jsonl")]
    assert qa["sources"] == ["kb:mini"] and any(q.endswith("的可能原因有哪些？") for q in questions)
    kg = run_json([*cfg, "data", "selfkg", "--kb", "mini", "--out", str(tmp_path / "kg.jsonl")], capsys)
    assert kg["count"] > 100


def test_finetune_command_writes_an_adapter_the_cli_lists(tmp_path, capsys, tiny_base, single_thread):
    data = tmp_path / "train.jsonl"
    assert main([*config(tmp_path), "data", "mix", "--domain", str(_domain_file(tmp_path)), "--ratio", "0.5",
                 "--out", str(data), "--json"]) == 0
    capsys.readouterr()
    cfg = config(tmp_path)
    args = [*cfg, "finetune", "--base", str(tiny_base), "--data", str(data), "--adapter", "cloud",
            "--max-steps", "2", "--max-seq-len", "160", "--rank", "4", "--alpha", "8", "--no-progress"]
    result = run_json(args, capsys)
    assert result["status"] == "completed" and result["output_dir"] == str(tmp_path / "data" / "adapters" / "cloud")
    assert result["metrics"]["steps"] == 2 and "general" in result["forgetting"]
    listed = run_json([*cfg, "models", "list-adapters"], capsys)
    listed = listed if isinstance(listed, list) else listed.get("adapters", listed)
    assert "cloud" in json.dumps(listed, ensure_ascii=False)
    assert main(args) == 2 and "--overwrite" in capsys.readouterr().err
    assert main([*args, "--overwrite", "--rank", "0"]) == 2 and "lora.rank" in capsys.readouterr().err
    bad_name = [a if a != "cloud" else "../cloud" for a in args]
    assert main(bad_name) == 2 and "适配器名称无效" in capsys.readouterr().err


def _domain_file(tmp_path: Path) -> Path:
    path = tmp_path / "domain.jsonl"
    lines = [{"instruction": f"错误码 {c} 是什么意思？", "output": f"{c} 表示连接失败。"} for c in range(1000, 1024)]
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    return path


def test_data_build_runs_the_whole_recipe(tmp_path, capsys, demo_chunks):
    out = tmp_path / "ft"
    summary = run_json([*config(tmp_path), "data", "build", "--out-dir", str(out), "--ratio", "0.4", "--hybrid"], capsys)
    for name in ("selfqa", "selfkg", "refusal", "domain", "docs", "train"):
        assert read_manifest(out / f"{name}.jsonl")["count"] == summary[name] == len(read_records(out / f"{name}.jsonl"))
    assert summary["domain"] <= summary["selfqa"] + summary["selfkg"] + summary["refusal"]
    info = summary["mix"]
    assert info["domain_used"] == round(0.4 * (info["domain_used"] + info["general_used"])) and info["hybrid"]
    assert read_manifest(out / "domain.jsonl")["filters"]["in"] == summary["selfqa"] + summary["selfkg"] + summary["refusal"]
