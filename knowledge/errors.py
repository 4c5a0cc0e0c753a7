"""Domain errors of the policy knowledge base (callers turn them into messages in one place).

An error made with a `code` carries the `field` it is about and the values its message needs, so the
editor can show it in the editor's language next to that field (knowledge/messages.yaml); `str(exc)`
is the English message the CLI and the logs show.
"""

from __future__ import annotations

from typing import Any


class KbError(Exception):
    """Base class of every knowledge-base error; the message is one line meant for a person."""

    def __init__(self, message: str | None = None, *, code: str | None = None, field: str | None = None,
                 **params: Any) -> None:
        from knowledge.messages import render

        self.code, self.field, self.params = code, field, params
        super().__init__(message if message is not None else render(code or "", "en", field, params))

    def message(self, language: str = "zh") -> str:
        """The message in `language` ('zh' or 'en'); uncoded errors only have their English text."""
        from knowledge.messages import render

        return render(self.code, language, self.field, self.params) if self.code else str(self)


class PolicyFormatError(KbError):
    """A policy document is malformed (front matter, id, body, size, encoding)."""


class UnknownPolicyError(KbError):
    """No policy (or no such version of it) exists under the given id."""


class VersionConflictError(KbError):
    """An explicit version number clashes with the versions already stored."""


class EditConflictError(KbError):
    """A change made from a stale view: the id is taken, or someone else changed the policy meanwhile."""
