"""Voice messages: prosody of locally synthesised Mandarin, the fused emotion, the API and its bad input."""

from __future__ import annotations

import io
import json
import wave

import numpy as np
import pytest
from fastapi.testclient import TestClient
from speech import ANGRY_WORDS, CALM, RAISED

from app.api.main import create_app
from app.settings import Settings
from app.voice.asr import transcribe
from app.voice.audio import AudioError, decode
from app.voice.prosody import prosody
from graph.voice import arousal, fuse


def _wav(seconds: float, rate: int = 16000) -> bytes:
    t = np.arange(int(seconds * rate)) / rate
    pcm = (0.3 * np.sin(2 * np.pi * 220 * t) * 32767).astype("<i2").tobytes()
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1), w.setsampwidth(2), w.setframerate(rate), w.writeframes(pcm)
    return out.getvalue()


@pytest.fixture
def client(tmp_path) -> TestClient:
    settings = Settings(data_dir=tmp_path / "shop", demo_users=10, demo_orders=100, voice_max_seconds=20)
    return TestClient(create_app(settings))


def _send(client: TestClient, audio: bytes, session: str, **form: str):
    return client.post("/api/chat/voice", data={"session": session, "user": "demo", **form},
                       files={"audio": ("voice.wav", audio, "audio/wav")})


def test_raised_voice_moves_every_feature_up_and_sounds_more_aroused(speak) -> None:
    calm = prosody(decode(speak(ANGRY_WORDS, **CALM), 60), ANGRY_WORDS)
    raised = prosody(decode(speak(ANGRY_WORDS, **RAISED), 60), ANGRY_WORDS)
    assert raised["pitch_st"] > calm["pitch_st"] + 3
    assert raised["loudness_db"] > calm["loudness_db"] + 3
    assert raised["rate_syll_s"] > calm["rate_syll_s"] * 1.2
    assert arousal(raised) > 0.5 > arousal(calm)


def test_the_shoppers_own_calm_voice_is_the_baseline(speak) -> None:
    calm = prosody(decode(speak("我想问一下退货的事情", **CALM), 60), "我想问一下退货的事情")
    raised = prosody(decode(speak(ANGRY_WORDS, **RAISED), 60), ANGRY_WORDS)
    assert arousal(raised, [calm]) > arousal(raised)  # louder and higher than this shopper usually is
    assert abs(arousal(calm, [calm]) - arousal(calm)) < 0.3


def test_fusion_moves_intensity_not_the_label() -> None:
    angry = {"label": "angry", "intensity": 0.6}
    assert fuse(angry, 0.9)["intensity"] > 0.6 > fuse(angry, 0.1)["intensity"]
    assert fuse(angry, 1.0)["label"] == "angry" and fuse(angry, 1.0)["intensity"] <= 0.8 + 1e-9
    assert fuse({"label": "neutral", "intensity": 0.0}, 1.0) == {
        "label": "neutral", "intensity": 0.0, "text_intensity": 0.0, "voice_arousal": 1.0}


def test_the_same_words_said_louder_and_faster_carry_more_anger(client, speak) -> None:
    calm = _send(client, speak(ANGRY_WORDS, **CALM), "v-calm", transcript=ANGRY_WORDS)
    raised = _send(client, speak(ANGRY_WORDS, **RAISED), "v-raised", transcript=ANGRY_WORDS)
    assert calm.status_code == raised.status_code == 200, (calm.text, raised.text)
    calm, raised = calm.json(), raised.json()
    assert calm["transcript"] == raised["transcript"] == ANGRY_WORDS and calm["reply"]
    assert calm["voice"]["features"]["pitch_st"] < raised["voice"]["features"]["pitch_st"]
    assert raised["emotion"]["label"] == calm["emotion"]["label"]
    assert raised["emotion"]["intensity"] > calm["emotion"]["intensity"]
    history = raised["state"]["emotion_history"][-1]
    assert history["voice_arousal"] == raised["voice"]["arousal"] and "text_intensity" in history


@pytest.mark.parametrize("audio,status", [(b"", 400), (b"this is not audio at all" * 50, 415), (_wav(30), 413)])
def test_bad_audio_is_refused_with_a_clear_4xx_and_no_turn_is_run(client, audio, status) -> None:
    response = _send(client, audio, "v-bad", transcript="我的快递到哪了")
    assert response.status_code == status and response.json()["detail"]
    assert client.post("/api/chat", json={"session": "v-bad", "user": "demo", "message": "你好"}).json()[
        "state"]["turn"] == 1  # nothing was stored for the refused voice message


def test_an_upload_over_the_size_limit_is_413(tmp_path) -> None:
    small = TestClient(create_app(Settings(data_dir=tmp_path / "s", demo_users=5, demo_orders=20,
                                           voice_max_bytes=10_000)))
    assert _send(small, _wav(2), "v-big", transcript="你好").status_code == 413


def test_without_any_transcript_the_shopper_is_asked_to_type(client) -> None:
    response = _send(client, _wav(1.5), "v-none")
    assert response.status_code == 422 and "打字" in response.json()["detail"]


def test_decode_rejects_silence_that_is_too_short() -> None:
    with pytest.raises(AudioError):
        decode(_wav(0.05), 60)


def test_the_transcription_server_is_asked_and_its_text_wins(client, speak, asr_server, tmp_path) -> None:
    base = asr_server("我要转人工")
    settings = Settings(data_dir=tmp_path / "asr", asr_base_url=base)
    assert transcribe(settings, decode(speak("你好", **CALM), 60)) == "我要转人工"
    with_asr = TestClient(create_app(Settings(data_dir=tmp_path / "shop2", demo_users=10, demo_orders=100,
                                              asr_base_url=base)))
    turn = _send(with_asr, speak("你好", **CALM), "v-asr", transcript="你好").json()
    assert turn["transcript"] == "我要转人工" and turn["intent"] == "human_agent"


def test_a_dead_transcription_server_falls_back_to_the_browser_transcript(speak, tmp_path) -> None:
    settings = Settings(data_dir=tmp_path / "dead", asr_base_url="http://127.0.0.1:9/v1", asr_timeout_s=2)
    assert transcribe(settings, decode(speak("你好", **CALM), 60)) is None


def test_the_cli_prints_the_server_line_and_transcribes_a_file(speak, asr_server, tmp_path, monkeypatch,
                                                               capsys) -> None:
    from app.cli import main
    from app.settings import get_settings

    assert main(["asr", "vllm-command", "--json"]) == 0
    argv = json.loads(capsys.readouterr().out)
    assert argv[:3] == ["vllm", "serve", "openai/whisper-large-v3-turbo"] and "whisper" in argv
    clip = tmp_path / "clip.wav"
    clip.write_bytes(speak("你好", **CALM))
    monkeypatch.setenv("KEFU_ASR_BASE_URL", asr_server("你好呀"))
    get_settings.cache_clear()
    try:
        assert main(["asr", "transcribe", str(clip)]) == 0
        assert json.loads(capsys.readouterr().out)["transcript"] == "你好呀"
        assert main(["asr", "transcribe", str(tmp_path / "missing.wav")]) == 2
    finally:
        get_settings.cache_clear()


def test_voice_messages_follow_the_chat_apis_identity_rules(tmp_path) -> None:
    secret = "s" * 40
    signed = TestClient(create_app(Settings(data_dir=tmp_path / "p", demo_users=5, demo_orders=20,
                                            shopper_secret=secret)))
    assert _send(signed, _wav(1.5), "v-id", transcript="你好").status_code == 401
    from app.shopper import mint

    token = mint(secret, "demo", 600)
    assert _send(signed, _wav(1.5), "v-id", transcript="你好", token=token).status_code == 200
