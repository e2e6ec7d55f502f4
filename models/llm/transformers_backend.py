"""`transformers`: a local causal LM (any model directory with a chat template) with its
LoRA adapters, on CPU or GPU, shared safely by concurrent chat sessions.

Loading is local only (`local_files_only=True`, hub offline). Device and dtype come from
settings (auto: bf16 on CUDA, fp32 on CPU), attention is SDPA. One lock serialises
requests: the adapter switch and the generation happen under it, so sessions on other
threads never see each other's adapter. Streaming runs `generate` in a thread feeding a
`TextIteratorStreamer`. Tests: `pytest tests/models/test_transformers_backend.py`.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Literal, Sequence

from models.errors import ModelError
from models.hub import check_model_dir, ensure_offline, resolve_device, resolve_dtype
from models.llm.adapters import AdapterInfo, adapter_dir, check_base, scan_adapters
from models.llm.base import ChatMessage, CommonLLMSettings, GenerationOptions, LLMBackend
from models.llm.decoding import StopFilter, cut_at_stop
from models.llm.generation import generation_config, render_prompts, stopping_criteria
from models.llm.lora import LoraSet

if TYPE_CHECKING:
    from models.config import ModelSettings

STREAM_TIMEOUT_S = 600.0


class TransformersSettings(CommonLLMSettings):
    """`models.llm` with `backend: transformers`: a local model directory (`model_path`)."""

    backend: Literal["transformers"] = "transformers"
    device: str = "auto"
    """auto (cuda when available, else cpu), cpu, cuda, cuda:1 ..."""
    dtype: Literal["auto", "float32", "bfloat16", "float16"] = "auto"
    """Weight dtype; auto = bfloat16 on CUDA, float32 on CPU."""

    def build(self, models: ModelSettings, data_dir: Path) -> LLMBackend:
        return TransformersLLM.from_settings(models, data_dir)


class TransformersLLM:
    """A local model + adapters; build with `from_settings` or `load`."""

    name = "transformers"
    generative = True

    def __init__(self, tokenizer: Any, loras: LoraSet, model_path: Path, device: str) -> None:
        self.tokenizer = tokenizer
        self.loras = loras
        self.model_path = model_path
        self.device = device
        self.lock = threading.Lock()
        self.generation_overrides: dict[str, Any] = {}
        """Extra `GenerationConfig` fields for every request (e.g. cache_implementation="static")."""

    @classmethod
    def from_settings(cls, settings: ModelSettings, data_dir: Path) -> "TransformersLLM":
        llm = settings.llm
        if not isinstance(llm, TransformersSettings):
            raise TypeError(f"models.llm is {llm.backend!r} settings, not transformers")
        path = check_model_dir(llm.model_path)
        directory = adapter_dir(settings, data_dir)
        adapters = scan_adapters(directory, required=settings.adapters.dir is not None)
        check_base(adapters, llm.base_model_name() or path.name)
        return cls.load(path, adapters, device=llm.device, dtype=llm.dtype, combination=settings.adapters.combination)

    @classmethod
    def load(
        cls,
        path: Path,
        adapters: Sequence[AdapterInfo] = (),
        device: str = "auto",
        dtype: str = "auto",
        combination: str = "cat",
    ) -> "TransformersLLM":
        """Load model, tokenizer and adapters from local directories."""
        ensure_offline()
        from transformers import AutoModelForCausalLM, AutoTokenizer

        device = resolve_device(device)
        torch_dtype = resolve_dtype(dtype, device)
        try:
            tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
            model = AutoModelForCausalLM.from_pretrained(
                path, local_files_only=True, dtype=torch_dtype, attn_implementation="sdpa"
            )
        except Exception as exc:  # loaders raise many types (OSError, SafetensorError ...): all mean a bad folder
            raise ModelError(f"无法加载模型目录 {path}：{exc}（设置项 models.llm.model_path）") from None
        if not getattr(tokenizer, "chat_template", None):
            raise ModelError(f"模型目录 {path} 的分词器没有对话模板（chat template），请使用对话（Instruct）模型（设置项 models.llm.model_path）")
        if tokenizer.pad_token_id is None:
            tokenizer.pad_token = tokenizer.eos_token
        model.to(device)
        model.eval()
        loras = LoraSet(model, list(adapters), combination)
        return cls(tokenizer, loras, Path(path), device)

    @property
    def model(self) -> Any:
        return self.loras.model

    def chat(self, messages: list[ChatMessage], options: GenerationOptions) -> str:
        return self.chat_batch([messages], options)[0]

    def chat_batch(
        self, conversations: list[list[ChatMessage]], options: GenerationOptions, batch_size: int = 8
    ) -> list[str]:
        """Replies to many conversations, `batch_size` at a time in left-padded batches.

        Greedy batches give the same text as one by one (tested). The lock is taken per
        batch, so interactive sessions interleave with a long evaluation run.
        """
        replies: list[str] = []
        for start in range(0, len(conversations), max(1, batch_size)):
            chunk = conversations[start : start + max(1, batch_size)]
            inputs = self._encode(chunk, options.max_tokens)
            with self.lock, self.loras.use(options.adapter) as model:
                output = model.generate(
                    **inputs,
                    generation_config=self._config(options),
                    stopping_criteria=stopping_criteria(self.tokenizer, options, inputs["input_ids"].shape[1]),
                )
            new_tokens = output[:, inputs["input_ids"].shape[1] :]
            texts = self.tokenizer.batch_decode(new_tokens, skip_special_tokens=True)
            replies.extend(cut_at_stop(text, options.stop) for text in texts)
        return replies

    def stream(self, messages: list[ChatMessage], options: GenerationOptions) -> Iterator[str]:
        from transformers import TextIteratorStreamer

        inputs = self._encode([messages], options.max_tokens)
        streamer = TextIteratorStreamer(
            self.tokenizer, skip_prompt=True, skip_special_tokens=True, timeout=STREAM_TIMEOUT_S
        )
        cancel = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            try:
                with self.lock, self.loras.use(options.adapter) as model:
                    model.generate(
                        **inputs,
                        generation_config=self._config(options),
                        streamer=streamer,
                        stopping_criteria=stopping_criteria(
                            self.tokenizer, options, inputs["input_ids"].shape[1], cancel
                        ),
                    )
            except BaseException as exc:  # re-raised in the consumer's thread below
                failure.append(exc)
                streamer.on_finalized_text("", stream_end=True)

        thread = threading.Thread(target=run, name="llm-stream", daemon=True)
        thread.start()
        stops = StopFilter(options.stop)
        try:
            for piece in streamer:
                text = stops.feed(piece)
                if text:
                    yield text
                if stops.stopped:
                    break
            if failure:
                raise failure[0]
            rest = stops.flush()
            if rest:
                yield rest
        finally:
            cancel.set()
            thread.join()

    def first_token_scores(self, messages: list[ChatMessage], options: GenerationOptions) -> tuple[Any, Any]:
        """Raw next-token logits and the scores after the logits processors (penalty, warpers)."""
        inputs = self._encode([messages], 1)
        config = self._config(options, max_new_tokens=1)
        with self.lock, self.loras.use(options.adapter) as model:
            out = model.generate(
                **inputs,
                generation_config=config,
                output_scores=True,
                output_logits=True,
                return_dict_in_generate=True,
            )
        return out.logits[0][0], out.scores[0][0]

    def encode_prompt(self, messages: list[ChatMessage]) -> list[int]:
        """Token ids of the chat-template prompt for one conversation."""
        return self._encode([messages], 0)["input_ids"][0].tolist()

    def describe(self) -> dict:
        dtype = str(getattr(self.model, "dtype", "")).replace("torch.", "")
        names = self.loras.names
        suffix = f"，LoRA 适配器：{'、'.join(names)}" if names else "，无 LoRA 适配器"
        return {
            "backend": self.name,
            "model": self.model_path.name,
            "model_path": str(self.model_path),
            "generative": True,
            "device": self.device,
            "dtype": dtype,
            "adapters": names,
            "adapter_info": [a.to_json() for a in self.loras.adapters.values()],
            "description": f"本地模型 {self.model_path.name}（{self.device}，{dtype}）{suffix}",
        }

    @property
    def context_length(self) -> int | None:
        """Most tokens (prompt + reply) the model was built for, from its config."""
        return getattr(self.model.config, "max_position_embeddings", None)

    def _encode(self, conversations: list[list[ChatMessage]], max_new_tokens: int) -> dict:
        prompts = render_prompts(self.tokenizer, conversations)
        batch = self.tokenizer(
            prompts, return_tensors="pt", padding=True, padding_side="left", add_special_tokens=False
        )
        limit = self.context_length
        length = batch["input_ids"].shape[1]
        if limit and length + max_new_tokens > limit:
            # Raised as ModelError so callers fall back to their deterministic strategy.
            raise ModelError(
                f"提示过长：{length} 个词元加上最多 {max_new_tokens} 个生成词元，超过模型上下文长度 {limit}；"
                f"请减少检索段落或调低 models.llm.max_tokens"
            )
        return {k: v.to(self.device) for k, v in batch.items()}

    def _config(self, options: GenerationOptions, **overrides: Any) -> Any:
        return generation_config(
            options, self.tokenizer, self.model.generation_config, **{**self.generation_overrides, **overrides}
        )
