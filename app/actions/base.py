"""The base classes of kefu's rasa-sdk actions: slots in, ONE json_message Outcome out.

`KefuAction.outcome_for(slots)` is the single place where domain errors become outcomes.
Actions reach the shop's order system through the `Shop` protocol (app/shop: the demo store or the
shop's order API). Write actions (`WriteAction`) split into `plan` (validate, compute; no writes) and
`apply` (one Shop write with an idempotency key); execute mode re-reads the order and re-runs `plan`
first, so a request that is no longer valid (or already applied) is refused instead of applied twice,
and the shop re-checks the order's state itself when it applies the write.
"""

from __future__ import annotations

import uuid
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, cast

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from app.actions.errors import ActionProblem, NeedSlot, NotFound, Refused
from app.actions.messages import status_name, text
from app.actions.protocol import MODE_SLOT, REQUEST_SLOT, USER_SLOT, Outcome
from app.actions.slots import clean_text, order_id_slot
from app.settings import get_settings
from app.shop import Shop, ShopNotFound, ShopRefused, ShopUnavailable, open_shop
from app.store import StoreError
from app.store.clock import shop_now
from app.store.rules import refundable_total
from storage import DatabaseUnavailable

MAX_CHOICES = 5
__all__ = ["ActionContext", "KefuAction", "WriteAction", "current_shop", "order_choice", "refundable_total"]


def current_shop() -> Shop:
    """The shop of the current settings (the demo store, created on first use, or the shop's order API)."""
    return open_shop(get_settings())


@dataclass
class ActionContext:
    """What one action run knows: the shop, who asks, the mode, the slots, the time."""

    shop: Shop
    user_id: str
    mode: str
    slots: dict[str, Any]
    now: datetime

    def request_key(self, action: str) -> str:
        """The idempotency key of this run's write: from the conversation's proposal (the same across
        re-confirmations and replays of a turn), or a fresh one for a call that brings none."""
        return clean_text(self.slots.get(REQUEST_SLOT), 200) or f"{uuid.uuid4().hex}:{action}"

    def choices(self, statuses: frozenset[str] | None) -> list[dict[str, Any]]:
        """The user's recent orders (relevant statuses first) for the customer to pick from."""
        orders = self.shop.orders(self.user_id, limit=MAX_CHOICES, statuses=statuses)
        if not orders and statuses:
            orders = self.shop.orders(self.user_id, limit=MAX_CHOICES)
        return [order_choice(o) for o in orders]

    def order(self, statuses: frozenset[str] | None = None) -> dict[str, Any]:
        """The order of the `order_id` slot, checked to belong to the user (full details)."""
        order_id = order_id_slot(self.slots.get("order_id"))
        if order_id is None:
            raise NeedSlot(["order_id"], self.choices(statuses), "order_id")
        order = self.shop.order(order_id)
        if order is None:
            raise NotFound("order_not_found", order_id=order_id)
        if order["user_id"] != self.user_id:
            raise Refused("not_your_order")
        return order


def order_choice(order: dict[str, Any]) -> dict[str, Any]:
    """A short order summary to choose from."""
    items = order.get("items") or []
    return {"order_id": order["order_id"], "status": order["status"], "status_zh": status_name(order["status"]),
            "item": items[0]["name"] if items else "", "items_count": len(items), "total": order["total"],
            "created_at": order["created_at"], "item_names": [str(i.get("name", "")) for i in items],
            "phone_tail": str(order.get("phone") or "")[-4:]}  # "手机尾号5586" picks the order (never the whole phone)


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
            ctx = ActionContext(current_shop(), user_id, mode, slots, shop_now())
            return cast(Outcome, {**base, **self.perform(ctx)})
        except ShopUnavailable as exc:
            problem = Refused("shop_write_unconfirmed" if exc.outcome_unknown else "shop_unavailable")
            return self._problem(base, problem)
        except ShopRefused as exc:
            return self._problem(base, Refused("state_changed", shop_reason=exc.reason_code))
        except ShopNotFound:
            return self._problem(base, NotFound("order_not_found", order_id=clean_text(slots.get("order_id"), 30)))
        except NeedSlot as need:
            return cast(Outcome, {**base, "status": "need_slot", "missing": need.missing, "choices": need.choices,
                                  "result": {}, "reason": text("prompts", need.prompt, "zh"),
                                  "reason_en": text("prompts", need.prompt, "en")})
        except ActionProblem as problem:
            return self._problem(base, problem)
        except (StoreError, DatabaseUnavailable):
            return cast(Outcome, {**base, "status": "refused", "reason_code": "store_unavailable", "result": {},
                                  "reason": text("refusals", "store_unavailable", "zh"),
                                  "reason_en": text("refusals", "store_unavailable", "en")})

    @staticmethod
    def _problem(base: dict[str, Any], problem: ActionProblem) -> Outcome:
        return cast(Outcome, {**base, "status": problem.status, "reason_code": problem.reason_code, "result": {},
                              "reason": text("refusals", problem.message_key, "zh", **problem.params),
                              "reason_en": text("refusals", problem.message_key, "en", **problem.params)})

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
        order = ctx.order(self.choice_statuses)
        plan = self.plan(ctx, order)
        try:
            done = self.apply(ctx, order, plan, ctx.request_key(self.action_name))
        except ShopRefused:  # the order moved on between our read and the write: say how, when the rules can
            self.plan(ctx, ctx.order(self.choice_statuses))
            raise
        return {"status": "done", "result": {**plan, **done}, "needs_confirmation": self.needs_confirmation}

    @abstractmethod
    def plan(self, ctx: ActionContext, order: dict[str, Any]) -> dict[str, Any]:
        """Validates the request against the rules and describes the write in full (no writes)."""

    @abstractmethod
    def apply(self, ctx: ActionContext, order: dict[str, Any], plan: dict[str, Any], key: str) -> dict[str, Any]:
        """Sends the write described by `plan` to the shop with idempotency `key`; returns what the shop
        answered (ids, the order's new status) to add to the result."""
