"""The inbox's rules, on both databases: stored once, handled once and in order per citizen,
replies owed until recorded sent, and a dead instance's replies taken over by one other."""

from __future__ import annotations

from datetime import timedelta

import pytest

from backend.repo import updates


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
async def test_inbox_order_once_and_takeover(store) -> None:  # type: ignore[no-untyped-def]
    async with store.unit() as uow:
        first = await updates.store(
            uow.session, "telegram", [(11, "telegram:1", {"n": 1}), (12, "telegram:1", {"n": 2})]
        )
    async with store.unit() as uow:  # Telegram delivers 12 again, and 13 is new
        again = await updates.store(uow.session, "telegram", [(12, "telegram:1", {"n": 2}), (13, "telegram:2", {})])
    assert [s.seq for s in first] == [11, 12] and [s.seq for s in again] == [13]
    one, two = first
    async with store.unit() as uow:
        assert not await updates.finish(uow.session, two.id, [{"text": "b"}], "a")  # 11 waits: not yet
        assert (await updates.next_pending(uow.session, "telegram:1")).id == one.id
    async with store.unit() as uow:
        assert await updates.finish(uow.session, one.id, [{"text": "a1"}, {"text": "a2"}], "a")
    async with store.unit() as uow:
        assert not await updates.finish(uow.session, one.id, [{"text": "x"}], "b")  # handled once
        assert await updates.finish(uow.session, two.id, [], "a")  # nothing owed: done at once
        await updates.record_sent(uow.session, one.id, "a", 1, done=False)
    async with store.unit() as uow:
        await updates.heartbeat(uow.session, "b", "host", 2, "web")
        live = await updates.live_instances(uow.session, timedelta(seconds=30))
        orphans = await updates.orphaned(uow.session, live)
    assert live == ["b"]  # "a" never beat its heart: gone
    assert [(o.id, o.sent_parts, o.messages[o.sent_parts :]) for o in orphans] == [(one.id, 1, [{"text": "a2"}])]
    async with store.unit() as uow:
        assert await updates.take_over(uow.session, orphans[0], "b")
        assert not await updates.take_over(uow.session, orphans[0], "c")  # only one instance takes it
        assert not await updates.record_sent(uow.session, one.id, "a", 2, done=True)  # "a" no longer may
        assert await updates.record_sent(uow.session, one.id, "b", 2, done=True)
    async with store.unit() as uow:
        assert await updates.orphaned(uow.session, ["b"]) == []
        assert await updates.waiting_chats(uow.session, timedelta(0)) == ["telegram:2"]
