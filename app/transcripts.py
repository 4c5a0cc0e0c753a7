"""The whole transcript of every conversation, and the pruning that keeps checkpoints small.

The dialogue state keeps only the last `graph.state.TRANSCRIPT_WINDOW` messages (each numbered by
`seq`), and the checkpointer keeps only the newest checkpoints of a conversation: a long conversation
then costs disk in proportion to its length, not to its length squared. The conversation service
copies each new message here after every turn, so the chat page's polling, the agent console and the
training export still see the whole conversation.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from langgraph.checkpoint.sqlite import SqliteSaver

from storage import DeploymentSettings, open_database

CHECKPOINTS_KEPT = 2
"""Checkpoints kept per conversation: the state in force and the one before it."""
POSTGRES_PRUNE_SLACK = 6
"""On Postgres a conversation may hold this many checkpoints more before one prune runs (PostgresSaver.prune
costs tens of milliseconds; run after every turn it was most of a turn's time)."""


class TranscriptStore:
    """Messages of every conversation, in order, in the service database (SQLite file or Postgres)."""

    def __init__(self, settings: DeploymentSettings) -> None:
        self.db = open_database(settings, "service")

    def record(self, session: str, messages: Iterable[dict[str, Any]]) -> int:
        """Store the messages of a state's window not stored yet; the number stored."""
        numbered = [(int(m.get("seq") or i + 1), m) for i, m in enumerate(messages)]
        # SQLite: take the write lock first (a read that upgrades to a write fails at once when another writer
        # committed meanwhile); Postgres needs none (the insert ignores seqs another node stored first)
        with self.db.transaction(immediate=not self.db.postgres) as conn:
            row = conn.execute("SELECT MAX(seq) FROM transcript WHERE session_id=?", (session,)).fetchone()
            last = int(row[0] or 0)
            new = [(session, seq, json.dumps(m, ensure_ascii=False)) for seq, m in numbered if seq > last]
            conn.executemany("INSERT INTO transcript(session_id, seq, message) VALUES (?,?,?) "
                             "ON CONFLICT DO NOTHING", new)
        return len(new)

    def messages(self, session: str, after: int = 0) -> list[dict[str, Any]]:
        """The messages of `session` numbered above `after`, in order (each carries its `seq`)."""
        with self.db.connect() as conn:
            rows = conn.execute("SELECT seq, message FROM transcript WHERE session_id=? AND seq > ? ORDER BY seq",
                                (session, max(int(after), 0))).fetchall()
        return [{**json.loads(row[1]), "seq": int(row[0])} for row in rows]

    def last_seq(self, session: str) -> int:
        with self.db.connect() as conn:
            row = conn.execute("SELECT MAX(seq) FROM transcript WHERE session_id=?", (session,)).fetchone()
        return int(row[0] or 0)


def prune_checkpoints(saver: Any, session: str, keep: int = CHECKPOINTS_KEPT) -> int:
    """Delete all but the newest `keep` checkpoints of a conversation (and their pending writes).

    The graph has no DeltaChannel, so each checkpoint holds the whole state and older ones are not
    needed to rebuild it. LangGraph's SqliteSaver has no `prune` of its own; its PostgresSaver has one,
    which keeps the newest checkpoint (and the blobs it references) in one transaction, run here when more
    than `keep + POSTGRES_PRUNE_SLACK` checkpoints piled up. Returns rows deleted (0 on Postgres)."""
    if not isinstance(saver, SqliteSaver):  # Postgres: the library's prune, once a few checkpoints piled up
        with saver._cursor() as cur:
            cur.execute("SELECT COUNT(*) AS n FROM checkpoints WHERE thread_id=%s AND checkpoint_ns=''", (session,))
            count = int(cur.fetchone()["n"])
        if count > keep + POSTGRES_PRUNE_SLACK:
            saver.prune([session], strategy="keep_latest")
        return 0
    kept = ("SELECT checkpoint_id FROM checkpoints WHERE thread_id=? AND checkpoint_ns='' "
            "ORDER BY checkpoint_id DESC LIMIT ?")
    with saver.lock:  # the saver's own lock over its connection
        conn = saver.conn
        gone = conn.execute(f"DELETE FROM writes WHERE thread_id=? AND checkpoint_ns='' "
                            f"AND checkpoint_id NOT IN ({kept})", (session, session, keep)).rowcount
        gone += conn.execute(f"DELETE FROM checkpoints WHERE thread_id=? AND checkpoint_ns='' "
                             f"AND checkpoint_id NOT IN ({kept})", (session, session, keep)).rowcount
        conn.commit()
    return gone
