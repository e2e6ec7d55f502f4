"""The transformers backend on a CUDA GPU: auto dtype is bf16, adapters and streaming work."""

from __future__ import annotations

import pytest

from models.llm.base import AdapterChoice, ChatMessage, GenerationOptions

pytestmark = pytest.mark.gpu

MESSAGES = [ChatMessage("user", "云服务器 SSH 登录失败怎么办？")]


@pytest.fixture(scope="module")
def cuda_llm(request):
    torch = pytest.importorskip("torch")
    if not torch.cuda.is_available():
        pytest.skip("no CUDA GPU on this machine")
    tiny_model_dir = request.getfixturevalue("tiny_model_dir")
    tiny_adapters_dir = request.getfixturevalue("tiny_adapters_dir")
    from models.llm.adapters import scan_adapters
    from models.llm.transformers_backend import TransformersLLM

    return TransformersLLM.load(tiny_model_dir, scan_adapters(tiny_adapters_dir), device="auto")


def test_auto_picks_cuda_and_bf16(cuda_llm):
    info = cuda_llm.describe()
    assert info["device"] == "cuda" and info["dtype"] == "bfloat16"


@pytest.mark.parametrize("adapter", [AdapterChoice(), AdapterChoice(name="ecs"), AdapterChoice(weights={"ecs": 0.5, "db": 0.5})])
def test_stream_equals_chat_on_gpu(cuda_llm, adapter):
    options = GenerationOptions(max_tokens=16, adapter=adapter)
    assert "".join(cuda_llm.stream(MESSAGES, options)) == cuda_llm.chat(MESSAGES, options)
