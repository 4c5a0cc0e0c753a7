"""Shopper tokens: the shop's login vouches for a user id until a time, and kefu checks it on the chat API.

A token is `v1.<expires>.<signature>`: `expires` is a Unix time in whole seconds and `signature` the hex
HMAC-SHA256 of `v1|<user id>|<expires>` under `KEFU_SHOPPER_SECRET`. The format is this plain on purpose:
a shop's login written in any language mints the same token in three lines (SECURITY.md shows them), so
it is not a Python-only signing library's format. Tokens travel in the JSON body (`token`) or the
`X-Shopper-Token` header, never in a URL.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time

from app.settings import Settings

TOKEN_HEADER = "X-Shopper-Token"
MAX_TOKEN_CHARS = 200
_TOKEN = re.compile(r"v1\.([0-9]{1,12})\.([0-9a-f]{64})")


def _signature(secret: str, user_id: str, expires: int) -> str:
    message = f"v1|{user_id}|{expires}".encode()
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def mint(secret: str, user_id: str, ttl_s: float, now: float | None = None) -> str:
    """A token that speaks for `user_id` for `ttl_s` seconds from now."""
    expires = int((time.time() if now is None else now) + ttl_s)
    return f"v1.{expires}.{_signature(secret, user_id, expires)}"


def valid(secret: str, user_id: str, token: object, now: float | None = None) -> bool:
    """Whether `token` was signed with `secret` for `user_id` and has not expired.

    Anything malformed (not text, too long, non-ASCII, wrong shape) is simply not valid."""
    if not isinstance(token, str) or not isinstance(user_id, str) or len(token) > MAX_TOKEN_CHARS:
        return False
    match = _TOKEN.fullmatch(token)
    if match is None:
        return False
    expires = int(match.group(1))
    if expires <= (time.time() if now is None else now):
        return False
    return hmac.compare_digest(_signature(secret, user_id, expires).encode(), match.group(2).encode())


def shopper_allowed(settings: Settings, user_id: str, token: object) -> bool:
    """Whether a chat request may speak for `user_id`: a valid token when a secret is set; without one only
    in demo mode (production never starts without a secret, and refuses here too if it somehow did)."""
    if settings.shopper_secret:
        return valid(settings.shopper_secret, user_id, token)
    return not settings.production
