"""Replies about business actions: what a read found, a write proposed for confirmation, done or refused,
and the question for a missing slot. Filled from the action's result only (wording in zh.yaml/en.yaml)."""

from __future__ import annotations

from typing import Any

from graph.escalation import ASK_LIMIT
from graph.intents import READ_ACTIONS, display_name
from graph.reply import wording as replies
from graph.reply.summaries import write_summary
from graph.state import ActionRecord

MAX_CHOICES_SHOWN = 5
"""Orders offered at most when kefu asks which order."""


def task_name(intent: str | None, language: str) -> str:
    return display_name(intent, replies.reply_language(language)) or _line("any_task", language)


def _line(key: str, language: str, **values: Any) -> str:
    return replies.fill(replies.section("line", language)[key], values)


def _items(result: dict[str, Any], language: str) -> str:
    items = result.get("items") or []
    names = [f"{i.get('name', '')}×{i.get('qty', i.get('quantity', 1))}" for i in items if isinstance(i, dict)]
    return _line("item_sep", language).join(names[:3])


def _order_line(result: dict[str, Any], language: str) -> str:
    items = _items(result, language)
    return _line("order", language, order_id=result.get("order_id"),
                 items=_line("order_items", language, items=items) if items else "",
                 status=replies.status_name(str(result.get("status", "")), language))


def _shipment_line(result: dict[str, Any], language: str) -> str:
    ship = result.get("shipment") or result
    if not ship.get("tracking_no"):
        return ""
    events = ship.get("events") or []
    last = ship.get("latest") or (events[0] if events else {})
    where = " ".join(str(last.get(k, "")) for k in ("time", "location", "description") if last.get(k))
    eta = ship.get("eta") or result.get("eta")
    return _line("shipment", language, carrier=ship.get("carrier", ""), tracking_no=ship["tracking_no"],
                 latest=_line("shipment_latest", language, where=where) if last else "",
                 eta=_line("shipment_eta", language, eta=eta) if eta else "")


def _refund_line(result: dict[str, Any], language: str) -> str:
    refunds = result.get("refunds") or ([result] if result.get("refund_status") or result.get("amount") else [])
    if not refunds and result.get("has_refund") is False and not result.get("pending_returns"):
        return _line("no_refund", language)  # a refund enquiry on an order with none: say so
    if not refunds:
        return ""
    lines = [_line("refund", language, amount=refund.get("amount", ""), method=refund.get("method", ""),
                   state=refund.get("status") or refund.get("refund_status", ""),
                   eta=refund.get("eta") or refund.get("arrived_at") or "").strip()
             for refund in refunds[:3]]
    return _line("refunds", language, refunds=_line("list_sep", language).join(lines))


def _ship_by_line(result: dict[str, Any], language: str) -> str:
    """For an order not shipped yet: the latest time it ships, as the store promises."""
    by = result.get("promised_ship_by") or (result.get("shipment") or {}).get("promised_ship_by")
    if not by or result.get("tracking_no") or result.get("shipped"):
        return ""
    return _line("ship_by", language, by=by)


def describe_result(record: ActionRecord, language: str) -> str:
    """What a read action found, in the customer's language."""
    result = dict(record.get("result") or {})
    if result.get("message") or result.get("message_en"):
        key = "message_en" if replies.reply_language(language) == "en" else "message"
        return str(result.get(key) or result.get("message"))
    lines = [_order_line(result, language)] if result.get("order_id") and result.get("status") else []
    lines += [_shipment_line(result, language), _ship_by_line(result, language), _refund_line(result, language)]
    return _line("sentence_sep", language).join(line for line in lines if line)


def summary_of(record: ActionRecord, language: str) -> str:
    result = dict(record.get("result") or {})
    summary = write_summary(str(record.get("name", "")), result, language)
    return (summary or describe_result(record, language)).rstrip("。.")


def reason_of(record: ActionRecord, language: str) -> str:
    own = record.get("reason_en") if replies.reply_language(language) == "en" else None
    return str(own or record.get("reason") or _line("cannot_do", language))


def choice_line(choice: dict[str, Any], language: str) -> str:
    """One offered order as the reply names it: "3130…（T恤，已签收，¥79）"."""
    return replies.text("choice_line", language, order_id=choice.get("order_id"),
                        item=choice.get("item", choice.get("name", "")),
                        status=replies.status_name(str(choice.get("status", "")), language),
                        total=choice.get("total", ""))


def choice_list(choices: list[dict[str, Any]], language: str, limit: int = MAX_CHOICES_SHOWN) -> str:
    """The orders offered to choose from, as one line of the reply (a page may draw them as cards instead)."""
    return _line("list_sep", language).join(choice_line(c, language) for c in choices[:limit])


def _joined(parts: list[str], language: str) -> str:
    joiner = "" if replies.reply_language(language) == "zh" else " "
    return joiner.join(part for part in parts if part)


def ask_for_slot(slot: str, intent: str | None, choices: list[dict[str, Any]], language: str, *, times: int = 0,
                 unmatched: str | None = None, unmatched_phone: str | None = None,
                 phone_tail: str | None = None) -> str:
    """The question for a missing slot. `times`: how often it was asked before (the second ask says why it
    is needed and how to answer); `unmatched`: a product the customer named that is in none of their orders;
    `unmatched_phone` / `phone_tail`: the phone tail they named goes to none / several of their orders."""
    lead = replies.phrase("move", "product_unmatched", language, product=unmatched) if unmatched else ""
    if unmatched_phone:  # "手机尾号5586": no order of theirs goes to that phone
        lead = replies.phrase("move", "phone_unmatched", language, tail=unmatched_phone)
    elif phone_tail and choices:  # several orders go to that phone: which of them
        lead = replies.phrase("move", "phone_several", language, tail=phone_tail)
    task = task_name(intent, language)
    if times >= ASK_LIMIT and slot == "order_id":  # asked that often, a human follows it up: say so, briefly
        return _joined([lead, replies.phrase("move", "ask_exhausted", language, task=task)], language)
    if times >= 1 and slot == "order_id":
        listing = replies.phrase("move", "order_list", language) + choice_list(choices, language, 3) if choices else ""
        return _joined([lead, replies.phrase("move", "ask_again_order", language, task=task), listing], language)
    if times >= 1:
        return _joined([lead, replies.phrase("move", "ask_again_slot", language, task=task,
                                             slot=replies.slot_name(slot, language))], language)
    if slot == "order_id" and choices:
        return _joined([lead, replies.text("ask_slot_choices", language) + choice_list(choices, language)], language)
    return _joined([lead, replies.text("ask_slot", language, task=task, slot=replies.slot_name(slot, language))],
                   language)


def _not_found_lead(record: ActionRecord, language: str) -> str:
    """"Order … is not in your account", naming what the customer gave: the order number, else the tracking
    number ("SF1409928377102"); the general not-found sentence when the record names neither."""
    args, result = record.get("args") or {}, record.get("result") or {}
    order_id = args.get("order_id") or (result.get("order_id") if isinstance(result, dict) else None)
    if order_id:
        return replies.phrase("move", "not_found_again", language, order_id=order_id)
    if args.get("tracking_no"):
        return replies.phrase("move", "tracking_not_found_again", language, tracking_no=args["tracking_no"])
    return replies.text("not_found", language)


def action_reply(record: ActionRecord, intent: str | None, language: str, choices: list[dict[str, Any]],
                 asked: dict[str, int] | None = None) -> str:
    """The reply for one action record (read result, proposal, outcome or refusal). `asked`: how often each
    slot was asked for already (graph/state.py), so a second ask is rephrased."""
    status, asked = record.get("status"), asked or {}
    if status == "need_slot":
        missing = (record.get("missing") or ["order_id"])[0]
        return ask_for_slot(missing, intent, list(record.get("choices") or choices), language,
                            times=int(asked.get(missing, 0)), unmatched=record.get("unmatched_product"),
                            unmatched_phone=record.get("unmatched_phone"), phone_tail=record.get("phone_tail"))
    if status == "not_found" and int(asked.get("order_id", 0)) >= ASK_LIMIT:
        return _joined([_not_found_lead(record, language),
                        replies.phrase("move", "ask_exhausted", language, task=task_name(intent, language))],
                       language)
    if status == "not_found" and asked.get("order_id"):
        return _joined([_not_found_lead(record, language),
                        replies.phrase("move", "ask_again_order", language, task=task_name(intent, language))],
                       language)
    if status == "not_found":
        return replies.text("not_found", language)
    if status == "refused":
        return replies.text("refused", language, reason=reason_of(record, language))
    if status == "cancelled":
        return replies.text("cancelled_by_user", language)
    if status == "proposed":
        return replies.text("propose", language, summary=summary_of(record, language))
    if record.get("kind") == "write" or record.get("name") not in READ_ACTIONS:
        return replies.text("done", language, summary=summary_of(record, language))
    return describe_result(record, language)
