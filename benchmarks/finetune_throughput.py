"""Training throughput and peak memory, LoRA vs full fine-tuning, on a model built from
Qwen2.5-0.5B's configuration with random weights (nothing is downloaded).

Each method runs in its own subprocess so peak memory is measured separately. The step
is the one models/finetune/trainer.py runs: peft LoRA from FinetuneSettings (or every
weight trainable), AdamW, gradient clipping, bf16 autocast and gradient checkpointing on
CUDA. Prints one JSON line per method and a summary table.

    python benchmarks/finetune_throughput.py                      # CPU smoke: seq 32, 3 steps
    python benchmarks/finetune_throughput.py --seq-len 1024 --batch 8 --steps 20   # on a GPU
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time

# Qwen2.5-0.5B (Qwen/Qwen2.5-0.5B config.json), written out so nothing is fetched.
QWEN25_05B = dict(
    vocab_size=151936, hidden_size=896, intermediate_size=4864, num_hidden_layers=24,
    num_attention_heads=14, num_key_value_heads=2, max_position_embeddings=32768,
    rope_theta=1000000.0, rms_norm_eps=1e-6, tie_word_embeddings=True, hidden_act="silu",
)


def build_model(layers: int | None, device: str, dtype):
    import torch
    from transformers import Qwen2Config, Qwen2ForCausalLM

    config = dict(QWEN25_05B)
    if layers:
        config["num_hidden_layers"] = layers
    torch.manual_seed(0)
    model = Qwen2ForCausalLM(Qwen2Config(**config, attn_implementation="sdpa"))
    return model.to(device=device, dtype=dtype)


def run_one(args: argparse.Namespace) -> dict:
    import torch

    from models.finetune.config import FinetuneSettings
    from models.finetune.modeling import base_dtype, use_bf16, wrap_lora

    if args.threads:
        torch.set_num_threads(args.threads)
    device = "cuda" if torch.cuda.is_available() and not args.cpu else "cpu"
    settings = FinetuneSettings()
    model = build_model(args.layers, device, base_dtype(args.method, device, settings))  # as the trainer loads it
    model.config.use_cache = False
    on_gpu = device == "cuda"
    if on_gpu and settings.gradient_checkpointing:
        model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
    if args.method == "lora":
        model = wrap_lora(model, settings)
    params = [p for p in model.parameters() if p.requires_grad]
    total = sum(p.numel() for p in model.parameters())
    optimizer = torch.optim.AdamW(params, lr=1e-4)
    bf16 = use_bf16(device, settings)
    ids = torch.randint(0, QWEN25_05B["vocab_size"], (args.batch, args.seq_len), device=device)
    model.train()
    if on_gpu:
        torch.cuda.reset_peak_memory_stats()
    times = []
    for _ in range(args.steps + 1):  # the first step warms up (allocations, kernels)
        start = time.perf_counter()
        with torch.autocast("cuda", dtype=torch.bfloat16) if bf16 else _null():
            loss = model(input_ids=ids, labels=ids).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        if on_gpu:
            torch.cuda.synchronize()
        times.append(time.perf_counter() - start)
    timed = times[1:]
    tokens = args.batch * args.seq_len * len(timed)
    peak = torch.cuda.max_memory_allocated() / 2**30 if on_gpu else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    return {
        "method": args.method, "device": torch.cuda.get_device_name() if on_gpu else f"cpu ({os.cpu_count()} cores)",
        "layers": model.config.num_hidden_layers if args.method == "full" else model.base_model.model.config.num_hidden_layers,
        "params_total_m": round(total / 1e6, 1), "params_trainable_m": round(sum(p.numel() for p in params) / 1e6, 2),
        "batch": args.batch, "seq_len": args.seq_len, "steps": len(timed), "bf16": bf16,
        "gradient_checkpointing": on_gpu and settings.gradient_checkpointing,
        "tokens_per_s": round(tokens / sum(timed), 1), "s_per_step": round(sum(timed) / len(timed), 3),
        "peak_memory_gib": round(peak, 2), "peak_memory_kind": "cuda max_memory_allocated" if on_gpu else "process max RSS",
    }


class _null:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--method", choices=["lora", "full", "both"], default="both")
    parser.add_argument("--seq-len", type=int, default=32)
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--steps", type=int, default=3)
    parser.add_argument("--layers", type=int, help="fewer decoder layers than the real 24 (quick smoke only)")
    parser.add_argument("--threads", type=int, help="torch CPU threads")
    parser.add_argument("--cpu", action="store_true", help="stay on CPU even with a GPU")
    args = parser.parse_args()
    if args.method != "both":
        print(json.dumps(run_one(args)))
        return
    rows = []
    for method in ("lora", "full"):
        cmd = [sys.executable, __file__, "--method", method, "--seq-len", str(args.seq_len), "--batch", str(args.batch),
               "--steps", str(args.steps)]
        cmd += (["--layers", str(args.layers)] if args.layers else []) + (["--threads", str(args.threads)] if args.threads else [])
        cmd += ["--cpu"] if args.cpu else []
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
        print(out)
        rows.append(json.loads(out))
    print(f"\n{'method':<6} {'trainable M':>12} {'tokens/s':>10} {'s/step':>8} {'peak GiB':>9}  device")
    for r in rows:
        print(f"{r['method']:<6} {r['params_trainable_m']:>12} {r['tokens_per_s']:>10} {r['s_per_step']:>8} {r['peak_memory_gib']:>9}  {r['device']}")


if __name__ == "__main__":
    main()
