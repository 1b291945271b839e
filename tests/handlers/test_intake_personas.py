"""Kinds of citizen behaviour, each played against the real dialogue by the persona driver:
every one of them must end with a 受理编号 and the fields it meant (tests/data/intake_personas.jsonl;
`python -m bench.intake` runs any such file and reports)."""

from __future__ import annotations

import json

import pytest

from tests.auxil.paths import REPO
from tests.auxil.persona import Persona, play

PERSONAS = [
    Persona.from_dict(json.loads(line), i)
    for i, line in enumerate((REPO / "tests" / "data" / "intake_personas.jsonl").read_text("utf-8").splitlines())
    if line.strip()
]


def test_there_are_at_least_twenty_kinds_of_citizen() -> None:
    assert len({p.id for p in PERSONAS}) == len(PERSONAS) >= 20


@pytest.mark.parametrize("persona", PERSONAS, ids=[p.id for p in PERSONAS])
async def test_the_citizen_reaches_a_ticket_with_the_right_fields(assistant, store, persona: Persona) -> None:  # type: ignore[no-untyped-def]
    outcome = await play(assistant, store, persona, user_id="persona")
    transcript = "\n".join(f"{who}: {text}" for who, text in outcome.transcript)
    assert outcome.ok, f"{outcome.why()}\n{transcript}"
