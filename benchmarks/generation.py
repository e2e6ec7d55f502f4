"""Generation speed of the `transformers` backend: time to first token and decode tokens/s,
batch 1 and batch 8, with and without a LoRA adapter, for models shaped like Qwen2.5-0.5B
and Qwen2.5-1.5B (random weights: speed does not depend on weight values; nothing is
downloaded). Also reports the memory-bandwidth limit: every decode step reads all
weights once, so tokens/s <= batch * bandwidth / weight bytes.

    python benchmarks/generation.py                          # CPU, both shapes, short
    python benchmarks/generation.py --models 0.5b --tokens 64 --device cuda --dtype bfloat16 \
        --static-cache --compile --bandwidth-gbs 3350        # a GPU run (H100 HBM3 stated)

TTFT = wall time of a 1-token request (prefill + first token); decode tokens/s =
(N - 1) * batch / (time of an N-token request - TTFT). Requests go through
`TransformersLLM.chat_batch` (lock, adapter switch, generation config), greedy,
with `min_tokens` so every request really generates N tokens.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# Values from the published config.json of each model (Qwen/Qwen2.5-0.5B-Instruct, -1.5B-Instruct).
QWEN_CONFIGS = {
    "0.5b": dict(
        vocab_size=151936, hidden_size=896, intermediate_size=4864, num_hidden_layers=24,
        num_attention_heads=14, num_key_value_heads=2, max_position_embeddings=32768,
        rope_theta=1000000.0, rms_norm_eps=1e-6, tie_word_embeddings=True,
    ),
    "1.5b": dict(
        vocab_size=151936, hidden_size=1536, intermediate_size=8960, num_hidden_layers=28,
        num_attention_heads=12, num_key_value_heads=2, max_position_embeddings=32768,
        rope_theta=1000000.0, rms_norm_eps=1e-6, tie_word_embeddings=True,
    ),
}
LORA_TARGETS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
PROMPT = "云服务器 SSH 登录失败，安全组已经放行 22 端口，但是连接仍然超时，应该如何排查？"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", default="0.5b,1.5b", help="comma list of: " + ", ".join(QWEN_CONFIGS))
    parser.add_argument("--batches", default="1,8", help="comma list of batch sizes")
    parser.add_argument("--tokens", type=int, default=8, help="new tokens per request")
    parser.add_argument("--repeats", type=int, default=2, help="timed repeats (median reported)")
    parser.add_argument("--device", default="auto")
    parser.add_argument("--dtype", default="auto", choices=["auto", "float32", "bfloat16", "float16"])
    parser.add_argument("--lora-rank", type=int, default=16)
    parser.add_argument("--static-cache", action="store_true", help="cache_implementation='static' (GPU)")
    parser.add_argument("--compile", action="store_true", help="torch.compile the forward pass (GPU)")
    parser.add_argument("--bandwidth-gbs", type=float, default=None, help="stated memory bandwidth; default: measured")
    parser.add_argument("--json", action="store_true", help="print results as JSON lines too")
    return parser.parse_args(argv)


def measure_bandwidth(device: str, mib: int = 256) -> float:
    """Copy bandwidth in GB/s (bytes read + written per second), best of 5."""
    import torch

    src = torch.empty(mib * 2**20 // 4, dtype=torch.float32, device=device).normal_()
    dst = torch.empty_like(src)
    best = float("inf")
    for _ in range(5):
        _sync(device)
        start = time.perf_counter()
        dst.copy_(src)
        _sync(device)
        best = min(best, time.perf_counter() - start)
    return 2 * src.numel() * 4 / best / 1e9


def _sync(device: str) -> None:
    import torch

    if device.startswith("cuda"):
        torch.cuda.synchronize()


def build_backend(shape: str, device: str, dtype: str, rank: int, workdir: Path):
    """A TransformersLLM around a random model of the given shape, with one LoRA adapter."""
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import Qwen2Config, Qwen2ForCausalLM

    from models.llm.adapters import read_adapter
    from models.llm.lora import LoraSet
    from models.hub import resolve_device, resolve_dtype
    from models.llm.transformers_backend import TransformersLLM
    from tests.fixtures.tiny_lm import build_tokenizer

    device = resolve_device(device, "--device")
    torch_dtype = resolve_dtype(dtype, device)
    tokenizer = build_tokenizer(workdir / "tokenizer", pad_vocab_to=QWEN_CONFIGS[shape]["vocab_size"])
    config = Qwen2Config(
        **QWEN_CONFIGS[shape], eos_token_id=tokenizer.eos_token_id, pad_token_id=tokenizer.pad_token_id
    )
    config._attn_implementation = "sdpa"
    torch.manual_seed(0)
    model = Qwen2ForCausalLM(config).to(dtype=torch_dtype, device=device).eval()
    weight_bytes = sum(p.numel() * p.element_size() for p in model.parameters())
    adapter_path = workdir / "adapters" / "bench"
    lora = LoraConfig(r=rank, lora_alpha=2 * rank, target_modules=LORA_TARGETS, task_type="CAUSAL_LM")
    peft_model = get_peft_model(model, lora)
    with torch.no_grad():
        for name, param in peft_model.named_parameters():
            if "lora_B" in name:
                param.normal_(0, 0.01)
    peft_model.save_pretrained(adapter_path)
    model = peft_model.unload()
    meta = {"domain": "bench", "base_model": f"qwen2.5-{shape}-random", "training_data": "none", "date": "-"}
    (adapter_path / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    loras = LoraSet(model, [read_adapter(adapter_path)])
    llm = TransformersLLM(tokenizer, loras, workdir / f"qwen2.5-{shape}-random", device)
    return llm, weight_bytes


def time_request(llm, batch: int, tokens: int, adapter) -> float:
    from models.llm.base import ChatMessage, GenerationOptions

    conversations = [[ChatMessage("user", f"{PROMPT}（{i}）")] for i in range(batch)]
    options = GenerationOptions(max_tokens=tokens, min_tokens=tokens, repetition_penalty=1.0, adapter=adapter)
    _sync(llm.device)
    start = time.perf_counter()
    llm.chat_batch(conversations, options)
    _sync(llm.device)
    return time.perf_counter() - start


def run_case(llm, batch: int, tokens: int, repeats: int, adapter) -> dict:
    time_request(llm, batch, 2, adapter)  # warm-up (and compilation)
    ttft = statistics.median(time_request(llm, batch, 1, adapter) for _ in range(repeats))
    total = statistics.median(time_request(llm, batch, tokens, adapter) for _ in range(repeats))
    decode_tps = (tokens - 1) * batch / max(total - ttft, 1e-9)
    return {"ttft_s": ttft, "total_s": total, "decode_tok_s": decode_tps}


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    import torch

    from models.hub import ensure_offline
    from models.llm.base import AdapterChoice

    ensure_offline()
    torch.set_num_threads(max(1, torch.get_num_threads()))
    rows = []
    for shape in args.models.split(","):
        with tempfile.TemporaryDirectory() as tmp:
            llm, weight_bytes = build_backend(shape, args.device, args.dtype, args.lora_rank, Path(tmp))
            if args.static_cache:
                llm.generation_overrides["cache_implementation"] = "static"
            if args.compile:
                llm.model.forward = torch.compile(llm.model.forward, mode="reduce-overhead")
            bandwidth = args.bandwidth_gbs or measure_bandwidth(llm.device)
            source = "stated" if args.bandwidth_gbs else "measured copy"
            print(
                f"# {shape}: {weight_bytes / 1e9:.2f} GB of weights ({llm.describe()['dtype']}) on {llm.device}; "
                f"bandwidth {bandwidth:.1f} GB/s ({source}); threads {torch.get_num_threads()}",
                flush=True,
            )
            for batch in (int(b) for b in args.batches.split(",")):
                for label, choice in (("base", AdapterChoice()), ("lora", AdapterChoice(name="bench"))):
                    result = run_case(llm, batch, args.tokens, args.repeats, choice)
                    limit = batch * bandwidth * 1e9 / weight_bytes
                    row = {
                        "model": shape, "batch": batch, "adapter": label, "tokens": args.tokens,
                        **result, "bandwidth_limit_tok_s": limit, "ratio_to_limit": result["decode_tok_s"] / limit,
                    }
                    rows.append(row)
                    print(
                        f"{shape:>5} batch {batch} {label:>4}: TTFT {row['ttft_s']:.3f} s, "
                        f"decode {row['decode_tok_s']:.2f} tok/s, limit {limit:.2f} tok/s, "
                        f"ratio {row['ratio_to_limit']:.2f}",
                        flush=True,
                    )
            del llm
    if args.json:
        for row in rows:
            print(json.dumps(row))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
