"""The contract between kefu's graph and its rasa-sdk business actions.

An action reads its inputs from tracker slots and reports ONE outcome through
``dispatcher.utter_message(json_message=outcome)``. It never trusts the customer for identity:
the session's user id arrives in the ``kefu_user_id`` slot, set by kefu, and every order an
action touches must belong to that user.

Write actions run in two modes, chosen by the ``kefu_mode`` slot:
- ``check`` (default): validate the shop rule and return ``status="proposed"`` with the full
  details of the write (nothing changes), or ``refused`` with the reason;
- ``execute``: validate again (state may have moved on) and perform the write, returning
  ``done`` with the state before and after.
"""

from __future__ import annotations

from typing import Any, Literal, TypedDict

USER_SLOT = "kefu_user_id"
MODE_SLOT = "kefu_mode"
REQUEST_SLOT = "kefu_request_id"
"""The conversation's id of a proposed write (session, turn, action): the shop's idempotency key comes from it."""

Status = Literal["done", "proposed", "refused", "not_found", "need_slot"]


class Outcome(TypedDict, total=False):
    """What one action run reports back (the json_message of its single response)."""

    action: str
    kind: Literal["read", "write"]
    status: Status
    args: dict[str, Any]
    result: dict[str, Any]
    reason_code: str
    """Machine-readable cause of a refusal, e.g. ``already_shipped``, ``not_your_order``."""
    reason: str
    """The refusal explained to the customer (Chinese), with what is possible instead."""
    reason_en: str
    missing: list[str]
    """Slots still needed (status ``need_slot``), most important first."""
    choices: list[dict[str, Any]]
    """Candidates for a missing slot, e.g. the user's recent orders."""
    needs_confirmation: bool
    """Write actions only: False when the graph may execute a proposal without asking (urge shipment)."""
