"""Voice messages: one chat turn from a recording (its transcript is the message, its prosody the voice signal)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile
from starlette.concurrency import run_in_threadpool

from app.api.deps import AddressDep, LimitsDep, ServiceDep, SettingsDep, check_shopper, too_many
from app.limits import RateLimited
from app.service import MAX_INPUT_CHARS, ChatError
from app.voice.asr import transcribe
from app.voice.audio import AudioError, decode
from app.voice.prosody import prosody
from graph.reply import wording

router = APIRouter(prefix="/api/chat", tags=["chat"])


async def _read_capped(audio: UploadFile, limit: int) -> bytes:
    data = await audio.read(limit + 1)
    if len(data) > limit:
        raise HTTPException(status_code=413, detail=f"the recording is larger than {limit // 1000} kB")
    return data


@router.post("/voice")
async def chat_voice(
    request: Request,
    service: ServiceDep,
    settings: SettingsDep,
    limits: LimitsDep,
    address: AddressDep,
    session: Annotated[str, Form()],
    user: Annotated[str, Form()],
    audio: Annotated[UploadFile, File(description="The recording (WAV, WebM/Opus, Ogg, MP3, M4A).")],
    token: Annotated[str | None, Form()] = None,
    transcript: Annotated[str | None, Form(max_length=MAX_INPUT_CHARS)] = None,
) -> dict[str, Any]:
    """Run one turn from a voice message: the /api/chat JSON plus `transcript` and `voice` (the prosody
    features and the voice emotion estimate). The transcription server's text wins over the browser's.
    The same identity rules and rate limits as /api/chat; bad audio is a 4xx and runs no turn."""
    check_shopper(request, user, token)
    try:
        limits.turn(user, address)
    except RateLimited as exc:
        raise too_many(exc) from exc
    data = await _read_capped(audio, settings.voice_max_bytes)
    try:
        recording = await run_in_threadpool(decode, data, settings.voice_max_seconds)
    except AudioError as exc:
        raise HTTPException(status_code=exc.status, detail=str(exc)) from exc
    heard = await run_in_threadpool(transcribe, settings, recording) or (transcript or "").strip()
    if not heard:
        raise HTTPException(status_code=422, detail=wording.text("voice_not_understood", "zh"))
    features = await run_in_threadpool(prosody, recording, heard)
    try:
        result = await run_in_threadpool(service.run_turn, session, user, heard,
                                         lambda: limits.handoff(user, address), features)
    except ChatError as exc:
        raise HTTPException(status_code=400, detail=str(exc)) from exc
    except RateLimited as exc:  # a new handoff ticket over the limit: none was opened
        raise too_many(exc) from exc
    signal = result.get("voice_signal") or {}
    result["transcript"] = heard
    fused = signal.get("emotion") or result["emotion"]
    result["voice"] = {"features": features, "arousal": signal.get("arousal"),
                       "emotion": {"label": fused.get("label"), "intensity": fused.get("intensity")}}
    return result
