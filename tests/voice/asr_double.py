"""A documented test double of an OpenAI-compatible transcription server (no speech recogniser runs here).

It speaks the real wire protocol (multipart POST /v1/audio/transcriptions with `file` and `model`, JSON
`{"text": ...}` back), checks that the upload is a readable WAV, and answers the transcript it was started
with. Run: python tests/voice/asr_double.py --port P --text "我的快递到哪了"
"""

from __future__ import annotations

import argparse
import io
import wave
from typing import Annotated

import uvicorn
from fastapi import FastAPI, File, Form, HTTPException, UploadFile


def make_app(text: str) -> FastAPI:
    app = FastAPI()

    @app.post("/v1/audio/transcriptions")
    async def transcriptions(file: Annotated[UploadFile, File()], model: Annotated[str, Form()],
                             language: Annotated[str | None, Form()] = None) -> dict[str, str]:
        data = await file.read()
        try:
            with wave.open(io.BytesIO(data)) as wav:
                frames = wav.getnframes()
        except (wave.Error, EOFError) as exc:
            raise HTTPException(status_code=400, detail=f"not a WAV file: {exc}") from exc
        if not frames:
            raise HTTPException(status_code=400, detail="empty audio")
        return {"text": text}

    return app


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--text", required=True)
    args = parser.parse_args()
    uvicorn.run(make_app(args.text), host="127.0.0.1", port=args.port, log_level="warning")
