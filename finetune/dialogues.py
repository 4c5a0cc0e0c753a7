"""The dialogue JSONL format that every stage of the pipeline reads and writes.

One dialogue per line (UTF-8)::

    {"id": "t-000123",                      # required, unique string
     "source": "ticket",                     # optional: ticket | kefu | synthetic | ...
     "category": "fresh",                    # optional product category (catalogue key)
     "intent": "return_request",             # optional dialogue-level intent (taxonomy label)
     "rating": 6,                            # optional satisfaction 0-10 (kefu's ratings table)
     "resolved": true,                       # optional: the issue was solved in this contact
     "created_at": "2026-11-20T10:00:00Z",   # optional
     "turns": [                              # required, non-empty
        {"role": "customer", "text": "...", "intent": "...", "emotion": "angry",
         "intensity": 0.8, "ts": "..."},
        {"role": "agent", "text": "...", "by": "bot", "latency_s": 1.2}]}

Roles: `customer` (aliases user, buyer) and `agent` (aliases assistant, bot, human, staff). `by`
says who answered: "bot" or "human"; when absent it follows the role (assistant/bot → bot,
agent/human/staff → human, as in kefu's transcripts and ticket logs). `system` turns are skipped. `messages`
is accepted in place of `turns` and
`content` in place of `text`, so kefu's own transcript export (graph state messages) loads as is.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROLE_ALIASES: dict[str, str] = {
    "customer": "customer",
    "user": "customer",
    "buyer": "customer",
    "human_user": "customer",
    "agent": "agent",
    "assistant": "agent",
    "bot": "agent",
    "human": "agent",
    "staff": "agent",
}


# Who wrote an agent turn when the line does not say (`by`): kefu's transcripts use "assistant" for
# the bot and "agent" for a human agent, as ticket logs do.
BY_ROLE: dict[str, str] = {
    "assistant": "bot",
    "bot": "bot",
    "agent": "human",
    "human": "human",
    "staff": "human",
}


class DialogueFormatError(ValueError):
    """A JSONL line that is not a valid dialogue (the message says why)."""


@dataclass
class Turn:
    """One utterance of a dialogue."""

    role: str
    text: str
    intent: str | None = None
    emotion: str | None = None
    intensity: float | None = None
    by: str | None = None
    latency_s: float | None = None
    ts: str | None = None


@dataclass
class Dialogue:
    """One customer contact: turns plus the metadata the pipeline stratifies and filters on."""

    id: str
    turns: list[Turn]
    source: str = "unknown"
    category: str | None = None
    intent: str | None = None
    rating: int | None = None
    resolved: bool | None = None
    created_at: str | None = None
    lang: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    def customer_text(self) -> str:
        """All customer turns joined (for language detection, dedup keys and classification)."""
        return "\n".join(t.text for t in self.turns if t.role == "customer")

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict in the documented format (None fields dropped)."""
        data = asdict(self)
        data["turns"] = [{k: v for k, v in t.items() if v is not None} for t in data["turns"]]
        return {k: v for k, v in data.items() if v is not None and v != {}}


@dataclass
class LoadReport:
    """Dialogues that loaded, and the lines that did not (1-based line numbers with reasons)."""

    dialogues: list[Dialogue]
    errors: list[dict[str, Any]]
    lines: int = 0


def _turn(raw: Any, index: int) -> Turn | None:
    if not isinstance(raw, dict):
        raise DialogueFormatError(f"turn {index} is not an object")
    role = ROLE_ALIASES.get(str(raw.get("role", "")).strip().lower())
    if str(raw.get("role", "")).lower() == "system":
        return None
    if role is None:
        raise DialogueFormatError(f"turn {index} has unknown role {raw.get('role')!r}")
    text = raw.get("text", raw.get("content"))
    if not isinstance(text, str):
        raise DialogueFormatError(f"turn {index} has no text")
    by = (raw.get("by") or BY_ROLE.get(str(raw["role"]).strip().lower())) if role == "agent" else None
    intensity = raw.get("intensity")
    latency = raw.get("latency_s")
    return Turn(
        role=role,
        text=text,
        intent=raw.get("intent"),
        emotion=raw.get("emotion"),
        intensity=float(intensity) if isinstance(intensity, (int, float)) else None,
        by=by,
        latency_s=float(latency) if isinstance(latency, (int, float)) else None,
        ts=raw.get("ts"),
    )


def parse_dialogue(raw: Any) -> Dialogue:
    """Build a Dialogue from one decoded JSON value; raise DialogueFormatError when invalid."""
    if not isinstance(raw, dict):
        raise DialogueFormatError("line is not a JSON object")
    did = raw.get("id", raw.get("session_id"))
    if did is None or not str(did).strip():
        raise DialogueFormatError("missing id")
    turns_raw = raw.get("turns", raw.get("messages"))
    if not isinstance(turns_raw, list):
        raise DialogueFormatError("missing turns list")
    turns = [t for i, r in enumerate(turns_raw) if (t := _turn(r, i)) is not None]
    rating = raw.get("rating")
    if rating is not None and (not isinstance(rating, (int, float)) or not 0 <= rating <= 10):
        raise DialogueFormatError(f"rating {rating!r} is not a number 0-10")
    known = {
        "id",
        "session_id",
        "turns",
        "messages",
        "source",
        "category",
        "intent",
        "rating",
        "resolved",
        "created_at",
        "lang",
        "meta",
    }
    meta = dict(raw.get("meta") or {})
    meta.update({k: v for k, v in raw.items() if k not in known})
    return Dialogue(
        id=str(did),
        turns=turns,
        source=str(raw.get("source", "unknown")),
        category=raw.get("category"),
        intent=raw.get("intent"),
        rating=int(rating) if rating is not None else None,
        resolved=raw.get("resolved"),
        created_at=raw.get("created_at"),
        lang=raw.get("lang"),
        meta=meta,
    )


def iter_lines(path: Path) -> Iterator[tuple[int, str]]:
    """Numbered non-blank lines of a text file (undecodable bytes replaced, never raising)."""
    with path.open("r", encoding="utf-8", errors="replace") as fh:
        for number, line in enumerate(fh, start=1):
            if line.strip():
                yield number, line


def load_dialogues(path: str | Path) -> LoadReport:
    """Read a dialogue JSONL file; malformed lines are reported with their line number and skipped."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"dialogue file not found: {path}")
    dialogues: list[Dialogue] = []
    errors: list[dict[str, Any]] = []
    count = 0
    for number, line in iter_lines(path):
        count += 1
        try:
            dialogues.append(parse_dialogue(json.loads(line)))
        except json.JSONDecodeError as exc:
            errors.append({"line": number, "error": f"invalid JSON: {exc.msg}"})
        except DialogueFormatError as exc:
            errors.append({"line": number, "error": str(exc)})
    return LoadReport(dialogues=dialogues, errors=errors, lines=count)


def save_dialogues(dialogues: Iterable[Dialogue], path: str | Path) -> int:
    """Write dialogues as JSONL; returns how many were written."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with path.open("w", encoding="utf-8") as fh:
        for d in dialogues:
            fh.write(json.dumps(d.to_json(), ensure_ascii=False) + "\n")
            n += 1
    return n


def write_jsonl(rows: Iterable[dict[str, Any]], path: str | Path) -> int:
    """Write plain dict rows as JSONL; returns the row count."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
    return n


def read_jsonl(path: str | Path) -> list[dict[str, Any]]:
    """Read JSONL rows written by this package (raises on malformed lines: these are our own files)."""
    return [json.loads(line) for _, line in iter_lines(Path(path))]


def dialogue_from_state(session_id: str, state: dict[str, Any], rating: int | None = None) -> Dialogue:
    """A Dialogue from kefu's persisted dialogue state (graph/state.py), for the transcript export.

    Uses `messages` (user → customer, assistant → bot answer, agent → human answer), attaches the
    `emotion_history` entries to the customer turns of the same turn number, and keeps `resolved`
    and the handoff status. Write the result with `save_dialogues` to feed `python -m finetune data`.
    """
    emotions = {int(e.get("turn", -1)): e for e in state.get("emotion_history") or []}
    turns: list[Turn] = []
    for msg in state.get("messages") or []:
        role = str(msg.get("role", "")).lower()
        if role not in ("user", "assistant", "agent") or not str(msg.get("content", "")).strip() or msg.get("notice"):
            continue  # kefu's own notices sent in an agent's name ("an agent joined") are not the agent's words
        if role == "user":
            emo = emotions.get(int(msg.get("turn", -2)), {})
            turns.append(
                Turn("customer", msg["content"], emotion=emo.get("label"), intensity=emo.get("intensity"))
            )
        else:
            turns.append(Turn("agent", msg["content"], by=BY_ROLE[role]))
    handoff = state.get("handoff") or {}
    return Dialogue(
        id=session_id,
        turns=turns,
        source="kefu",
        intent=state.get("active_intent") or state.get("intent"),
        rating=rating,
        resolved=state.get("resolved"),
        lang=state.get("language"),
        meta={"handoff": bool(handoff.get("active"))} if handoff else {},
    )
