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
from models.llm.base import (AssistantReply, ChatMessage, CommonLLMSettings, GenerationOptions, LLMBackend, ToolSpec,
                             ToolSupport)
from models.llm.chat_render import RenderMode, render_chat, template_supports_tools
from models.llm.decoding import StopFilter, cut_at_stop
from models.llm.generation import generation_config, render_prompts, stopping_criteria
from models.llm.lora import LoraSet
from models.llm.tool_calls import HiddenCalls, parse_tool_calls

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
    tool_calling: Literal["auto", "template", "builtin", "off"] = "auto"
    """Tool calls: auto = the chat template's own tool format when it has one, else the built-in
    Hermes/Qwen2.5 format; template / builtin force one; off = no tool calling (runbooks only)."""

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
        self.tool_mode: RenderMode | None = "template" if template_supports_tools(tokenizer) else "builtin"
        """How tools are rendered ("template" / "builtin"); None: tool calling off."""

    @classmethod
    def from_settings(cls, settings: ModelSettings, data_dir: Path) -> "TransformersLLM":
        llm = settings.llm
        if not isinstance(llm, TransformersSettings):
            raise TypeError(f"models.llm is {llm.backend!r} settings, not transformers")
        path = check_model_dir(llm.model_path)
        directory = adapter_dir(settings, data_dir)
        adapters = scan_adapters(directory, required=settings.adapters.dir is not None)
        check_base(adapters, llm.base_model_name() or path.name)
        backend = cls.load(path, adapters, device=llm.device, dtype=llm.dtype,
                           combination=settings.adapters.combination)
        backend.set_tool_calling(llm.tool_calling)
        return backend

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

    def set_tool_calling(self, choice: str) -> None:
        """Apply `models.llm.tool_calling`; forcing "template" on a template without tools is a ModelError."""
        native = template_supports_tools(self.tokenizer)
        if choice == "template" and not native:
            raise ModelError(f"模型 {self.model_path.name} 的对话模板不支持工具调用（设置项 models.llm.tool_calling："
                             f"改为 auto 或 builtin 使用内置格式）")
        self.tool_mode = None if choice == "off" else ("builtin" if choice == "builtin" or not native else "template")

    def tool_support(self) -> ToolSupport:
        if self.tool_mode is None:
            return ToolSupport(False, "none", "已关闭工具调用（设置项 models.llm.tool_calling: off）")
        if self.tool_mode == "template":
            return ToolSupport(True, "template", "对话模板自带工具调用格式（apply_chat_template(tools=...)，<tool_call> 块）")
        return ToolSupport(True, "builtin", "对话模板不支持工具：使用内置的 Hermes/Qwen2.5 格式（工具写入系统提示，"
                                            "调用为 <tool_call> 块，结果为 <tool_response>）")

    def chat_tools(self, messages: list[ChatMessage], options: GenerationOptions,
                   tools: Sequence[ToolSpec]) -> AssistantReply:
        inputs = self._encode_prompts([self._tool_prompt(messages, tools)], options.max_tokens)
        prompt_length = inputs["input_ids"].shape[1]
        with self.lock, self.loras.use(options.adapter) as model:
            output = model.generate(**inputs, generation_config=self._config(options),
                                    stopping_criteria=stopping_criteria(self.tokenizer, options, prompt_length))
        new_tokens = output[0, prompt_length:]
        text = cut_at_stop(self.tokenizer.decode(new_tokens, skip_special_tokens=True), options.stop)
        return parse_tool_calls(text, int(prompt_length), int(new_tokens.shape[0]))

    def stream_tools(self, messages: list[ChatMessage], options: GenerationOptions,
                     tools: Sequence[ToolSpec]) -> Iterator[str | AssistantReply]:
        prompt = self._tool_prompt(messages, tools)
        hidden, pieces = HiddenCalls(), []
        for piece in self._stream_prompt(prompt, options):
            pieces.append(piece)
            shown = hidden.feed(piece)
            if shown:
                yield shown
        rest = hidden.flush()
        if rest:
            yield rest
        text = "".join(pieces)
        prompt_tokens = len(self.tokenizer(prompt, add_special_tokens=False)["input_ids"])
        completion_tokens = len(self.tokenizer(text, add_special_tokens=False)["input_ids"])
        yield parse_tool_calls(text, prompt_tokens, completion_tokens)

    def _tool_prompt(self, messages: list[ChatMessage], tools: Sequence[ToolSpec]) -> str:
        if self.tool_mode is None:
            raise ModelError("已关闭工具调用（设置项 models.llm.tool_calling: off）")
        return render_chat(self.tokenizer, messages, tools, self.tool_mode)

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
        yield from self._stream_prompt(render_prompts(self.tokenizer, [messages])[0], options)

    def _stream_prompt(self, prompt: str, options: GenerationOptions) -> Iterator[str]:
        from transformers import TextIteratorStreamer

        inputs = self._encode_prompts([prompt], options.max_tokens)
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
            "tools": self.tool_support().to_json(),
            "description": f"本地模型 {self.model_path.name}（{self.device}，{dtype}）{suffix}",
        }

    @property
    def context_length(self) -> int | None:
        """Most tokens (prompt + reply) the model was built for, from its config."""
        return getattr(self.model.config, "max_position_embeddings", None)

    def _encode(self, conversations: list[list[ChatMessage]], max_new_tokens: int) -> dict:
        return self._encode_prompts(render_prompts(self.tokenizer, conversations), max_new_tokens)

    def _encode_prompts(self, prompts: list[str], max_new_tokens: int) -> dict:
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
