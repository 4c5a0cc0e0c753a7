"""One-line summaries of a proposed or executed write, filled from the action's result only."""

from __future__ import annotations

from typing import Any

from graph import replies


def _money(value: Any) -> str:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value or "")
    return f"{number:.2f}".rstrip("0").rstrip(".")


def _refund(result: dict[str, Any], en: bool) -> str:
    refund = result.get("refund") or {}
    text = refund.get("text_en" if en else "text")
    return (f"; {text}" if en else f"，{text}") if text else ""


def _items(result: dict[str, Any], key: str = "items") -> str:
    return "、".join(f"{i.get('name', '')}×{i.get('qty', 1)}" for i in result.get(key) or [])


def _fields(name: str, result: dict[str, Any], en: bool) -> dict[str, Any]:
    sep = "; " if en else "；"
    fields: dict[str, Any] = {k: v for k, v in result.items() if not isinstance(v, (dict, list))}
    fields.update(items=_items(result), refund=_refund(result, en), total=_money(result.get("total")))
    if name == "action_modify_order":
        changes = result.get("changes") or {}
        fields["changes"] = sep.join(
            (f"{k} from \"{c.get('from')}\" to \"{c.get('to')}\"" if en
             else f"{replies.slot_name(k, 'zh').replace('新的', '')}由“{c.get('from')}”改为“{c.get('to')}”")
            for k, c in changes.items())
    elif name == "action_return_request":
        fields.update(lines=_items(result, "lines"), refund_amount=_money(result.get("refund_amount")),
                      excluded=_excluded(result, en))
        if en:
            fields["reason"] = _REASONS_EN.get(str(result.get("reason")), "return")
    elif name == "action_exchange_request":
        ship = result.get("return_shipping") or {}
        note = ship.get("note_en" if en else "note")
        fields["shipping"] = (f"; {note}" if en else f"，{note}") if note else ""
    elif name == "action_price_protection":
        fields["claims"] = sep.join(
            f"{c.get('name')} ¥{_money(c.get('paid_price'))}→¥{_money(c.get('current_price'))}×{c.get('qty')}"
            f"={'¥' + _money(c.get('amount'))}" for c in result.get("claims") or [])
        fields["total_amount"] = _money(result.get("total_amount"))
    elif name == "action_invoice_request":
        fields["tax"] = (f", tax id {result['tax_id']}" if en else f"，税号{result['tax_id']}") if result.get(
            "tax_id") else ""
        fields["amount"] = _money(result.get("amount"))
        if en:
            fields.update(invoice_type=result.get("invoice_type_en", fields.get("invoice_type")),
                          issue_within=result.get("issue_within_en", fields.get("issue_within")))
    return fields


def _excluded(result: dict[str, Any], en: bool) -> str:
    excluded = result.get("excluded") or []
    if not excluded:
        return ""
    names = "、".join(str(e.get("name", "")) for e in excluded)
    return f" (not returnable: {names})" if en else f"（{names}不在退货范围内）"


_REASONS_EN = {"七天无理由": "no-reason return", "质量问题": "quality problem", "换规格": "different size/colour"}


def write_summary(name: str, result: dict[str, Any], language: str) -> str | None:
    """The summary of write `name`, or None when there is no template for it."""
    templates = replies.section("summaries").get(name)
    if not templates:
        return None
    en = replies.lang_of(language) == "en"
    fields = _fields(name, result, en)
    try:
        return templates["en" if en else "zh"].format_map(_Blank(fields))
    except (ValueError, IndexError):
        return None


class _Blank(dict):
    """format_map helper: a missing field renders empty instead of failing."""

    def __missing__(self, key: str) -> str:
        return ""
