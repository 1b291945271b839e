"""The complaint being written: a typed dataclass, stored as a plain dict in the dialogue state.

`to_dict`/`from_dict` are the storage format. Drafts stored by earlier versions (a loose dict in
which a skipped phone was `"phone": None` and an anonymous citizen's name 「（不愿留名）」) load
unchanged, and keys this version does not know are carried along, never dropped.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field, fields
from typing import Any

ANONYMOUS_NAME = "（不愿留名）"
AS_ABOVE = "见上述事实"
STEPS = ("name", "phone", "address", "facts", "request", "reason", "attachments", "group")
SUB_STEPS = ("group_size", "representatives")
SKIPPABLE = ("phone", "address")  # may be left out (stored as skipped, not asked again)


@dataclass
class Draft:
    nonce: str = field(default_factory=lambda: secrets.token_hex(6))
    name: str | None = None
    anonymous: bool = False
    phone: str | None = None
    address: str | None = None
    skipped: list[str] = field(default_factory=list)  # fields the citizen chose not to give
    facts: str | None = None
    summary: str | None = None
    request: str | None = None
    reason: str | None = None
    attachments: list[int] = field(default_factory=list)
    attachment_names: list[str] = field(default_factory=list)
    attachments_done: bool = False
    group_size: int | None = None
    group_size_unknown: bool = False
    representatives: list[str] | None = None
    editing: bool = False  # a field is being changed from the summary: back to it afterwards
    declined: list[str] = field(default_factory=list)  # steps where a refusal was explained once
    kind: str = "complaint"
    steer_channel: str | None = None
    guidance_id: int | None = None
    urgent: bool = False
    extra: dict[str, Any] = field(default_factory=dict)  # keys of other versions, kept as they were

    # ── what is filled ──────────────────────────────────────────────────────

    def filled(self, step: str) -> bool:
        if step == "name":
            return self.anonymous or bool(self.name)
        if step in SKIPPABLE:
            return bool(getattr(self, step)) or step in self.skipped
        if step == "attachments":
            return self.attachments_done
        if step == "group":
            return self.group_size is not None
        if step == "group_size":
            return self.group_size is not None
        if step == "representatives":
            return self.representatives is not None
        return bool(getattr(self, step, None))

    def missing(self) -> list[str]:
        steps = [step for step in STEPS if not self.filled(step)]
        if self.group_size and self.group_size > 1 and self.representatives is None:
            steps.append("representatives")  # 条例第二十条: asked once several people share the matter
        return steps

    def skip(self, step: str) -> None:
        setattr(self, step, None)
        if step not in self.skipped:
            self.skipped.append(step)

    def set(self, step: str, value: Any) -> None:
        setattr(self, step, value)
        if step in self.skipped:
            self.skipped.remove(step)

    def go_anonymous(self) -> None:
        self.anonymous, self.name = True, None

    @property
    def display_name(self) -> str:
        return ANONYMOUS_NAME if self.anonymous or not self.name else self.name

    # ── storage ─────────────────────────────────────────────────────────────

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = dict(self.extra)
        for f in fields(self):
            if f.name == "extra":
                continue
            value = getattr(self, f.name)
            if value is None or value is False or (value == [] and f.name != "representatives"):
                continue
            data[f.name] = list(value) if isinstance(value, list) else value
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Draft:
        data = dict(data or {})
        known = {f.name for f in fields(cls)} - {"extra"}
        draft = cls(nonce=str(data.pop("nonce", "") or secrets.token_hex(6)))
        skipped = [str(s) for s in data.pop("skipped", []) or [] if isinstance(s, str)]
        for key in list(data):
            if key not in known:
                continue
            value = data.pop(key)
            if key in SKIPPABLE and value is None:
                skipped.append(key)  # an earlier version's way of saying 「skipped」
                continue
            setattr(draft, key, _coerce(key, value))
        draft.skipped = list(dict.fromkeys(skipped))
        if draft.name == ANONYMOUS_NAME:
            draft.go_anonymous()
        if draft.anonymous:
            draft.name = None
        draft.extra = data
        return draft


def _coerce(key: str, value: Any) -> Any:
    """Stored JSON back into the field's type, forgivingly (a hand-edited or older row)."""
    if key in ("attachments",):
        return [int(v) for v in value or [] if str(v).isdigit()]
    if key in ("attachment_names", "declined"):
        return [str(v) for v in value or []]
    if key == "representatives":
        return None if value is None else [str(v) for v in value]
    if key in ("group_size", "guidance_id"):
        try:
            return int(value) if value is not None else None
        except (TypeError, ValueError):
            return None
    if key in ("anonymous", "attachments_done", "editing", "urgent", "group_size_unknown"):
        return bool(value)
    return value if value is None or isinstance(value, str) else str(value)
