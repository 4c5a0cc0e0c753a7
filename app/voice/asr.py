"""Transcription through an OpenAI-compatible `/v1/audio/transcriptions` server (vLLM serving Whisper,
faster-whisper-server, FunASR's OpenAI endpoint...). No server configured, or one that fails: None,
and the browser's own transcript (or the shopper's typing) takes over."""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

from app.settings import Settings
from app.voice.audio import Recording

logger = logging.getLogger(__name__)


@lru_cache(maxsize=4)
def _client(base_url: str, api_key: str, timeout_s: float) -> Any:
    import openai

    return openai.OpenAI(base_url=base_url, api_key=api_key, timeout=timeout_s, max_retries=0)


def transcribe(settings: Settings, recording: Recording, language: str = "zh") -> str | None:
    """The server's transcript of the recording (sent as 16 kHz WAV), or None when there is no server or
    it fails within `asr_timeout_s`."""
    if not settings.asr_base_url:
        return None
    client = _client(settings.asr_base_url, settings.asr_api_key, settings.asr_timeout_s)
    try:
        result = client.audio.transcriptions.create(model=settings.asr_model, language=language,
                                                    file=("voice.wav", recording.wav_bytes(), "audio/wav"))
    except Exception as exc:  # noqa: BLE001 - a dead or slow server must not fail the shopper's turn
        logger.warning("transcription failed: %s: %s", type(exc).__name__, exc)
        return None
    text = str(getattr(result, "text", "") or "").strip()
    return text or None


def server_command(model: str = "openai/whisper-large-v3-turbo", port: int = 8002) -> list[str]:
    """The vLLM command that serves a Whisper model on the OpenAI transcription API (for a GPU host)."""
    return ["vllm", "serve", model, "--host", "0.0.0.0", "--port", str(port), "--served-model-name", "whisper"]
