"""Read a scenario file (`kefu eval run --suite scenarios --tasks FILE.yaml`) and validate all of it.

`load_scenarios` checks the whole file before anything runs; the first problem found is raised as one
line naming the scenario and the field, so a typo never turns into a silently passing scenario. Names
that only the shop can check (customers, categories, policies) are checked by the suite's preflight.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from evals.scenarios import (
    PLACEHOLDER,
    STATUSES,
    Expectation,
    PolicyEdit,
    Scenario,
    ScenarioFileError,
    Step,
    WriteSpec,
)
from evals.verdict import WRITE_KINDS, write_kind

_ANY_BRACES = re.compile(r"\{[^{}]*\}")
_KEY_PART = re.compile(r"^[a-z][a-z0-9_]*$")
SCENARIO_KEYS = {"id", "description", "user", "turns", "goal", "persona", "order", "details", "expect"}
EXPECT_KEYS = {"writes", "facts", "not_facts", "handoff"}
WRITE_KEYS = {"action", "status_after", "order"}
SAY_KEYS = {"say", "intent", "facts", "not_facts"}
CHANGE_KEYS = {"policy", "old", "new"}
DETAIL_KEYS = {"address", "title", "product"}


def load_scenarios(path: str | Path) -> list[Scenario]:
    """Read and validate a scenario file (ScenarioFileError: one line saying what is wrong where)."""
    path = Path(path)
    if not path.is_file():
        raise ScenarioFileError(f"{path}: no such scenario file")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" at line {where.line + 1}" if where is not None else ""
        problem = getattr(exc, "problem", None) or type(exc).__name__
        raise ScenarioFileError(f"{path}: not valid YAML{line}: {problem}") from exc
    items = raw.get("scenarios") if isinstance(raw, dict) else None
    if not isinstance(items, list) or not items:
        raise ScenarioFileError(f"{path}: the file needs a non-empty list under `scenarios:`")
    scenarios: list[Scenario] = []
    for number, item in enumerate(items, start=1):
        name = _name(item, number)
        try:
            scenarios.append(_scenario(item))
        except _FieldError as exc:
            raise ScenarioFileError(f"{path}: scenario {name}: {exc.field}: {exc.problem}") from None
        if [s.id for s in scenarios].count(scenarios[-1].id) > 1:
            raise ScenarioFileError(f"{path}: scenario {name}: id: used by an earlier scenario")
    return scenarios


class _FieldError(Exception):
    def __init__(self, field_name: str, problem: str) -> None:
        super().__init__(f"{field_name}: {problem}")
        self.field, self.problem = field_name, problem


def _name(item: Any, number: int) -> str:
    if isinstance(item, dict) and isinstance(item.get("id"), (str, int)) and str(item["id"]).strip():
        return repr(str(item["id"]).strip())
    return f"#{number} (no id)"


def _scenario(item: Any) -> Scenario:
    if not isinstance(item, dict):
        raise _FieldError("scenario", "must be a mapping with id, user, turns or goal, and expect")
    _no_unknown(item, SCENARIO_KEYS, "")
    sid = _text(item.get("id"), "id")
    user = _text(item.get("user"), "user")
    has_turns, has_goal = "turns" in item, "goal" in item
    if has_turns == has_goal:
        raise _FieldError("turns", "give either scripted `turns` or a `goal` for the simulator, not both")
    expect = _expect(item.get("expect", {}))
    if has_turns:
        for key in ("persona", "order", "details"):
            if key in item:
                raise _FieldError(key, "only goal scenarios take it (scripted turns say everything)")
        turns = item["turns"]
        if not isinstance(turns, list) or not turns:
            raise _FieldError("turns", "must be a non-empty list of messages")
        steps = [_step(t, f"turns[{i}]") for i, t in enumerate(turns)]
        if not any(s.say for s in steps):
            raise _FieldError("turns", "needs at least one customer message")
        return Scenario(sid, user, expect, steps=steps, description=str(item.get("description") or ""))
    scenario = Scenario(
        sid,
        user,
        expect,
        goal=_text(item["goal"], "goal"),
        persona=_persona(item.get("persona", "polite")),
        order=_placeholder_only(item["order"], "order") if "order" in item else None,
        details=_details(item.get("details", {})),
        description=str(item.get("description") or ""),
    )
    _check_placeholders(scenario.goal or "", "goal")
    return scenario


def _step(raw: Any, where: str) -> Step:
    if isinstance(raw, str):
        return Step(say=_message(raw, where))
    if not isinstance(raw, dict):
        raise _FieldError(where, "must be a message, or a mapping with `say` or `policy_change`")
    if "policy_change" in raw:
        if len(raw) != 1:
            raise _FieldError(where, "a `policy_change` step takes nothing else")
        return Step(policy_change=_policy_edit(raw["policy_change"], f"{where}.policy_change"))
    _no_unknown(raw, SAY_KEYS, where + ".")
    if "say" not in raw:
        raise _FieldError(where, "a mapping turn needs `say` (the customer's message)")
    return Step(
        say=_message(raw["say"], f"{where}.say"),
        intent=_intent(raw["intent"], f"{where}.intent") if "intent" in raw else None,
        facts=_facts(raw.get("facts", []), f"{where}.facts"),
        not_facts=_strings(raw.get("not_facts", []), f"{where}.not_facts"),
    )


def _policy_edit(raw: Any, where: str) -> PolicyEdit:
    if not isinstance(raw, dict):
        raise _FieldError(where, "must be a mapping {policy: ID, old: TEXT, new: TEXT}")
    _no_unknown(raw, CHANGE_KEYS, where + ".")
    policies = raw.get("policy")
    ids = [policies] if isinstance(policies, str) else policies
    if not isinstance(ids, list) or not ids or not all(isinstance(p, str) and p.strip() for p in ids):
        raise _FieldError(f"{where}.policy", "name the policy id (or a list of ids) to change")
    old, new = (_scalar(raw.get(k), f"{where}.{k}") for k in ("old", "new"))
    if old == new:
        raise _FieldError(f"{where}.new", "must differ from `old`")
    return PolicyEdit([p.strip() for p in ids], old, new)


def _expect(raw: Any) -> Expectation:
    if not isinstance(raw, dict):
        raise _FieldError("expect", "must be a mapping (writes, facts, not_facts, handoff)")
    _no_unknown(raw, EXPECT_KEYS, "expect.")
    writes = raw.get("writes", [])
    if not isinstance(writes, list):
        raise _FieldError("expect.writes", "must be a list of {action, status_after}")
    handoff = raw.get("handoff")
    if handoff is not None and not isinstance(handoff, bool):
        raise _FieldError("expect.handoff", f"must be true or false, not {handoff!r}")
    return Expectation(
        writes=[_write(w, f"expect.writes[{i}]") for i, w in enumerate(writes)],
        facts=_facts(raw.get("facts", []), "expect.facts"),
        not_facts=_strings(raw.get("not_facts", []), "expect.not_facts"),
        handoff=handoff,
    )


def _write(raw: Any, where: str) -> WriteSpec:
    if not isinstance(raw, dict):
        raise _FieldError(where, "must be a mapping {action: NAME, status_after: STATUS}")
    _no_unknown(raw, WRITE_KEYS, where + ".")
    action = _text(raw.get("action"), f"{where}.action")
    kind = write_kind(action)
    if kind not in WRITE_KINDS:
        known = "cancel_order, modify_order, return_request, exchange_request, price_protection, "
        raise _FieldError(f"{where}.action", f"{action!r} is not a write action; use one of {known}"
                          "invoice_request, urge_shipment")
    status = raw.get("status_after")
    if status is not None and status not in STATUSES:
        raise _FieldError(f"{where}.status_after", f"{status!r} is not an order status; use one of "
                          + ", ".join(STATUSES))
    order = _placeholder_only(raw["order"], f"{where}.order") if "order" in raw else None
    return WriteSpec(action, kind, status, order)


def _facts(raw: Any, where: str) -> list[list[str]]:
    if not isinstance(raw, list):
        raise _FieldError(where, "must be a list (a fact is a text, or a list of alternative texts)")
    out = []
    for i, fact in enumerate(raw):
        alternatives = _strings(fact if isinstance(fact, list) else [fact], f"{where}[{i}]")
        if not alternatives:
            raise _FieldError(f"{where}[{i}]", "an empty list of alternatives")
        for alt in alternatives:
            _check_placeholders(alt, f"{where}[{i}]")
        out.append(alternatives)
    return out


def _strings(raw: Any, where: str) -> list[str]:
    if not isinstance(raw, list):
        raise _FieldError(where, "must be a list of texts")
    return [_scalar(v, f"{where}[{i}]") for i, v in enumerate(raw)]


def _scalar(raw: Any, where: str) -> str:
    if isinstance(raw, bool) or not isinstance(raw, (str, int, float)) or not str(raw).strip():
        raise _FieldError(where, "must be a non-empty text or number")
    return str(raw).strip()


def _text(raw: Any, where: str) -> str:
    if isinstance(raw, bool) or not isinstance(raw, (str, int)) or not str(raw).strip():
        raise _FieldError(where, "is required (a non-empty text)")
    return str(raw).strip()


def _message(raw: Any, where: str) -> str:
    text = _text(raw, where)
    _check_placeholders(text, where)
    return text


def _placeholder_only(raw: Any, where: str) -> str:
    text = _text(raw, where)
    if not PLACEHOLDER.fullmatch(text):
        raise _FieldError(where, f"{text!r} must be one order placeholder such as {{order:paid}}")
    _check_placeholders(text, where)
    return text


def _check_placeholders(text: str, where: str) -> None:
    for braces in _ANY_BRACES.findall(text):
        match = PLACEHOLDER.fullmatch(braces)
        if match is None:
            raise _FieldError(where, f"unknown placeholder {braces}; write {{order:STATUS}} or {{order:CATEGORY}}")
        parts = match.group(1).split("+")
        if not all(_KEY_PART.match(p) for p in parts) or sum(p in STATUSES for p in parts) > 1:
            raise _FieldError(where, f"{braces}: name one status and/or one category, e.g. {{order:delivered+fresh}}")


def _intent(raw: Any, where: str) -> str:
    from graph.intents import INTENTS

    intent = _text(raw, where)
    if intent not in INTENTS:
        raise _FieldError(where, f"{intent!r} is not an intent of graph/intents.yaml")
    return intent


def _persona(raw: Any) -> str:
    from evals.phrasing import personas

    name = _text(raw, "persona")
    if name not in personas():
        raise _FieldError("persona", f"{name!r} is not a simulator persona; use one of {', '.join(personas())}")
    return name


def _details(raw: Any) -> dict[str, str]:
    if not isinstance(raw, dict):
        raise _FieldError("details", "must be a mapping (address, title, product)")
    _no_unknown(raw, DETAIL_KEYS, "details.")
    return {k: _scalar(v, f"details.{k}") for k, v in raw.items()}


def _no_unknown(raw: dict[str, Any], allowed: set[str], prefix: str) -> None:
    unknown = sorted(str(k) for k in raw if k not in allowed)
    if unknown:
        raise _FieldError(prefix + unknown[0], f"unknown field; allowed here: {', '.join(sorted(allowed))}")
