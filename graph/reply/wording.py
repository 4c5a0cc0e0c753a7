"""The wording files of the reply package (zh.yaml, en.yaml): every sentence a customer reads."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml

ReplyLanguage = Literal["zh", "en"]
_HERE = Path(__file__).parent


def reply_language(language: str | None) -> ReplyLanguage:
    """Replies are English for English messages, Chinese otherwise (mixed and unknown included)."""
    return "en" if (language or "").lower() == "en" else "zh"


@cache
def wording(lang: ReplyLanguage) -> dict[str, Any]:
    """The parsed wording file of one reply language (read once per process)."""
    data = yaml.safe_load((_HERE / f"{lang}.yaml").read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise RuntimeError(f"graph/reply/{lang}.yaml must hold a mapping")
    return data


def section(name: str, language: str | None) -> dict[str, Any]:
    """One section (text, status, tone, refusal...) in the reply language; empty when it has none."""
    return dict(wording(reply_language(language)).get(name) or {})


class _Blank(dict):
    """format_map helper: a placeholder without a value renders empty instead of failing."""

    def __missing__(self, key: str) -> str:
        return ""


def fill(template: str, values: dict[str, Any]) -> str:
    """`template` with its {named} placeholders filled (missing ones left empty)."""
    return template.format_map(_Blank(values)) if values else template


def text(key: str, language: str | None, **values: Any) -> str:
    """The sentence `key` of the `text` section, its placeholders filled."""
    return fill(section("text", language)[key], values)


def phrase(group: str, key: str, language: str | None, **values: Any) -> str:
    """A sentence of another section (refusal, prompt, note, policy...), its placeholders filled."""
    return fill(section(group, language)[key], values).strip()


def status_name(status: str, language: str | None) -> str:
    """An order status as replies name it ("已付款、待发货")."""
    return str(section("status", language).get(status, status))


def short_status_name(status: str, language: str | None = "zh") -> str:
    """An order status as action results name it ("已付款待处理")."""
    return str(section("status_short", language).get(status, status))


def request_status_name(status: str) -> str:
    """An after-sale request status (Chinese)."""
    return str(section("request_status", "zh").get(status, status))


def slot_name(slot: str, language: str | None) -> str:
    """What kefu calls a slot when it asks for it ("新的收货地址")."""
    return str(section("slot", language).get(slot, slot))


def callback_time(settings: Any, language: str | None) -> str:
    """When an agent calls back, from the shop's settings (`agent_hours`, `callback_within_hours`); '' without
    them (never a time made up here)."""
    hours, within = getattr(settings, "agent_hours", ""), getattr(settings, "callback_within_hours", 0)
    return text("handoff_when", language, hours=hours, within=within) if hours and within else ""


def handoff_notice(ticket: dict[str, Any], language: str | None, settings: Any = None) -> str:
    """What the customer is told about their ticket: queued (with the place), callback (with when an agent
    calls back, given the settings), or an agent joined."""
    status = ticket.get("status")
    if status == "queued":
        return text("handoff_queued", language, ticket_id=ticket.get("ticket_id"),
                    position=max(int(ticket.get("position") or 1) - 1, 0))
    if status == "callback":
        when = callback_time(settings, language)
        notice = text("handoff_callback", language, ticket_id=ticket.get("ticket_id"))
        return f"{notice}{'' if reply_language(language) == 'zh' else ' '}{when}".rstrip() if when else notice
    if status == "active":
        return text("handoff_agent_joined", language, agent=ticket.get("agent") or "")
    return text("handoff_declined", language)
