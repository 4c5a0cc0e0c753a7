"""Customer chat: one turn as JSON, one turn streamed as server-sent events, and the transcript."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, Field

from app.api.deps import AddressDep, LimitsDep, ServiceDep, check_shopper, too_many
from app.limits import RateLimited
from app.service import MAX_INPUT_CHARS, ChatError, TurnUnavailable, unavailable_result

router = APIRouter(prefix="/api/chat", tags=["chat"])
logger = logging.getLogger(__name__)


class ChatRequest(BaseModel):
    session: str = Field(..., description="Conversation id chosen by the client.")
    user: str = Field(..., description="The shopper's user id (from the shop's login).")
    message: str = Field(..., max_length=MAX_INPUT_CHARS, description="The customer's message.")
    token: str | None = Field(None, max_length=200, description="The shopper token from the shop's login "
                              "(`kefu shopper-token`); needed when KEFU_SHOPPER_SECRET is set. Or send it as the "
                              "X-Shopper-Token header.")


def _admit(request: Request, req: ChatRequest, limits: LimitsDep, address: str) -> Callable[[], None]:
    """Check the shopper and count the turn; the check to run before a new handoff ticket."""
    check_shopper(request, req.user, req.token)
    try:
        limits.turn(req.user, address)
    except RateLimited as exc:
        raise too_many(exc) from exc
    return lambda: limits.handoff(req.user, address)


@router.post("", responses={503: {"description": "The turn could not be saved now: its JSON's reply says so."},
                            500: {"description": "A fault while handling the turn: its JSON's reply says so."}})
def chat(req: ChatRequest, request: Request, service: ServiceDep, limits: LimitsDep,
         address: AddressDep) -> Any:
    """Run one turn and answer the turn's JSON (reply, intent, emotion, state, citations, actions, handoff).
    401 without a valid shopper token (when one is needed), 429 over a rate limit (with Retry-After)."""
    guard = _admit(request, req, limits, address)
    try:
        return service.run_turn(req.session, req.user, req.message, before_new_ticket=guard)
    except ChatError as exc:
        raise HTTPException(status_code=400, detail=str(exc)) from exc
    except RateLimited as exc:  # a new handoff ticket over the limit: none was opened
        raise too_many(exc) from exc
    except TurnUnavailable as exc:
        return JSONResponse(status_code=503, content=exc.result)
    except Exception:  # a fault in kefu itself: the customer is told in words, the log has the cause
        logger.exception("turn of session %s failed", req.session)
        return JSONResponse(status_code=500, content=unavailable_result(req.session, req.message, "turn_failed"))


def _sse(events: Iterator[dict[str, Any]]) -> Iterator[str]:
    try:
        for event in events:
            yield f"data: {json.dumps(event, ensure_ascii=False)}\n\n"
    except (ChatError, RateLimited) as exc:
        status = 429 if isinstance(exc, RateLimited) else 400
        yield f"data: {json.dumps({'type': 'error', 'detail': str(exc), 'status': status}, ensure_ascii=False)}\n\n"
    except TurnUnavailable as exc:
        event = {"type": "error", "detail": exc.result["reply"], "status": 503}
        yield f"data: {json.dumps(event, ensure_ascii=False)}\n\n"
    except Exception:  # the page must not hang on "…": say so, the log has the cause
        logger.exception("streamed turn failed")
        yield f"data: {json.dumps({'type': 'error', 'detail': '服务暂时出错，请稍后再试'}, ensure_ascii=False)}\n\n"


@router.post("/stream")
def chat_stream(req: ChatRequest, request: Request, service: ServiceDep, limits: LimitsDep,
                address: AddressDep) -> StreamingResponse:
    """The same turn as server-sent events: `chunk` events with reply text, then one `final` event (or an
    `error` event with `detail` and `status`, e.g. 429 for a handoff request over the limit)."""
    guard = _admit(request, req, limits, address)
    return StreamingResponse(_sse(service.stream_turn(req.session, req.user, req.message, before_new_ticket=guard)),
                             media_type="text/event-stream")


@router.get("/{session}/messages")
def messages(session: str, request: Request, service: ServiceDep, user: str, after: int = 0) -> dict[str, Any]:
    """The whole conversation's lines numbered after `after` (the page polls this for a human agent's
    messages); the shopper token goes in the X-Shopper-Token header."""
    check_shopper(request, user, None)
    try:
        state = service.read_state(session)
        lines = service.transcript(session, after)
    except ChatError as exc:
        raise HTTPException(status_code=400, detail=str(exc)) from exc
    if state is None or state.get("user_id") != user:
        raise HTTPException(status_code=404, detail="unknown session")
    handoff = dict(state.get("handoff") or {"active": False})
    nxt = lines[-1]["seq"] if lines else service.transcripts.last_seq(session)
    return {"messages": lines, "next": nxt, "handoff": handoff}
