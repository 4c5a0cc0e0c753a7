"""The grounded composer for dialogue and action replies: templates filled from action results only.

Policy answers are written by graph.generation (policy sentences); this module writes what an
action found or did, asks for missing slots, and proposes writes for confirmation.
"""

from __future__ import annotations

from typing import Any

from graph import replies
from graph.intents import INTENT_NAMES_EN, INTENT_NAMES_ZH, READ_ACTIONS
from graph.state import ActionRecord
from graph.summaries import write_summary


def task_name(intent: str | None, language: str) -> str:
    names = INTENT_NAMES_EN if replies.lang_of(language) == "en" else INTENT_NAMES_ZH
    return names.get(intent or "", "办理" if replies.lang_of(language) == "zh" else "request")


def _items(result: dict[str, Any]) -> str:
    items = result.get("items") or []
    names = [f"{i.get('name', '')}×{i.get('qty', i.get('quantity', 1))}" for i in items if isinstance(i, dict)]
    return "、".join(names[:3])


def _order_line(result: dict[str, Any], language: str) -> str:
    zh = replies.lang_of(language) == "zh"
    status = replies.status_name(str(result.get("status", "")), language)
    parts = [f"订单{result.get('order_id')}" if zh else f"Order {result.get('order_id')}"]
    if _items(result):
        parts.append(f"（{_items(result)}）" if zh else f" ({_items(result)})")
    parts.append(f"当前状态：{status}" if zh else f" is {status}")
    return "".join(parts) + ("。" if zh else ".")


def _shipment_line(result: dict[str, Any], language: str) -> str:
    ship = result.get("shipment") or result
    if not ship.get("tracking_no"):
        return ""
    zh = replies.lang_of(language) == "zh"
    events = ship.get("events") or []
    last = ship.get("latest") or (events[0] if events else {})
    line = (f"{ship.get('carrier', '')}快递单号{ship['tracking_no']}" if zh
            else f"{ship.get('carrier', '')} tracking number {ship['tracking_no']}")
    if last:
        where = " ".join(str(last.get(k, "")) for k in ("time", "location", "description") if last.get(k))
        line += f"，最新进展：{where}" if zh else f"; latest: {where}"
    eta = ship.get("eta") or result.get("eta")
    if eta:
        line += f"，预计{eta}送达" if zh else f"; expected {eta}"
    return line + ("。" if zh else ".")


def _refund_line(result: dict[str, Any], language: str) -> str:
    refunds = result.get("refunds") or ([result] if result.get("refund_status") or result.get("amount") else [])
    if not refunds:
        return ""
    zh = replies.lang_of(language) == "zh"
    lines = []
    for refund in refunds[:3]:
        amount, method = refund.get("amount", ""), refund.get("method", "")
        state = refund.get("status") or refund.get("refund_status", "")
        eta = refund.get("eta") or refund.get("arrived_at") or ""
        lines.append(f"退款¥{amount}（{method}）：{state} {eta}".strip() if zh
                     else f"refund ¥{amount} ({method}): {state} {eta}".strip())
    return ("；".join(lines) + "。") if zh else ("; ".join(lines) + ".")


def _ship_by_line(result: dict[str, Any], language: str) -> str:
    """For an order not shipped yet: the latest time it ships, as the store promises."""
    by = result.get("promised_ship_by") or (result.get("shipment") or {}).get("promised_ship_by")
    if not by or result.get("tracking_no") or result.get("shipped"):
        return ""
    return f"预计最晚{by}前发货。" if replies.lang_of(language) == "zh" else f"It ships by {by} at the latest."


def describe_result(record: ActionRecord, language: str) -> str:
    """What a read action found, in the customer's language."""
    result = dict(record.get("result") or {})
    if result.get("message") or result.get("message_en"):
        key = "message_en" if replies.lang_of(language) == "en" else "message"
        return str(result.get(key) or result.get("message"))
    lines = [_order_line(result, language)] if result.get("order_id") and result.get("status") else []
    lines += [_shipment_line(result, language), _ship_by_line(result, language), _refund_line(result, language)]
    joiner = " " if replies.lang_of(language) == "en" else ""
    return joiner.join(line for line in lines if line)


def summary_of(record: ActionRecord, language: str) -> str:
    result = dict(record.get("result") or {})
    summary = write_summary(str(record.get("name", "")), result, language)
    return (summary or describe_result(record, language)).rstrip("。.")


def reason_of(record: ActionRecord, language: str) -> str:
    if replies.lang_of(language) == "en":
        return str(record.get("reason_en") or record.get("reason") or "this can't be done.")
    return str(record.get("reason") or "这个操作暂时无法办理。")


def ask_for_slot(slot: str, intent: str | None, choices: list[dict[str, Any]], language: str) -> str:
    if slot == "order_id" and choices:
        lines = [
            replies.text("choice_line", language, order_id=c.get("order_id"), item=c.get("item", c.get("name", "")),
                         status=replies.status_name(str(c.get("status", "")), language), total=c.get("total", ""))
            for c in choices[:5]
        ]
        sep = "；" if replies.lang_of(language) == "zh" else "; "
        return replies.text("ask_slot_choices", language) + sep.join(lines)
    return replies.text("ask_slot", language, task=task_name(intent, language), slot=replies.slot_name(slot, language))


def action_reply(record: ActionRecord, intent: str | None, language: str, choices: list[dict[str, Any]]) -> str:
    """The reply for one action record (read result, proposal, outcome or refusal)."""
    status = record.get("status")
    if status == "need_slot":
        missing = (record.get("missing") or ["order_id"])[0]
        return ask_for_slot(missing, intent, record.get("choices") or choices, language)
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
