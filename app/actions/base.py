"""The base classes of kefu's rasa-sdk actions: slots in, ONE json_message Outcome out.

`KefuAction.outcome_for(slots)` is the single place where domain errors become outcomes.
Write actions (`WriteAction`) split into `plan` (validate, compute; no writes) and `apply`
(perform inside `Store.logged_write`); execute mode re-runs `plan` inside the write transaction,
so a request that is no longer valid (or already applied) is refused instead of applied twice.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, cast

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from app.actions.errors import ActionProblem, NeedSlot, NotFound, Refused
from app.actions.messages import status_name, text
from app.actions.protocol import MODE_SLOT, USER_SLOT, Outcome
from app.actions.slots import clean_text, order_id_slot
from app.settings import get_settings
from app.store import Store, StoreError, ensure_demo_store
from app.store.clock import shop_now

MAX_CHOICES = 5


def refundable_total(order: dict[str, Any]) -> float:
    """The order's total minus every refund already made on it (price protection included)."""
    refunded = sum(float(r.get("amount") or 0.0) for r in order.get("refunds") or [])
    return round(max(float(order["total"]) - refunded, 0.0), 2)


def current_store() -> Store:
    """The shop store of the current settings (created with the demo data on first use)."""
    return ensure_demo_store(get_settings())


@dataclass
class ActionContext:
    """What one action run knows: the store, who asks, the mode, the slots, the time."""

    store: Store
    user_id: str
    mode: str
    slots: dict[str, Any]
    now: datetime

    def choices(self, statuses: frozenset[str] | None) -> list[dict[str, Any]]:
        """The user's recent orders (relevant statuses first) for the customer to pick from."""
        orders = self.store.recent_orders(self.user_id, MAX_CHOICES, set(statuses) if statuses else None)
        if not orders and statuses:
            orders = self.store.recent_orders(self.user_id, MAX_CHOICES)
        return [order_choice(o) for o in orders]

    def order(self, statuses: frozenset[str] | None = None) -> dict[str, Any]:
        """The order of the `order_id` slot, checked to belong to the user (full details)."""
        order_id = order_id_slot(self.slots.get("order_id"))
        if order_id is None:
            raise NeedSlot(["order_id"], self.choices(statuses), "order_id")
        owner = self.store.order_owner(order_id)
        if owner is None:
            raise NotFound("order_not_found", order_id=order_id)
        if owner != self.user_id:
            raise Refused("not_your_order")
        order = self.store.get_order(order_id)
        if order is None:
            raise NotFound("order_not_found", order_id=order_id)
        return order


def order_choice(order: dict[str, Any]) -> dict[str, Any]:
    """A short order summary to choose from."""
    items = order.get("items") or []
    return {"order_id": order["order_id"], "status": order["status"], "status_zh": status_name(order["status"]),
            "item": items[0]["name"] if items else "", "items_count": len(items), "total": order["total"],
            "created_at": order["created_at"], "item_names": [str(i.get("name", "")) for i in items]}


class KefuAction(Action, ABC):
    """A kefu business action: reads slots, enforces the shop's rules, reports one Outcome."""

    action_name: ClassVar[str] = ""
    kind: ClassVar[str] = "read"
    arg_slots: ClassVar[tuple[str, ...]] = ("order_id",)
    """Slots this action reads (echoed back as the outcome's `args`)."""
    choice_statuses: ClassVar[frozenset[str] | None] = None
    """Order statuses offered as choices when the order id is missing (None: any)."""

    def name(self) -> str:
        return self.action_name

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list:
        """rasa-sdk entry point: one json_message, no events."""
        dispatcher.utter_message(json_message=dict(self.outcome_for(dict(tracker.slots or {}))))
        return []

    def outcome_for(self, slots: dict[str, Any]) -> Outcome:
        """Runs the action on `slots` and turns any domain error into the outcome."""
        base: dict[str, Any] = {"action": self.action_name, "kind": self.kind, "args": self.args(slots)}
        try:
            user_id = clean_text(slots.get(USER_SLOT), 64)
            if not user_id:
                raise Refused("no_identity")
            mode = "execute" if clean_text(slots.get(MODE_SLOT), 10) == "execute" else "check"
            ctx = ActionContext(current_store(), user_id, mode, slots, shop_now())
            return cast(Outcome, {**base, **self.perform(ctx)})
        except NeedSlot as need:
            return cast(Outcome, {**base, "status": "need_slot", "missing": need.missing, "choices": need.choices,
                                  "result": {}, "reason": text("prompts", need.prompt, "zh"),
                                  "reason_en": text("prompts", need.prompt, "en")})
        except ActionProblem as problem:
            return cast(Outcome, {**base, "status": problem.status, "reason_code": problem.reason_code, "result": {},
                                  "reason": text("refusals", problem.message_key, "zh", **problem.params),
                                  "reason_en": text("refusals", problem.message_key, "en", **problem.params)})
        except StoreError:
            return cast(Outcome, {**base, "status": "refused", "reason_code": "store_unavailable", "result": {},
                                  "reason": text("refusals", "store_unavailable", "zh"),
                                  "reason_en": text("refusals", "store_unavailable", "en")})

    def args(self, slots: dict[str, Any]) -> dict[str, Any]:
        """The slots this action read, as clean strings/bools (absent ones left out)."""
        args: dict[str, Any] = {}
        for name in self.arg_slots:
            value = slots.get(name)
            if isinstance(value, bool):
                args[name] = value
            elif value not in (None, ""):
                args[name] = clean_text(value)
        return args

    @abstractmethod
    def perform(self, ctx: ActionContext) -> dict[str, Any]:
        """Does the work; returns the outcome fields (status, result, ...) or raises a domain error."""


class WriteAction(KefuAction, ABC):
    """A write: `check` proposes (nothing written), `execute` re-validates and writes, audited."""

    kind = "write"
    needs_confirmation: ClassVar[bool] = True

    def perform(self, ctx: ActionContext) -> dict[str, Any]:
        if ctx.mode != "execute":
            order = ctx.order(self.choice_statuses)
            plan = self.plan(ctx, order)
            return {"status": "proposed", "result": plan, "needs_confirmation": self.needs_confirmation}
        with ctx.store.transaction():
            order = ctx.order(self.choice_statuses)
            plan = self.plan(ctx, order)
            done = ctx.store.logged_write(ctx.user_id, self.action_name, order["order_id"], self.args(ctx.slots),
                                          lambda: self.apply(ctx, order, plan))
        return {"status": "done", "result": {**plan, **done}, "needs_confirmation": self.needs_confirmation}

    @abstractmethod
    def plan(self, ctx: ActionContext, order: dict[str, Any]) -> dict[str, Any]:
        """Validates the request against the rules and describes the write in full (no writes)."""

    @abstractmethod
    def apply(self, ctx: ActionContext, order: dict[str, Any], plan: dict[str, Any]) -> dict[str, Any]:
        """Performs the write described by `plan`; returns ids and new state to add to the result."""
