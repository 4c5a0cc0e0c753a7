"""Request guards around every route (pure ASGI, so streamed replies pass untouched).

- `BodyLimit`: a body over the limit is refused with 413 before it is read (by its Content-Length), or
  as soon as the bytes read pass the limit (a chunked body);
- `SecurityHeaders`: CSP (inline scripts allowed by hash only), frame-ancestors, nosniff, referrer policy.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Iterable
from pathlib import Path

from starlette.types import ASGIApp, Message, Receive, Scope, Send

_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.DOTALL | re.IGNORECASE)


async def _send_json(send: Send, status: int, detail: str, headers: Iterable[tuple[bytes, bytes]] = ()) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close"), *headers]})
    await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass


class BodyLimit:
    """413 for bodies over `default` bytes (or over the limit of the longest matching path prefix)."""

    def __init__(self, app: ASGIApp, default: int, prefixes: dict[str, int] | None = None) -> None:
        self.app, self.default = app, default
        self.prefixes = sorted((prefixes or {}).items(), key=lambda kv: -len(kv[0]))

    def limit_for(self, path: str) -> int:
        return next((limit for prefix, limit in self.prefixes if path.startswith(prefix)), self.default)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        too_large = f"request body is larger than {limit} bytes"
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None:
            if not length.isdigit():
                await _send_json(send, 400, "malformed Content-Length")
                return
            if int(length) > limit:
                await _send_json(send, 413, too_large)
                return
        state = {"read": 0, "over": False, "started": False}

        async def counted() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                state["read"] += len(message.get("body", b""))
                if state["read"] > limit:
                    state["over"] = True
                    raise _TooLarge
            return message

        async def guarded_send(message: Message) -> None:
            if state["over"]:  # the app answered its own error for the cut body: ours goes instead
                if message["type"] == "http.response.start" and not state["started"]:
                    state["started"] = True
                    await _send_json(send, 413, too_large)
                return
            state["started"] = state["started"] or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, guarded_send)
        except _TooLarge:
            if not state["started"]:
                await _send_json(send, 413, too_large)


def inline_script_hashes(pages: Iterable[Path]) -> list[str]:
    """CSP source expressions ('sha256-...') of the inline <script> blocks of `pages`."""
    out = []
    for page in pages:
        for body in _INLINE_SCRIPT.findall(page.read_text(encoding="utf-8")):
            digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
            out.append(f"'sha256-{digest}'")
    return sorted(set(out))


def content_security_policy(script_hashes: Iterable[str], frame_ancestors: str) -> str:
    return "; ".join([
        "default-src 'self'", f"script-src 'self' {' '.join(script_hashes)}".strip(),
        "style-src 'self' 'unsafe-inline'", "img-src 'self' data:", "media-src 'self' blob:", "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'", "form-action 'self'", f"frame-ancestors {frame_ancestors}"])


# FastAPI's /docs and /redoc load Swagger UI / ReDoc from a CDN with an inline start-up script.
DOCS_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
            "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.googleapis.com; "
            "img-src 'self' data: https://fastapi.tiangolo.com https://cdn.redoc.ly; "
            "font-src https://fonts.gstatic.com; worker-src blob:; frame-ancestors 'none'")


class SecurityHeaders:
    """CSP, frame-ancestors, nosniff and referrer policy on every response."""

    def __init__(self, app: ASGIApp, web_dir: Path, chat_frame_ancestors: str = "'none'") -> None:
        self.app = app
        hashes = inline_script_hashes(sorted(web_dir.glob("*.html")))
        self.csp = content_security_policy(hashes, "'none'")
        self.chat_csp = content_security_policy(hashes, chat_frame_ancestors or "'none'")
        self.chat_framable = (chat_frame_ancestors or "'none'") != "'none'"

    def headers_for(self, path: str) -> list[tuple[bytes, bytes]]:
        chat = path == "/"
        csp = DOCS_CSP if path in ("/docs", "/redoc") else self.chat_csp if chat else self.csp
        headers = [(b"content-security-policy", csp.encode()), (b"x-content-type-options", b"nosniff"),
                   (b"referrer-policy", b"no-referrer")]
        if not (chat and self.chat_framable):
            headers.append((b"x-frame-options", b"DENY"))
        return headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = self.headers_for(scope["path"])

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message = {**message, "headers": [*message.get("headers", []),
                                                  *[(k, v) for k, v in extra if k not in names]]}
            await send(message)

        await self.app(scope, receive, with_headers)
