"""Button payloads — `prefix:field:field` strings — built and parsed in this one place.

backend/ puts buttons on the messages it sends citizens (the satisfaction prompt after 办结,
quiz options, 「退订」), handlers/ answers them; both use these definitions, so a payload's shape
cannot drift between the layer that writes it and the layer that reads it. Here (not in
handlers/) because backend must not import the dialogue. The wire format is what citizens'
chats already hold, so it never changes for a payload kind in use: add a kind instead.
"""

from __future__ import annotations

from dataclasses import dataclass

SEP = ":"
MAX_BYTES = 64  # Telegram's callback_data limit; the web chat keeps to it too


class PayloadError(ValueError):
    """A payload that cannot be built (too long, or a field holding the separator)."""


@dataclass(frozen=True, slots=True)
class Payload:
    """One kind of button payload: `prefix` then its fields; trailing fields may be left out."""

    prefix: str
    fields: tuple[str, ...]

    def build(self, *values: str | int) -> str:
        if len(values) > len(self.fields):
            raise PayloadError(f"{self.prefix}: {len(values)} values for fields {self.fields}")
        parts = [str(v) for v in values]
        while parts and parts[-1] == "":
            parts.pop()
        if any(SEP in part for part in parts[:-1]):
            raise PayloadError(f"{self.prefix}: a field holds {SEP!r}: {parts}")
        data = SEP.join((self.prefix, *parts))
        if len(data.encode("utf-8")) > MAX_BYTES:
            raise PayloadError(f"payload longer than {MAX_BYTES} bytes: {data!r}")
        return data

    def parse(self, rest: str) -> tuple[str, ...]:
        """The fields of what followed `prefix:` (missing trailing fields are "")."""
        parts = rest.split(SEP, len(self.fields) - 1) if rest else []
        return tuple(parts) + ("",) * (len(self.fields) - len(parts))

    def matches(self, data: str) -> bool:
        return split(data)[0] == self.prefix


def split(data: str) -> tuple[str, str]:
    """(prefix, the rest) of any payload; the router dispatches on the prefix."""
    prefix, _, rest = data.partition(SEP)
    return prefix, rest


# ── kinds shared between backend/ and handlers/ ─────────────────────────────
RATINGS = ("满意", "基本满意", "不满意")  # the satisfaction a citizen gives a concluded case
SATISFACTION = Payload("sat", ("ticket", "rating"))  # sat:XF-20261125-0001:基本满意
REVIEW = Payload("rev", ("ticket",))  # 申请复查 in chats from before the review flow: opens it
REVIEW_FLOW = Payload("review", ("action", "rest"))  # review:pick:<ticket>, review:go:<r|c>:<ticket>, review:no
QUIZ = Payload("quiz", ("campaign", "option"))  # quiz:12:0 — the option's index
SUBSCRIPTION = Payload("sub", ("action", "topic"))  # sub:off, sub:done, sub:menu, sub:t:<topic>

# ── kinds the dialogue sends and answers itself ─────────────────────────────
INTAKE = Payload("intake", ("action", "value"))  # intake:start, intake:skip:reason, intake:submit:<nonce>
RETRY = Payload("sys", ("action",))  # sys:retry


def satisfaction_buttons(ticket: str) -> list[list[dict[str, str]]]:
    """The rows sent with 「已办结」: three ratings, then 「申请复查」 (as stored in the outbox)."""
    return [
        [{"label": rating, "data": SATISFACTION.build(ticket, rating)} for rating in RATINGS],
        [{"label": "申请复查", "data": REVIEW_FLOW.build("pick", ticket)}],
    ]


def recheck_buttons(ticket: str) -> list[list[dict[str, str]]]:
    """The row sent with a 复查意见: 「申请复核」 (条例第三十六条)."""
    return [[{"label": "申请复核", "data": REVIEW_FLOW.build("pick", ticket)}]]
