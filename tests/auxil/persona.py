"""A citizen described as data, played against the real Assistant on a real store.

A persona says an opening message, then answers whatever the dialogue asks *in its own words*,
never pressing a button: the driver reads which step the dialogue is at from the stored dialogue
state (not from our wording) and types the persona's answer for that slot. It can interject (a
question mid-way), correct fields at the summary, and finally confirm. The run succeeds when a
受理编号 is given and the filed case holds the fields the persona expects.

Persona fields (JSON, one object per line in a .jsonl file):
    id / kind           a name for the report
    opening             the first message (default 「/complain」)
    answers             {slot: what they say} for facts, request, reason, others (the 「just me or
                        others?」 question, and the head count if asked), representatives,
                        attachments, name, phone, address, confirm; a list gives successive tries
    interjections       [{"at": slot, "text": …}] said when that slot is first asked, before answering
                        (a bare string: said at the first question)
    corrections         [{"text": …}] said at the summary, in order, before confirming
    expect              {field: value} checked on the filed case: name, phone, address, facts,
                        request, reason (contained; or `<field>_contains`), anonymous (bool),
                        group_size, representatives; `submitted: false` — the citizen decides at
                        the summary not to file, and success is that nothing is filed
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from backend.models import Case
from backend.repo import dialogue
from backend.store import Store
from handlers import Assistant
from nlp.extract import normalise_phone

from .dialogue import Citizen

SLOT_OF_STATE = {
    "intake:name": "name",
    "intake:phone": "phone",
    "intake:address": "address",
    "intake:facts": "facts",
    "intake:request": "request",
    "intake:reason": "reason",
    "intake:attachments": "attachments",
    "intake:group": "others",
    "intake:group_size": "others",
    "intake:representatives": "representatives",
    "intake:confirm": "confirm",
}
# what a citizen who does not press buttons types when offered to file, or shown another door
SAY_TO_FILE = "好的，麻烦帮我登记一下"
SAY_FILE_ANYWAY = "我还是想找信访部门反映，帮我登记吧"
SAY_ALREADY_SAID = "前面已经说过了"
SAY_CONFIRM = "确认提交"
FILING_PAYLOADS = ("intake:start", "steer:file", "intake:restore")
MAX_TURNS = 40
MAX_SAME_SLOT = 3
TICKET = re.compile(r"XF-\d{8}-\d{4}")
QUESTION = re.compile(r"[?？]|[吗呢么][。.!！~～]*$")
ANONYMOUS_NAME = "（不愿留名）"


@dataclass
class Persona:
    id: str
    opening: str = "/complain"
    answers: dict[str, Any] = field(default_factory=dict)
    interjections: list[Any] = field(default_factory=list)
    corrections: list[Any] = field(default_factory=list)
    expect: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: dict[str, Any], index: int = 0) -> Persona:
        return cls(
            id=str(data.get("id") or data.get("kind") or data.get("name") or f"persona-{index + 1}"),
            opening=data.get("opening") or "/complain",
            answers=dict(data.get("answers") or {}),
            interjections=list(data.get("interjections") or []),
            corrections=list(data.get("corrections") or []),
            expect=dict(data.get("expect") or {}),
        )


@dataclass
class Outcome:
    persona: str
    ticket: str | None = None
    problems: list[str] = field(default_factory=list)  # why it failed
    notes: list[str] = field(default_factory=list)  # what was clumsy but not fatal
    transcript: list[tuple[str, str]] = field(default_factory=list)  # (who, text)

    submitted_expected: bool = True  # 「先不提交了」: the right outcome is no case at all

    @property
    def ok(self) -> bool:
        return (self.ticket is not None) == self.submitted_expected and not self.problems

    def why(self) -> str:
        return "；".join(self.problems) or "ok"


def _said(item: Any) -> str:
    if isinstance(item, str):
        return item
    if isinstance(item, dict):
        for key in ("text", "say", "message", "question", "utterance"):
            if isinstance(item.get(key), str):
                return item[key]
    return str(item)


def _slot_of(item: Any) -> str | None:
    if isinstance(item, dict):
        for key in ("at", "slot", "before", "step", "when"):
            if isinstance(item.get(key), str):
                value = item[key]
                return {"group": "others", "group_size": "others", "summary": "confirm"}.get(value, value)
    return None


class PersonaDriver:
    """Plays one persona against an Assistant; reads the dialogue step from the store."""

    def __init__(self, assistant: Assistant, store: Store, persona: Persona, user_id: str) -> None:
        self.store = store
        self.persona = persona
        self.citizen = Citizen(assistant, user_id=user_id)
        self.outcome = Outcome(persona.id)
        self._tries: dict[str, int] = {}
        self._interjections = list(persona.interjections)
        self._corrections = [_said(c) for c in persona.corrections]

    async def state(self) -> str:
        async with self.store.unit() as uow:
            channel, user = self.citizen.channel, self.citizen.user_id
            return (await dialogue.load_turn(uow.session, f"{channel}:{user}", channel, user)).state

    async def say(self, text: str) -> str:
        self.outcome.transcript.append(("citizen", text))
        await self.citizen.send(text)
        reply = self.citizen.text
        self.outcome.transcript.append(("assistant", reply))
        return reply

    def _ticket(self, reply: str) -> str | None:
        m = TICKET.search(reply)
        return m.group(0) if m and ("受理编号" in reply or "并入该件" in reply) else None

    def _answer(self, slot: str) -> str:
        tries = self._tries.get(slot, 0)
        self._tries[slot] = tries + 1
        value = self.persona.answers.get(slot)
        if slot == "confirm" and value is None:
            return SAY_CONFIRM
        if value is None:
            self.outcome.notes.append(f"asked for {slot}, which the persona had no answer for")
            return SAY_ALREADY_SAID
        if isinstance(value, list):
            return _said(value[min(tries, len(value) - 1)]) if value else SAY_ALREADY_SAID
        return _said(value)

    def _interjection_for(self, slot: str) -> str | None:
        for i, item in enumerate(self._interjections):
            at = _slot_of(item)
            if at is None or at == slot:
                return _said(self._interjections.pop(i))
        return None

    async def run(self) -> Outcome:
        self.outcome.submitted_expected = bool(self.persona.expect.get("submitted", True))
        reply = await self.say(self.persona.opening)
        confirmed = False  # the persona has given its last word at the summary
        for _ in range(MAX_TURNS):
            ticket = self._ticket(reply)
            if ticket:
                self.outcome.ticket = ticket
                if not self.outcome.submitted_expected:
                    self.outcome.problems.append("filed although the citizen decided not to submit")
                await self._check(ticket)
                return self.outcome
            state = await self.state()
            slot = SLOT_OF_STATE.get(state)
            if slot is None and confirmed:
                if self.outcome.submitted_expected:
                    self.outcome.problems.append(f"the dialogue ended without a 受理编号 (state {state})")
                return self.outcome
            if slot is None:
                reply = await self.say(self._outside_intake(state))
                continue
            if self._tries.get(slot, 0) >= MAX_SAME_SLOT:
                self.outcome.problems.append(f"stuck at {slot}: asked {MAX_SAME_SLOT + 1} times")
                return self.outcome
            interjection = self._interjection_for(slot)
            if interjection is not None:
                reply = await self.say(interjection)
                after = await self.state()
                if QUESTION.search(interjection) and after != state and after in SLOT_OF_STATE:
                    self.outcome.problems.append(f"the question 「{interjection}」 at {slot} was taken as an answer")
                continue
            if slot == "confirm" and self._corrections:
                reply = await self.say(self._corrections.pop(0))
                continue
            confirmed = slot == "confirm"
            reply = await self.say(self._answer(slot))
        self.outcome.problems.append(f"no 受理编号 after {MAX_TURNS} turns (last state {await self.state()})")
        return self.outcome

    def _outside_intake(self, state: str) -> str:
        """Not at an intake step: offered to file, shown another door, or asked something else.

        A citizen who does not press buttons may still type what a button says: when one of the
        buttons shown leads to filing, its label is typed; otherwise the persona says it wants to file."""
        shown = [b for r in self.citizen.last for b in r.button_list]
        if any(b.data.startswith("steer:file") for b in shown):
            self.outcome.notes.append("shown another door first")
            return self.persona.answers.get("file_anyway") or SAY_FILE_ANYWAY
        if state != "idle":
            self.outcome.notes.append(f"at dialogue state {state}")
            filing = [b.label for b in shown if b.data.startswith(FILING_PAYLOADS)]
            if filing:
                return filing[0]
        return self.persona.answers.get("file") or SAY_TO_FILE

    async def _check(self, ticket: str) -> None:
        async with self.store.unit() as uow:
            case = await uow.session.scalar(select(Case).where(Case.ticket == ticket))
        if case is None:
            self.outcome.problems.append(f"{ticket} is not in the store")
            return
        expect = dict(self.persona.expect)
        expect.update(expect.pop("fields", None) or {})
        expect.pop("submitted", None)
        for key, wanted in expect.items():
            problem = check_field(case, key, wanted)
            if problem:
                self.outcome.problems.append(problem)


def _plain(text: Any) -> str:
    return re.sub(r"[\s，,。.、;；:：!！?？\"'“”「」()（）\-]", "", str(text or ""))


def check_field(case: Case, key: str, wanted: Any) -> str | None:
    """None when the case holds what the persona expects for `key`; else what is wrong."""
    base, _, mode = key.rpartition("_") if key.endswith(("_contains", "_min", "_max")) else (key, "", "")
    if base in ("ticket", "filed", "reaches_ticket", "submitted"):
        return None  # reaching the ticket is checked by the driver
    if base == "anonymous":
        anonymous = case.name == ANONYMOUS_NAME
        return None if anonymous == bool(wanted) else f"anonymous: expected {bool(wanted)}, name is 「{case.name}」"
    value = getattr(case, base, None) if base in Case.__table__.columns else None
    if base not in Case.__table__.columns:
        return None  # a field this store does not keep: nothing to check
    if base == "phone":
        got = normalise_phone(value or "") or value
        want = normalise_phone(str(wanted or "")) or wanted
        return None if (got or None) == (want or None) else f"phone: expected {want}, got {got}"
    if base == "group_size":
        if mode == "min":
            return None if value >= int(wanted) else f"group_size: expected ≥ {wanted}, got {value}"
        return None if value == int(wanted) else f"group_size: expected {wanted}, got {value}"
    if base == "representatives":
        want_list = wanted if isinstance(wanted, list) else re.split(r"[，,、\s]+", str(wanted))
        return (
            None
            if {_plain(w) for w in want_list if w} == {_plain(v) for v in value or []}
            else (f"representatives: expected {want_list}, got {value}")
        )
    if wanted is None:
        return None if not value or value in ("（未留）", ANONYMOUS_NAME) else f"{base}: expected none, got 「{value}」"
    wants = wanted if isinstance(wanted, list) else [wanted]
    got = _plain(value)
    for want in wants:
        want = _plain(want)
        if base == "name" and mode != "contains":
            if got != want:
                return f"name: expected 「{want}」, got 「{value}」"
        elif want not in got:
            return f"{base}: expected it to hold 「{want}」, got 「{str(value)[:60]}」"
    return None


async def play(assistant: Assistant, store: Store, persona: Persona, user_id: str) -> Outcome:
    return await PersonaDriver(assistant, store, persona, user_id).run()
