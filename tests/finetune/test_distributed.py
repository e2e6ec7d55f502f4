"""The distributed code path (accelerate over torchrun, gloo on CPU): two processes train
data-parallel, pause with a sharded checkpoint, resume, and only the main one reports."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
import yaml

from models.llm.adapters import read_adapter

pytestmark = pytest.mark.slow


def test_two_process_lora_run_pauses_resumes_and_writes_one_adapter(tiny_base, tmp_path):
    if shutil.which("torchrun", path=os.path.dirname(sys.executable)) is None:
        pytest.skip("torchrun not installed next to this Python")
    data = tmp_path / "train.jsonl"
    lines = [{"instruction": f"错误码 {c} 是什么意思？", "output": f"{c} 表示连接失败。",
              "origin": "general" if c % 3 == 0 else "domain"} for c in range(1000, 1040)]
    data.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    cfg = tmp_path / "settings.yaml"
    cfg.write_text(yaml.safe_dump({"data_dir": str(tmp_path / "data")}), encoding="utf-8")
    torchrun = os.path.join(os.path.dirname(sys.executable), "torchrun")
    base = [torchrun, "--nproc_per_node", "2", "-m", "app", "--config", str(cfg), "finetune", "--base", str(tiny_base),
            "--data", str(data), "--adapter", "ddp", "--max-steps", "4", "--eval-every", "2", "--max-seq-len", "128",
            "--rank", "4", "--alpha", "8", "--no-progress", "--json"]
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    paused = subprocess.run([*base, "--stop-after", "2"], capture_output=True, text=True, env=env, timeout=600)
    assert paused.returncode == 0, paused.stderr[-2000:]
    assert json.loads(paused.stdout)["status"] == "paused"  # one JSON document: only rank 0 printed
    checkpoint = tmp_path / "data" / "finetune" / "ddp" / "checkpoint"
    assert (checkpoint / "random_states_0.pkl").is_file() and (checkpoint / "random_states_1.pkl").is_file()
    resumed = subprocess.run([*base, "--resume"], capture_output=True, text=True, env=env, timeout=600)
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    result = json.loads(resumed.stdout)
    assert result["status"] == "completed" and result["metrics"]["processes"] == 2 and result["metrics"]["steps"] == 4
    adapter = read_adapter(tmp_path / "data" / "adapters" / "ddp")
    assert adapter.meta["forgetting"]["general"]["ppl_base"] > 0
