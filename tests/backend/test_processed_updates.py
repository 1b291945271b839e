"""Processed update ids: a re-delivery is recognised; ids older than Telegram's memory are forgotten."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from backend.models import ProcessedUpdate, utcnow
from backend.repo import updates


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
async def test_a_redelivered_update_is_recognised_and_old_ids_are_forgotten(store) -> None:  # type: ignore[no-untyped-def]
    async with store.unit() as uow:
        assert await updates.mark(uow.session, "telegram", "1")
        assert await updates.mark(uow.session, "telegram", "2")
    async with store.unit() as uow:
        assert not await updates.mark(uow.session, "telegram", "1")  # the same update again
        assert await updates.mark(uow.session, "web", "1")  # ids are per channel
    async with store.unit() as uow:
        await uow.session.execute(
            update(ProcessedUpdate)
            .where(ProcessedUpdate.update_id == "1")
            .values(processed_at=utcnow() - timedelta(days=3))
        )
    async with store.unit() as uow:
        assert await updates.forget_older_than(uow.session, timedelta(days=2)) == 2
    async with store.unit() as uow:
        left = await uow.session.scalar(select(func.count()).select_from(ProcessedUpdate))
    assert left == 1
