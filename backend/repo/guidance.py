"""Guidance given (诉访分离) and urgent alerts: both are records staff statistics rely on."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from ..models import Guidance, UrgentAlert, utcnow


async def record_guidance(
    session: AsyncSession, citizen_id: int, channel: str, confidence: float, cues: list[Any], deadline: date | None
) -> int:
    row = Guidance(citizen_id=citizen_id, channel=channel, confidence=confidence, cues=cues, deadline=deadline)
    session.add(row)
    await session.flush()
    return row.id


async def set_outcome(
    session: AsyncSession, guidance_id: int, citizen_id: int, outcome: str, case_id: int | None = None
) -> None:
    values: dict[str, Any] = {"outcome": outcome}
    if case_id is not None:
        values["case_id"] = case_id
    await session.execute(
        update(Guidance).where(Guidance.id == guidance_id, Guidance.citizen_id == citizen_id).values(**values)
    )


async def raise_alert(
    session: AsyncSession, citizen_id: int, channel: str, chat_id: str, kinds: list[str], excerpt: str
) -> int:
    alert = UrgentAlert(
        citizen_id=citizen_id, channel=channel, chat_id=chat_id, kinds=kinds, excerpt=excerpt, at=utcnow()
    )
    session.add(alert)
    await session.flush()
    return alert.id
