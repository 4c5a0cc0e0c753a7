"""Decoding an uploaded recording (WAV, WebM/Opus, Ogg, MP3, M4A...) into mono samples with PyAV."""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np

SAMPLE_RATE = 16_000
"""Rate the prosody and the transcription server receive (speech needs no more)."""


class AudioError(ValueError):
    """A recording kefu cannot use; `status` is the HTTP status it answers with."""

    def __init__(self, message: str, status: int = 415) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Recording:
    """Mono float samples in [-1, 1] at SAMPLE_RATE."""

    samples: np.ndarray
    rate: int

    @property
    def seconds(self) -> float:
        return len(self.samples) / self.rate

    def wav_bytes(self) -> bytes:
        """The recording as 16-bit PCM WAV (what transcription servers accept everywhere)."""
        import wave

        pcm = (np.clip(self.samples, -1.0, 1.0) * 32767).astype("<i2").tobytes()
        out = io.BytesIO()
        with wave.open(out, "wb") as wav:
            wav.setnchannels(1)
            wav.setsampwidth(2)
            wav.setframerate(self.rate)
            wav.writeframes(pcm)
        return out.getvalue()


def decode(data: bytes, max_seconds: float) -> Recording:
    """The recording in `data`; AudioError when it is empty, not audio, silent-empty or too long."""
    import av

    if not data:
        raise AudioError("the recording is empty", 400)
    chunks: list[np.ndarray] = []
    total = 0
    try:
        with av.open(io.BytesIO(data), mode="r") as container:
            if not container.streams.audio:
                raise AudioError("the file holds no audio")
            resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
            for frame in container.decode(audio=0):
                for out in resampler.resample(frame):
                    block = out.to_ndarray().reshape(-1)
                    total += len(block)
                    if total > max_seconds * SAMPLE_RATE:
                        raise AudioError(f"the recording is longer than {max_seconds:.0f} seconds", 413)
                    chunks.append(block)
    except AudioError:
        raise
    except (av.error.FFmpegError, ValueError, OSError) as exc:  # not a format any decoder knows
        raise AudioError(f"the file is not audio kefu can read ({type(exc).__name__})") from exc
    if not chunks or total < SAMPLE_RATE * 0.2:
        raise AudioError("the recording has no sound (shorter than 0.2 s)", 400)
    return Recording(np.concatenate(chunks).astype(np.float32), SAMPLE_RATE)
