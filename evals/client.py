"""Talk to kefu the way the web page does: `POST /api/chat`, one JSON turn result per message.

The same client works against a running `kefu serve` (a base URL) and in-process (FastAPI's
TestClient over `create_app(settings)`), so every suite measures the real API path.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

REQUIRED_KEYS = ("reply", "intent", "state", "actions", "handoff")


@dataclass
class TurnResult:
    """One customer message and what kefu answered (or how the call failed)."""

    message: str
    latency_ms: float
    status_code: int = 0
    data: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    """None for a valid answer; else timeout | http_5xx | http_4xx | invalid_json | transport."""

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def reply(self) -> str:
        return str(self.data.get("reply") or "")

    @property
    def intent(self) -> str:
        return str(self.data.get("intent") or "")

    @property
    def state(self) -> dict[str, Any]:
        state = self.data.get("state")
        return state if isinstance(state, dict) else {}

    @property
    def actions(self) -> list[dict[str, Any]]:
        actions = self.data.get("actions")
        return [a for a in actions if isinstance(a, dict)] if isinstance(actions, list) else []

    @property
    def handoff_active(self) -> bool:
        handoff = self.data.get("handoff")
        return bool(handoff.get("active")) if isinstance(handoff, dict) else False

    @property
    def tier(self) -> str:
        """Who wrote the reply: front | composer | llm | agent | guard ('' when not reported)."""
        return str(self.data.get("tier") or self.state.get("tier") or "")

    @property
    def emotion(self) -> dict[str, Any]:
        emotion = self.data.get("emotion")
        return emotion if isinstance(emotion, dict) else {}

    def to_json(self) -> dict[str, Any]:
        return {
            "message": self.message,
            "latency_ms": round(self.latency_ms, 2),
            "status_code": self.status_code,
            "error": self.error,
            "data": self.data,
        }


def classify_response(status_code: int, body: bytes) -> tuple[dict[str, Any], str | None]:
    """Parse one /api/chat answer; return (data, error) where error names what was wrong."""
    if status_code >= 500:
        return {}, "http_5xx"
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return {}, "invalid_json"
    if status_code >= 400:
        return data if isinstance(data, dict) else {}, "http_4xx"
    if not isinstance(data, dict) or any(key not in data for key in REQUIRED_KEYS):
        return data if isinstance(data, dict) else {}, "invalid_json"
    if not isinstance(data["reply"], str):
        return data, "invalid_json"
    return data, None


class ChatClient:
    """Synchronous /api/chat client over any httpx.Client (a real socket or the in-process app)."""

    def __init__(self, http: httpx.Client, closer: Any = None) -> None:
        self._http = http
        self._closer = closer

    def send(self, session: str, user: str, message: str) -> TurnResult:
        """Run one turn; never raises for a failed call (the failure is in the result)."""
        payload = {"session": session, "user": user, "message": message}
        start = time.perf_counter()
        try:
            response = self._http.post("/api/chat", json=payload)
        except httpx.TimeoutException:
            return TurnResult(message, _ms_since(start), error="timeout")
        except httpx.HTTPError as exc:
            return TurnResult(message, _ms_since(start), error=f"transport: {type(exc).__name__}")
        except Exception as exc:  # noqa: BLE001 - an in-process app that crashes surfaces here
            return TurnResult(
                message, _ms_since(start), status_code=500, error=f"crash: {type(exc).__name__}"
            )
        latency = _ms_since(start)
        data, error = classify_response(response.status_code, response.content)
        return TurnResult(message, latency, response.status_code, data, error)

    def close(self) -> None:
        if self._closer is not None:
            self._closer()
        else:
            self._http.close()


def http_client(base_url: str, timeout_s: float = 30.0) -> ChatClient:
    """Client for a running `kefu serve` at base_url."""
    return ChatClient(httpx.Client(base_url=base_url.rstrip("/"), timeout=timeout_s))


def inprocess_client(settings: Any) -> ChatClient:
    """Client that runs `create_app(settings)` inside this process (no socket)."""
    from fastapi.testclient import TestClient

    from app.api.main import create_app
    from evals.server import without_rate_limits

    test_client = TestClient(create_app(without_rate_limits(settings)), raise_server_exceptions=False)
    test_client.__enter__()  # run the app's startup (lifespan) once

    def closer() -> None:
        test_client.__exit__(None, None, None)

    return ChatClient(test_client, closer)


def _ms_since(start: float) -> float:
    return (time.perf_counter() - start) * 1000.0
