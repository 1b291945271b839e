"""Kinds of citizen behaviour, each played against the real dialogue by the persona driver:
every one of them must end as it meant — a 受理编号 with the right fields, or nothing filed when it
decides not to submit (tests/data/intake_personas.jsonl; `python -m bench.intake` reports on any
such file). All personas share one store (different citizens), which keeps this quick."""

from __future__ import annotations

import json

from tests.auxil.paths import REPO
from tests.auxil.persona import Persona, play

PERSONAS = [
    Persona.from_dict(json.loads(line), i)
    for i, line in enumerate((REPO / "tests" / "data" / "intake_personas.jsonl").read_text("utf-8").splitlines())
    if line.strip()
]


def test_there_are_at_least_twenty_kinds_of_citizen() -> None:
    assert len({p.id for p in PERSONAS}) == len(PERSONAS) >= 20


async def test_every_citizen_ends_as_they_meant(assistant, store) -> None:  # type: ignore[no-untyped-def]
    failures = []
    for i, persona in enumerate(PERSONAS):
        outcome = await play(assistant, store, persona, user_id=f"persona{i}")
        if not outcome.ok:
            transcript = "\n".join(f"  {who}: {text[:200]}" for who, text in outcome.transcript)
            failures.append(f"{persona.id}: {outcome.why()}\n{transcript}")
    assert not failures, "\n\n".join(failures)


async def test_the_driver_notices_wrong_fields_and_a_filing_not_wanted(assistant, store) -> None:  # type: ignore[no-untyped-def]
    answers = {
        "name": "方明",
        "phone": "13800001111",
        "address": "A市A3区建设路",
        "facts": "小区门口的路灯坏了三个月，晚上很黑",
        "request": "修好路灯",
        "reason": "安全",
        "others": "就我",
        "attachments": "没有",
    }
    wrong = Persona("wrong-name", answers=answers, expect={"name": "方亮", "phone": "13800001111"})
    outcome = await play(assistant, store, wrong, user_id="d1")
    assert outcome.ticket and not outcome.ok and "name" in outcome.why()
    unwanted = Persona("files-anyway", answers=answers, expect={"submitted": False})
    outcome = await play(assistant, store, unwanted, user_id="d2")
    assert outcome.ticket and not outcome.ok and "decided not to submit" in outcome.why()
    stubborn = Persona("never-a-phone", answers={**answers, "phone": "我不知道啊"}, expect={"submitted": True})
    outcome = await play(assistant, store, stubborn, user_id="d3")
    assert outcome.ok  # 「不知道」 at the phone: skipped with a note, not asked forever
