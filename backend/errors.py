"""Domain errors the case store raises; handlers and the web layer turn them into plain words."""

from __future__ import annotations


class StoreError(Exception):
    """Base of every error the backend raises on purpose."""


class StoreUnavailable(StoreError):
    """The database cannot be reached right now; the caller should keep the draft and retry."""


class NotFound(StoreError):
    """No such record — or not one the asker may see (the two are deliberately the same)."""


class Conflict(StoreError):
    """The action does not fit the record's current state (e.g. concluding an unaccepted case)."""


class Invalid(StoreError):
    """The request is malformed or breaks a rule (e.g. an extension over 30 days)."""


class FieldErrors(Invalid):
    """The input has mistakes: one message per field (the API answers 422 with them all)."""

    def __init__(self, fields: dict[str, str]) -> None:
        super().__init__("；".join(fields.values()))
        self.fields = fields


class Forbidden(StoreError):
    """The staff member's role does not allow this action."""
