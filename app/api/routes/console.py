"""The human agent console: the `/console` page and its JSON API (agents only)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from app.api.security import require_role
from app.auth import Account
from app.console import MAX_AGENT_MESSAGE_CHARS, Console
from graph.handoff import HandoffError, TicketConflict, TicketNotFound

router = APIRouter(tags=["console"])
PAGE = Path(__file__).resolve().parents[2] / "web" / "console.html"
AgentDep = Annotated[Account, Depends(require_role("agent"))]


class MessageIn(BaseModel):
    text: str = Field(min_length=1, max_length=MAX_AGENT_MESSAGE_CHARS)


def _console(request: Request, agent: Account) -> Console:
    return Console(request.app.state.settings, agent.login)


@contextmanager
def _errors() -> Iterator[None]:
    """Turn queue errors into HTTP answers: 404 unknown ticket, 409 held/ended, 400 bad input."""
    try:
        yield
    except TicketNotFound as exc:
        raise HTTPException(404, str(exc)) from exc
    except TicketConflict as exc:
        raise HTTPException(409, str(exc)) from exc
    except HandoffError as exc:
        raise HTTPException(400, str(exc)) from exc


@router.get("/console", response_class=HTMLResponse, include_in_schema=False)
def console_page() -> str:
    """The console page (it logs in through /api/auth/login)."""
    return PAGE.read_text(encoding="utf-8")


@router.get("/api/console/queue")
def queue(request: Request, agent: AgentDep) -> dict[str, Any]:
    """Waiting tickets, most urgent first, and the caller's own tickets (also a heartbeat)."""
    return _console(request, agent).overview()


@router.post("/api/console/heartbeat")
def heartbeat(request: Request, agent: AgentDep) -> dict[str, Any]:
    """Mark the caller online (new handoffs queue only while an agent is online)."""
    console = _console(request, agent)
    console.queue.heartbeat(agent.login)
    return {"agents_online": console.queue.agents_online()}


@router.get("/api/console/tickets/{ticket_id}")
def ticket(ticket_id: int, request: Request, agent: AgentDep) -> dict[str, Any]:
    """A ticket: summary, slots, emotion trajectory and the live transcript."""
    with _errors():
        return _console(request, agent).detail(ticket_id)


@router.post("/api/console/tickets/{ticket_id}/take")
def take(ticket_id: int, request: Request, agent: AgentDep) -> dict[str, Any]:
    """Take the conversation (409 when another agent holds it)."""
    with _errors():
        return _console(request, agent).take(ticket_id)


@router.post("/api/console/tickets/{ticket_id}/message")
def message(ticket_id: int, body: MessageIn, request: Request, agent: AgentDep) -> dict[str, Any]:
    """Send the customer a message (only the agent holding the ticket)."""
    with _errors():
        return _console(request, agent).message(ticket_id, body.text)


@router.post("/api/console/tickets/{ticket_id}/release")
def release(ticket_id: int, request: Request, agent: AgentDep) -> dict[str, Any]:
    """Hand the conversation back to the bot."""
    with _errors():
        return _console(request, agent).release(ticket_id)


@router.post("/api/console/tickets/{ticket_id}/close")
def close(ticket_id: int, request: Request, agent: AgentDep) -> dict[str, Any]:
    """Close the ticket (the customer is invited to rate the conversation)."""
    with _errors():
        return _console(request, agent).close(ticket_id)
