"""How something was said: pitch level and range, loudness, speaking rate and pauses (Praat via parselmouth).

Figures are absolute here; graph/voice.py compares them with the same shopper's earlier voice turns.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from app.voice.audio import Recording

SILENCE_BELOW_PEAK_DB = 25.0
"""Frames quieter than the loudest frame by this much are silence."""
MIN_PAUSE_S = 0.25
_SYLLABLE = re.compile(r"[\u3400-\u9fff]")
_WORD = re.compile(r"[A-Za-z]+")


def _syllables(transcript: str) -> float:
    """Syllables spoken: one a Chinese character, about 1.4 an English word."""
    return len(_SYLLABLE.findall(transcript)) + 1.4 * len(_WORD.findall(transcript))


def _pauses(speech: np.ndarray, step_s: float) -> int:
    """Silent stretches of at least MIN_PAUSE_S between speech."""
    edges = np.flatnonzero(np.diff(np.concatenate([[1], speech.astype(int), [1]])))
    runs = np.diff(edges)[::2] if len(edges) >= 2 else np.array([])
    inner = runs[1:-1] if speech[0] == 0 else runs  # leading/trailing silence is not a pause
    return int(np.sum(inner * step_s >= MIN_PAUSE_S))


def prosody(recording: Recording, transcript: str = "", step_s: float = 0.01) -> dict[str, Any]:
    """The recording's prosodic features (NaN-free; None where a figure cannot be measured)."""
    import parselmouth

    sound = parselmouth.Sound(recording.samples.astype(np.float64), sampling_frequency=recording.rate)
    f0 = sound.to_pitch(time_step=step_s, pitch_floor=75.0, pitch_ceiling=500.0).selected_array["frequency"]
    db = sound.to_intensity(minimum_pitch=100.0, time_step=step_s).values[0]
    speech = db > db.max() - SILENCE_BELOW_PEAK_DB
    speech_s = float(speech.sum() * step_s)
    voiced = f0[f0 > 0]
    semitones = 12 * np.log2(voiced / 100.0) if len(voiced) else np.array([])
    syllables = _syllables(transcript)
    if not syllables:  # no transcript: count voicing onsets, a rougher syllable count
        syllables = float(np.sum(np.diff((f0 > 0).astype(int)) == 1))
    return {
        "duration_s": round(recording.seconds, 2),
        "speech_s": round(speech_s, 2),
        "pitch_st": round(float(np.median(semitones)), 2) if len(semitones) else None,
        "pitch_range_st": round(float(np.percentile(semitones, 90) - np.percentile(semitones, 10)), 2)
        if len(semitones) >= 5 else None,
        "loudness_db": round(float(db[speech].mean()), 1) if speech.any() else None,
        "rate_syll_s": round(syllables / speech_s, 2) if speech_s >= 0.2 else None,
        "pause_ratio": round(1.0 - speech_s / max(recording.seconds, 1e-6), 2),
        "pauses": _pauses(speech, step_s),
        "rate_from": "transcript" if _syllables(transcript) else "voicing",
    }
