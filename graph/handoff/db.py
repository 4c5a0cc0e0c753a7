"""Ticket statuses. The tickets, events and heartbeats live in the shop's service database
(storage.open_database(settings, "service"): a SQLite file under the data dir, or Postgres), so every
process and node of a shop sees the same queue; read-then-write decisions run in transactions in which
writers take turns, so two agents or two triggers cannot race."""

from __future__ import annotations

OPEN_STATUSES = ("queued", "callback", "active")
"""A ticket in one of these statuses is open: the session may not get a second one."""
FINAL_STATUSES = ("returned", "closed")
"""Handed back to the bot, or closed by the agent."""
