"""What a shopper can tap under a reply instead of typing: order cards and quick-reply buttons.

`tappable` gives each offered choice what a page needs: an order (a missing order id) becomes a card with
`title` (product), `status_name` and `amount`; a reading of a clarifying question keeps its `label`; both
get `send`, the message a tap sends. `quick_replies` offers the answers the reply asks for: confirm or
decline a proposal, yes or no to kefu's own offer, withdraw from the human queue, or ask for a person when
kefu could not help. `page_reply` is the reply without the list of orders that the cards show. Labels and
sent texts: the `quick` section of zh.yaml / en.yaml.
"""

from __future__ import annotations

import re
from typing import Any

from graph.reply import wording
from graph.reply.actions import MAX_CHOICES_SHOWN, choice_line


def _button(key: str, language: str | None) -> dict[str, str]:
    entry = wording.section("quick", language)[key]
    return {"label": str(entry["label"]), "text": str(entry["text"])}


def _card(choice: dict[str, Any], language: str | None) -> dict[str, Any]:
    quick = wording.section("quick", language)
    item, count = str(choice.get("item") or choice.get("name") or ""), int(choice.get("items_count") or 1)
    more = {"item": item, "count": count, "more": count - 1}
    total = choice.get("total")
    return {**choice, "title": wording.fill(quick["more_items"], more) if count > 1 else item,
            "status_name": wording.status_name(str(choice.get("status", "")), language),
            "amount": f"¥{float(total):.2f}" if isinstance(total, (int, float)) else "",
            "send": wording.fill(quick["choice"], {"order_id": choice.get("order_id", "")})}


def tappable(choices: list[dict[str, Any]], language: str | None) -> list[dict[str, Any]]:
    """The offered choices with what a tap sends: orders as cards, readings of a question by their label."""
    orders = [_card(c, language) for c in choices if c.get("order_id")][:MAX_CHOICES_SHOWN]
    readings = [{**c, "send": str(c["label"])} for c in choices if not c.get("order_id") and c.get("label")]
    return orders + readings


def quick_replies(state: dict[str, Any]) -> list[dict[str, str]]:
    """The buttons the reply of this turn asks for (`label` shown, `text` sent)."""
    language, handoff = state.get("language"), state.get("handoff") or {}
    offer = (state.get("pending_question") or {}).get("kind")
    if state.get("pending_action"):
        keys = ["confirm", "deny"]
    elif offer in ("transfer", "yes_no"):
        keys = [f"{offer}_yes", "no_thanks"]
    elif handoff.get("active"):
        keys = ["withdraw"] if handoff.get("status") in ("queued", "callback") else []
    elif not state.get("resolved", True) and not state.get("choices") and not offer:
        keys = ["human"]
    else:
        keys = []
    return [_button(key, language) for key in keys]


def page_reply(reply: str, choices: list[dict[str, Any]], language: str | None) -> str:
    """The reply as a page that draws the offered orders as cards shows it: their one-line list left out."""
    lines = [choice_line(c, language or "zh") for c in choices if c.get("order_id")]
    if not lines:
        return reply
    sep = re.escape(wording.section("line", language).get("list_sep", "；"))
    one = "(?:" + "|".join(re.escape(line) for line in sorted(lines, key=len, reverse=True)) + ")"
    return re.sub(f"{one}(?:{sep}{one})*", "", reply).rstrip()
