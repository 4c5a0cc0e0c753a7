"""`kefu asr ...`: the transcription server for voice messages (its launch line; one clip transcribed)."""

from __future__ import annotations

import argparse
import shlex
from pathlib import Path

from app.cli import CliError, emit
from app.settings import get_settings


def register(sub: argparse._SubParsersAction) -> None:
    asr = sub.add_parser("asr", help="voice transcription (OpenAI-compatible /v1/audio/transcriptions server)")
    asr_sub = asr.add_subparsers(dest="asr_command", required=True)
    cmd = asr_sub.add_parser("vllm-command", help="print the vLLM command that serves Whisper for kefu")
    cmd.add_argument("--model", default="openai/whisper-large-v3-turbo", help="Whisper model id or folder")
    cmd.add_argument("--port", type=int, default=8002)
    cmd.add_argument("--json", action="store_true", help="print the argv as a JSON list")
    cmd.set_defaults(func=_command)
    one = asr_sub.add_parser("transcribe", help="transcribe one audio file with KEFU_ASR_BASE_URL")
    one.add_argument("file", type=Path)
    one.set_defaults(func=_transcribe)


def _command(args: argparse.Namespace) -> int:
    from app.voice.asr import server_command

    argv = server_command(args.model, args.port)
    emit(argv if args.json else shlex.join(argv), as_json=args.json)
    return 0


def _transcribe(args: argparse.Namespace) -> int:
    from app.voice.asr import transcribe
    from app.voice.audio import AudioError, decode

    settings = get_settings()
    if not settings.asr_base_url:
        raise CliError("KEFU_ASR_BASE_URL is not set")
    if not args.file.is_file():
        raise CliError(f"no such file: {args.file}")
    try:
        recording = decode(args.file.read_bytes(), settings.voice_max_seconds)
    except AudioError as exc:
        raise CliError(str(exc)) from exc
    text = transcribe(settings, recording)
    if text is None:
        raise CliError(f"the transcription server at {settings.asr_base_url} gave no transcript")
    emit({"transcript": text, "seconds": round(recording.seconds, 2)})
    return 0
