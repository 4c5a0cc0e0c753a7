"""Runs kefu's actions in-process through rasa-sdk's `ActionExecutor` (the same code path as the
action server's /webhook), so the graph needs no separate server.

    run_action("action_cancel_order", user_id="demo", slots={"order_id": "..."}, mode="check")

The session's user id and the mode always override any `kefu_user_id`/`kefu_mode` in `slots`.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from typing import Any, Literal

from rasa_sdk.executor import ActionExecutor

from app.actions.messages import text
from app.actions.protocol import MODE_SLOT, REQUEST_SLOT, USER_SLOT, Outcome
from app.settings import Settings, get_settings, use_settings

Mode = Literal["check", "execute"]

_EXECUTOR: ActionExecutor | None = None
_EXECUTOR_LOCK = threading.Lock()
_POOL: concurrent.futures.ThreadPoolExecutor | None = None
_LOOPS = threading.local()


class UnknownActionError(KeyError):
    """No registered action has this name."""


def get_executor() -> ActionExecutor:
    """The process's single ActionExecutor with every action of `app.actions` registered."""
    global _EXECUTOR
    with _EXECUTOR_LOCK:
        if _EXECUTOR is None:
            executor = ActionExecutor()
            executor.register_package("app.actions")
            _EXECUTOR = executor
        return _EXECUTOR


def action_names() -> list[str]:
    """Names of the registered actions."""
    return sorted(get_executor().actions)


def build_action_call(name: str, user_id: str, slots: dict[str, Any], mode: str,
                      request_id: str | None = None) -> dict[str, Any]:
    """The webhook payload rasa would send for this action."""
    sender = str(user_id)
    merged = {**(slots or {}), USER_SLOT: user_id, MODE_SLOT: "execute" if mode == "execute" else "check",
              REQUEST_SLOT: request_id}
    return {
        "next_action": name,
        "sender_id": sender,
        "tracker": {"sender_id": sender, "slots": merged, "latest_message": {}, "events": [], "paused": False,
                    "followup_action": None, "active_loop": {}, "latest_action_name": None},
        "domain": {},
        "version": None,
    }


def outcome_from_response(name: str, response: dict[str, Any] | None) -> Outcome:
    """The Outcome (json_message) carried by an executor/webhook response."""
    for message in (response or {}).get("responses", []):
        custom = message.get("custom")
        if custom:
            return Outcome(**custom)
    return Outcome(action=name, status="refused", reason_code="no_outcome", result={},
                   reason=text("refusals", "no_outcome", "zh"), reason_en=text("refusals", "no_outcome", "en"))


async def arun_action(name: str, *, user_id: str, slots: dict[str, Any], mode: Mode = "check",
                      request_id: str | None = None) -> Outcome:
    """Runs one action on the current event loop."""
    executor = get_executor()
    if name not in executor.actions:
        raise UnknownActionError(name)
    result = await executor.run(build_action_call(name, user_id, slots, mode, request_id))
    return outcome_from_response(name, result.model_dump() if result else None)


def run_action(name: str, *, user_id: str, slots: dict[str, Any], mode: Mode = "check",
               settings: Settings | None = None, request_id: str | None = None) -> Outcome:
    """Synchronous `arun_action` on the store of `settings` (default: the settings in force); safe to call
    while an event loop runs in this thread."""
    chosen = settings or get_settings()

    def call() -> Outcome:
        with use_settings(chosen):  # the actions find their store through the settings in force
            return _run_on_thread_loop(arun_action(name, user_id=user_id, slots=slots, mode=mode,
                                                   request_id=request_id))

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return call()
    return _pool().submit(call).result()


def _run_on_thread_loop(coroutine: Any) -> Outcome:
    """Runs the coroutine on this thread's own event loop, made once and reused: a new loop per action
    (asyncio.run) cost about a millisecond of CPU a turn."""
    loop = getattr(_LOOPS, "loop", None)
    if loop is None or loop.is_closed():
        loop = _LOOPS.loop = asyncio.new_event_loop()
    return loop.run_until_complete(coroutine)


def _pool() -> concurrent.futures.ThreadPoolExecutor:
    global _POOL
    with _EXECUTOR_LOCK:
        if _POOL is None:
            _POOL = concurrent.futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="kefu-action")
        return _POOL
