"""Customer chat: one turn as JSON, one turn streamed as server-sent events, and the transcript."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter, HTTPException
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from app.api.deps import ServiceDep, SettingsDep
from app.auth import shopper_allowed
from app.service import MAX_INPUT_CHARS, ChatError

router = APIRouter(prefix="/api/chat", tags=["chat"])
logger = logging.getLogger(__name__)


class ChatRequest(BaseModel):
    session: str = Field(..., description="Conversation id chosen by the client.")
    user: str = Field(..., description="The shopper's user id (from the shop's login).")
    message: str = Field(..., max_length=MAX_INPUT_CHARS, description="The customer's message.")
    token: str | None = Field(None, description="The shop login's signature of `user` (needed when "
                                                "KEFU_SHOPPER_SECRET is set).")


def _check_shopper(settings: SettingsDep, user: str, token: str | None) -> None:
    if not shopper_allowed(settings, user, token):
        raise HTTPException(status_code=401, detail="this page is not signed in as that shopper")


@router.post("")
def chat(req: ChatRequest, service: ServiceDep, settings: SettingsDep) -> dict[str, Any]:
    """Run one turn and answer the turn's JSON (reply, intent, emotion, state, citations, actions, handoff)."""
    _check_shopper(settings, req.user, req.token)
    try:
        return service.run_turn(req.session, req.user, req.message)
    except ChatError as exc:
        raise HTTPException(status_code=400, detail=str(exc)) from exc


def _sse(events: Iterator[dict[str, Any]]) -> Iterator[str]:
    try:
        for event in events:
            yield f"data: {json.dumps(event, ensure_ascii=False)}\n\n"
    except ChatError as exc:
        yield f"data: {json.dumps({'type': 'error', 'detail': str(exc)}, ensure_ascii=False)}\n\n"
    except Exception:  # the page must not hang on "…": say so, the log has the cause
        logger.exception("streamed turn failed")
        yield f"data: {json.dumps({'type': 'error', 'detail': '服务暂时出错，请稍后再试'}, ensure_ascii=False)}\n\n"


@router.post("/stream")
def chat_stream(req: ChatRequest, service: ServiceDep, settings: SettingsDep) -> StreamingResponse:
    """The same turn as server-sent events: `chunk` events with reply text, then one `final` event."""
    _check_shopper(settings, req.user, req.token)
    return StreamingResponse(_sse(service.stream_turn(req.session, req.user, req.message)),
                             media_type="text/event-stream")


@router.get("/{session}/messages")
def messages(session: str, service: ServiceDep, settings: SettingsDep, user: str, after: int = 0,
             token: str | None = None) -> dict[str, Any]:
    """Transcript lines after index `after` (the page polls this for a human agent's messages)."""
    _check_shopper(settings, user, token)
    try:
        state = service.read_state(session)
    except ChatError as exc:
        raise HTTPException(status_code=400, detail=str(exc)) from exc
    if state is None or state.get("user_id") != user:
        raise HTTPException(status_code=404, detail="unknown session")
    lines = list(state.get("messages") or [])
    handoff = dict(state.get("handoff") or {"active": False})
    return {"messages": lines[max(after, 0):], "next": len(lines), "handoff": handoff}
