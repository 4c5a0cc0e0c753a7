"""One-line summaries of a proposed or executed write, filled from the action's result only."""

from __future__ import annotations

from typing import Any

from graph.reply import wording as replies


def _money(value: Any) -> str:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value or "")
    return f"{number:.2f}".rstrip("0").rstrip(".")


def _line(key: str, language: str, **values: Any) -> str:
    return replies.fill(replies.section("line", language)[key], values)


def _refund(result: dict[str, Any], language: str) -> str:
    refund = result.get("refund") or {}
    text = refund.get("text_en" if replies.reply_language(language) == "en" else "text")
    return _line("refund_note", language, text=text) if text else ""


def _items(result: dict[str, Any], key: str = "items") -> str:
    return "、".join(f"{i.get('name', '')}×{i.get('qty', 1)}" for i in result.get(key) or [])


def _changes(result: dict[str, Any], language: str) -> str:
    zh = replies.reply_language(language) == "zh"
    return _line("list_sep", language).join(
        _line("change", language, field=replies.slot_name(k, "zh").replace("新的", "") if zh else k,
              old=c.get("from"), new=c.get("to"))
        for k, c in (result.get("changes") or {}).items())


def _fields(name: str, result: dict[str, Any], language: str) -> dict[str, Any]:
    en = replies.reply_language(language) == "en"
    fields: dict[str, Any] = {k: v for k, v in result.items() if not isinstance(v, (dict, list))}
    fields.update(items=_items(result), refund=_refund(result, language), total=_money(result.get("total")))
    if name == "action_modify_order":
        fields["changes"] = _changes(result, language)
    elif name == "action_return_request":
        fields.update(lines=_items(result, "lines"), refund_amount=_money(result.get("refund_amount")),
                      excluded=_excluded(result, language))
        if en:
            reasons = replies.section("return_reason", language)
            fields["reason"] = reasons.get(str(result.get("reason")), reasons["default"])
    elif name == "action_exchange_request":
        note = (result.get("return_shipping") or {}).get("note_en" if en else "note")
        fields["shipping"] = _line("shipping_note", language, note=note) if note else ""
    elif name == "action_price_protection":
        fields["claims"] = _line("list_sep", language).join(
            f"{c.get('name')} ¥{_money(c.get('paid_price'))}→¥{_money(c.get('current_price'))}×{c.get('qty')}"
            f"={'¥' + _money(c.get('amount'))}" for c in result.get("claims") or [])
        fields["total_amount"] = _money(result.get("total_amount"))
    elif name == "action_invoice_request":
        fields["tax"] = _line("tax_id", language, tax_id=result["tax_id"]) if result.get("tax_id") else ""
        fields["amount"] = _money(result.get("amount"))
        if en:
            fields.update(invoice_type=result.get("invoice_type_en", fields.get("invoice_type")),
                          issue_within=result.get("issue_within_en", fields.get("issue_within")))
    return fields


def _excluded(result: dict[str, Any], language: str) -> str:
    excluded = result.get("excluded") or []
    if not excluded:
        return ""
    return _line("not_returnable", language, names="、".join(str(e.get("name", "")) for e in excluded))


def write_summary(name: str, result: dict[str, Any], language: str) -> str | None:
    """The summary of write `name`, or None when there is no template for it."""
    template = replies.section("summary", language).get(name)
    if not template:
        return None
    fields = _fields(name, result, language)
    try:
        return replies.fill(template, fields)
    except (ValueError, IndexError):
        return None
