"""Domain errors of the policy knowledge base (callers turn them into messages in one place)."""

from __future__ import annotations


class KbError(Exception):
    """Base class of every knowledge-base error; the message is one line meant for a person."""


class PolicyFormatError(KbError):
    """A policy document is malformed (front matter, id, body, size, encoding)."""


class UnknownPolicyError(KbError):
    """No policy (or no such version of it) exists under the given id."""


class VersionConflictError(KbError):
    """An explicit version number clashes with the versions already stored."""
