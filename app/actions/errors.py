"""Domain errors of the actions. Raised anywhere inside an action; turned into an Outcome in ONE
place (`KefuAction.outcome_for`)."""

from __future__ import annotations

from typing import Any


class ActionProblem(Exception):
    """A rule or lookup stops the action: status `refused` or `not_found`, with a reason."""

    status = "refused"

    def __init__(self, reason_code: str, message_key: str | None = None, **params: Any) -> None:
        super().__init__(reason_code)
        self.reason_code = reason_code
        self.message_key = message_key or reason_code
        self.params = params


class Refused(ActionProblem):
    """The shop's rules do not allow the request (status `refused`)."""


class NotFound(ActionProblem):
    """The order (or parcel) does not exist (status `not_found`)."""

    status = "not_found"


class NeedSlot(Exception):
    """The action needs more information from the customer (status `need_slot`)."""

    def __init__(self, missing: list[str], choices: list[dict[str, Any]] | None = None,
                 prompt: str | None = None) -> None:
        super().__init__(",".join(missing))
        self.missing = missing
        self.choices = choices or []
        self.prompt = prompt or missing[0]
