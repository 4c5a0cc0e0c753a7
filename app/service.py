"""The conversation service: one function per use, shared by the CLI and the web API.

It owns the compiled turn graph and its checkpointer for one shop (SQLite under the data dir, or Postgres
with KEFU_DATABASE_URL). One session's turns never run at once, also across processes and nodes (a database
lock per session, storage.SessionLocks). When the database is lost during a turn nothing of the turn is
saved and the customer is told so (`TurnUnavailable`); the next turn, on any node, continues from the
last saved one.
"""

from __future__ import annotations

import logging
import re
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from langchain_core.runnables import RunnableConfig

from app.database import checkpointer, session_ids
from app.kpis.turnlog import TurnLog, row_from_turn
from app.settings import Settings
from app.transcripts import TranscriptStore, prune_checkpoints
from app.wiring import ShopServices
from graph.builder import build_graph
from graph.context import TurnContext
from graph.reply import quick, wording
from knowledge.language import detect_language
from storage import DatabaseUnavailable, IntegrityError, SessionBusy, SessionLocks
from storage.database import is_outage

logger = logging.getLogger(__name__)
_ID = re.compile(r"^[A-Za-z0-9_.:@\-]{1,128}$")
MAX_INPUT_CHARS = 100_000
# A turn is saved once, when it ends (a turn that raises is saved up to its failing step; a crash mid-turn
# loses the turn; a write executed just before a crash is protected by the action's own "already done" check).
DURABILITY = "exit"
STATE_KEYS = ("slots", "active_intent", "intent_stack", "pending_action", "awaiting_slot", "last_refusal",
              "unresolved_turns", "language", "turn", "handoff", "resolved", "tier", "dialogue_act", "pending_question",
              "asked", "follow_up")
# What `turn_result` reads: the graph emits only these after each step, not all of the state's channels.
OUTPUT_KEYS = [*STATE_KEYS, "emotion_history", "reply", "intent", "confidence", "entities", "citations", "actions",
               "timings", "voice_signal", "choices", "pilot", "passages"]


Guard = Callable[[], None] | None
"""A check run before a turn opens a new handoff ticket (it raises to refuse; app.wiring.GuardedHandoffs)."""


class ChatError(ValueError):
    """A request the service refuses (bad id, another user's session, unknown session)."""


class TurnUnavailable(RuntimeError):
    """The turn could not be saved (database lost or busy): nothing of it was kept. `result` is the turn JSON
    whose reply tells the customer so."""

    def __init__(self, result: dict[str, Any], cause: str) -> None:
        super().__init__(cause)
        self.result = result


def unavailable_result(session: str, message: str, why: str = "unavailable") -> dict[str, Any]:
    """The turn JSON of a message that could not be handled now (`why`: "unavailable", the turn could not be
    saved, or "turn_failed", a fault while handling it; the reply in the customer's language)."""
    language = "en" if detect_language(message) == "en" else "zh"
    handoff = {"active": False, "reason": None}
    return {"session": session, "reply": wording.text(why, language), "intent": "other",
            "confidence": 0.0, "entities": [], "emotion": {"label": "neutral", "intensity": 0.0},
            "state": {"handoff": handoff}, "citations": [], "actions": [], "handoff": handoff, "tier": None,
            "timings": {}, "error": why}


def check_id(value: Any, what: str) -> str:
    if not isinstance(value, str) or not _ID.match(value):
        raise ChatError(f"invalid {what}: use 1-128 letters, digits or ._:@-")
    return value


def turn_result(state: dict[str, Any], session: str) -> dict[str, Any]:
    """The JSON of one turn, as interfaces.md describes it."""
    emotions = state.get("emotion_history") or []
    emotion = {k: emotions[-1][k] for k in ("label", "intensity")} if emotions else {"label": "neutral",
                                                                                      "intensity": 0.0}
    handoff = {"active": False, "reason": None, **dict(state.get("handoff") or {})}
    public_state = {k: state.get(k) for k in STATE_KEYS}
    public_state["handoff"] = handoff
    public_state["slots"] = dict(state.get("slots") or {})
    public_state["emotion_history"] = emotions[-10:]
    language, choices = state.get("language"), list(state.get("choices") or [])
    titles = {p.get("policy_id"): p.get("title") for p in state.get("passages") or []}
    return {
        "session": session, "reply": state.get("reply", ""), "intent": state.get("intent", "other"),
        "confidence": state.get("confidence", 0.0), "entities": state.get("entities", []), "emotion": emotion,
        "state": public_state,
        "citations": [{**c, "title": titles.get(c.get("policy_id"))} for c in state.get("citations") or []],
        "actions": list(state.get("actions") or []), "handoff": handoff, "tier": state.get("tier"),
        "timings": state.get("timings", {}), "voice_signal": state.get("voice_signal"), "pilot": state.get("pilot"),
        "choices": quick.tappable(choices, language), "quick_replies": quick.quick_replies(state),
        "page_reply": quick.page_reply(state.get("reply", ""), choices, language),
    }


class ChatService:
    """Runs turns of kefu conversations against the shop in `settings.data_dir`."""

    def __init__(self, settings: Settings) -> None:
        settings.ensure_dirs()
        self.settings = settings
        self.saver = checkpointer(settings)
        self.graph = build_graph(self.saver)
        self.services = ShopServices(settings)
        self.transcripts = TranscriptStore(settings)
        self.turn_log = TurnLog(settings)
        self.locks = SessionLocks(settings.database_url, settings.data_dir, settings.db_pool_size,
                                  settings.db_timeout_s)

    def _lock(self, session: str) -> Any:
        """The session's lock (held for a whole turn or state change, on every node)."""
        return self.locks.hold(session)

    @staticmethod
    def _config(session: str) -> RunnableConfig:
        return {"configurable": {"thread_id": session}}

    def read_state(self, session: str) -> dict[str, Any] | None:
        """The stored dialogue state of a session, or None when it does not exist."""
        snapshot = self.graph.get_state(self._config(check_id(session, "session")))
        return dict(snapshot.values) if snapshot and snapshot.values else None

    def _prepare(self, session: str, user: str, message: Any, before_new_ticket: Guard) -> TurnContext:
        check_id(session, "session")
        check_id(user, "user")
        if not isinstance(message, str):
            raise ChatError("message must be a string")
        if len(message) > MAX_INPUT_CHARS:
            raise ChatError(f"message too long: at most {MAX_INPUT_CHARS} characters")
        return self.services.turn(user, session, before_new_ticket)

    def _saved_messages(self, session: str) -> tuple[Any, list[dict[str, Any]]]:
        """(owner, messages) of the newest checkpoint, read raw: 5x cheaper than get_state."""
        saved = self.saver.get_tuple(self._config(session))
        values = saved.checkpoint["channel_values"] if saved else {}
        return values.get("user_id"), list(values.get("messages") or [])

    def _check_owner(self, session: str, user: str) -> None:
        """Called under the session lock, so two users cannot both claim a new session."""
        owner, messages = self._saved_messages(session)
        if owner not in (None, user):
            raise ChatError("this session belongs to another user")
        if messages and "seq" not in messages[-1]:  # saved before the window: keep its whole transcript first
            self.transcripts.record(session, messages)

    def _saved(self, session: str) -> None:
        """After a state change (under the session lock): copy the new messages, drop old checkpoints."""
        self.transcripts.record(session, self._saved_messages(session)[1])
        prune_checkpoints(self.saver, session)

    @contextmanager
    def _turn(self, session: str, user: str) -> Iterator[None]:
        """A turn of `user` in `session`, under the session lock. Afterwards, also after a failed turn (whose
        state LangGraph saves up to the failing step), the new messages are copied and old checkpoints go."""
        with self._lock(session):
            self._check_owner(session, user)
            try:
                yield
            finally:
                self._saved(session)

    @contextmanager
    def _saving(self, session: str, message: str) -> Iterator[None]:
        """Database outages and a session stuck behind another turn, as TurnUnavailable."""
        try:
            yield
        except Exception as exc:
            if not (is_outage(exc) or isinstance(exc, SessionBusy)):
                raise
            logger.warning("turn of session %s not saved: %s", session, exc)
            raise TurnUnavailable(unavailable_result(session, message), str(exc)) from exc

    def transcript(self, session: str, after: int = 0) -> list[dict[str, Any]]:
        """The whole conversation (or the messages after number `after`), from the transcript store."""
        return self.transcripts.messages(check_id(session, "session"), after)

    def run_turn(self, session: str, user: str, message: str, before_new_ticket: Guard = None,
                 voice: dict[str, Any] | None = None) -> dict[str, Any]:
        """Run one customer turn and return the turn's JSON (`before_new_ticket`: see app.wiring; `voice`: the
        prosody of a voice message). Raises TurnUnavailable when the turn cannot be saved."""
        ctx = self._prepare(session, user, message, before_new_ticket)
        with self._saving(session, message), self._turn(session, user):
            began, started = time.time(), time.perf_counter()
            state = self.graph.invoke({"text": message, "voice": voice}, self._config(session), context=ctx,
                                      durability=DURABILITY, output_keys=OUTPUT_KEYS)
        result = turn_result(state, session)
        result["timings"]["total_ms"] = (time.perf_counter() - started) * 1000
        self._log_turn(session, user, began, result)
        return result

    def stream_turn(self, session: str, user: str, message: str,
                    before_new_ticket: Guard = None) -> Iterator[dict[str, Any]]:
        """Run one turn, yielding reply chunks as they are written and then the turn's JSON."""
        ctx = self._prepare(session, user, message, before_new_ticket)
        final: dict[str, Any] = {}
        with self._saving(session, message), self._turn(session, user):
            began, started = time.time(), time.perf_counter()
            for mode, data in self.graph.stream({"text": message, "voice": None}, self._config(session), context=ctx,
                                                stream_mode=["custom", "values"], durability=DURABILITY,
                                                output_keys=OUTPUT_KEYS):
                if mode == "custom" and isinstance(data, dict) and "chunk" in data:
                    yield {"type": "chunk", "text": data["chunk"]}
                elif mode == "custom" and isinstance(data, dict) and data.get("reset"):
                    yield {"type": "reset"}
                elif mode == "values":
                    final = data
        result = turn_result(final, session)
        result["timings"]["total_ms"] = (time.perf_counter() - started) * 1000
        self._log_turn(session, user, began, result)
        yield {"type": "final", **result}

    def _log_turn(self, session: str, user: str, began: float, result: dict[str, Any]) -> None:
        """The turn's row of the KPI log; a failure to log never fails the customer's turn."""
        try:
            self.turn_log.record(row_from_turn(session, user, began, result["timings"]["total_ms"], result))
        except (sqlite3.Error, DatabaseUnavailable, IntegrityError):
            logger.exception("turn of session %s not logged for the KPIs", session)

    def sessions(self) -> list[str]:
        """Ids of every stored conversation."""
        return session_ids(self.settings, self.saver)

    def post_agent_message(self, session: str, agent: str, text: str, notice: bool = False) -> None:
        """A human agent's message, appended to the conversation the customer sees; `notice` marks kefu's
        own lines sent in the agent's name (joined, handed back, closed), which training data leaves out."""
        state = self.read_state(session)
        if state is None:
            raise ChatError("unknown session")
        turn = int(state.get("turn", 0))
        message = {"role": "agent", "content": str(text)[: self.settings.max_message_chars], "turn": turn,
                   "agent": agent}
        if notice:
            message["notice"] = True
        with self._lock(session):
            self.graph.update_state(self._config(session), {"messages": [message]}, as_node="handoff")
            self._saved(session)

    def release_to_bot(self, session: str) -> None:
        """The human hands the conversation back: the bot answers the next message."""
        if self.read_state(session) is None:
            raise ChatError("unknown session")
        update = {"handoff": {"active": False, "reason": None, "ticket_id": None, "agent": None},
                  "unresolved_turns": 0, "pending_action": None}
        with self._lock(session):
            self.graph.update_state(self._config(session), update, as_node="handoff")
            self._saved(session)


@lru_cache(maxsize=8)
def get_service(settings: Settings) -> ChatService:
    """One service per shop settings in this process."""
    return ChatService(settings)


def warm_up(settings: Settings) -> None:
    """Create the demo shop and policies if missing and load the models, so the first turn is fast."""
    from app.store import ensure_demo_store
    from graph.nlu import load_nlu
    from knowledge import open_kb

    if not settings.shop_url:  # else the shop's own order API holds the orders
        ensure_demo_store(settings)
    load_nlu(settings).analyze("你好")
    open_kb(settings).search("退货", k=1)
    get_service(settings)


def run_turn(settings: Settings, session: str, user: str, message: str) -> dict[str, Any]:
    return get_service(settings).run_turn(session, user, message)


def read_state(settings: Settings, session: str) -> dict[str, Any] | None:
    return get_service(settings).read_state(session)


def transcript(settings: Settings, session: str, after: int = 0) -> list[dict[str, Any]]:
    return get_service(settings).transcript(session, after)


def post_agent_message(settings: Settings, session_id: str, agent: str, text: str, notice: bool = False) -> None:
    get_service(settings).post_agent_message(session_id, agent, text, notice)


def release_to_bot(settings: Settings, session_id: str) -> None:
    get_service(settings).release_to_bot(session_id)
