"""Outreach campaigns in the case store: the queue's rules, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, update

from backend import campaigns
from backend.errors import Conflict, Invalid
from backend.models import Campaign, Citizen, Delivery
from backend.repo import citizens
from bot.campaign_worker import Blocked, CampaignSender, Pause
from tests.auxil.cases import a_citizen


async def subscribers(store, n: int, topic: str = "daily_article", channel: str = "telegram") -> list[int]:  # type: ignore[no-untyped-def]
    ids = []
    async with store.unit() as uow:
        for i in range(n):
            citizen = await citizens.upsert(uow.session, channel, f"{channel}{topic}{i}", f"{9000 + i}")
            await campaigns.subscribe(uow.session, citizen, topic, "test")
            ids.append(citizen)
    return ids


async def a_campaign(store, **fields) -> int:  # type: ignore[no-untyped-def]
    async with store.unit() as uow:
        campaign = await campaigns.create(
            uow.session,
            title=fields.pop("title", "推送"),
            text=fields.pop("text", "内容"),
            created_by="tester",
            **fields,
        )
        return campaign.id


async def test_materialising_takes_active_unblocked_subscribers_once(store) -> None:  # type: ignore[no-untyped-def]
    ids = await subscribers(store, 5)
    await subscribers(store, 3, topic="policy")
    async with store.unit() as uow:
        await campaigns.unsubscribe(uow.session, ids[0])
        await uow.session.execute(update(Citizen).where(Citizen.id == ids[1]).values(blocked_at=datetime.now(UTC)))
    campaign_id = await a_campaign(store, topic="daily_article")
    everyone = await a_campaign(store)
    for _ in range(2):  # a second pass (a restart) adds nobody twice
        async with store.unit() as uow:
            await campaigns.materialize_due(uow.session, datetime.now(UTC))
    async with store.unit() as uow:
        assert (await campaigns.counts(uow.session, campaign_id))["pending"] == 3
        assert (await campaigns.counts(uow.session, everyone))["pending"] == 6


async def test_a_future_campaign_waits_and_a_draft_needs_review(store) -> None:  # type: ignore[no-untyped-def]
    await subscribers(store, 2)
    later = await a_campaign(store, send_at=datetime.now(UTC) + timedelta(hours=1))
    async with store.unit() as uow:
        draft = (await campaigns.create(uow.session, title="草稿", text="x", created_by="series", draft=True)).id
        assert await campaigns.materialize_due(uow.session, datetime.now(UTC)) == 0
        with pytest.raises(Conflict):
            await campaigns.approve(uow.session, later, "disp")
        await campaigns.approve(uow.session, draft, "disp")
        assert await campaigns.materialize_due(uow.session, datetime.now(UTC)) == 1


async def test_the_series_is_generated_from_knowledge_as_drafts(store, engine) -> None:  # type: ignore[no-untyped-def]
    async with store.unit() as uow:
        made = await campaigns.generate_series(
            uow.session, engine.knowledge, date(2026, 12, 1), ZoneInfo("Asia/Shanghai"), "disp"
        )
        again = await campaigns.generate_series(
            uow.session, engine.knowledge, date(2026, 12, 1), ZoneInfo("Asia/Shanghai"), "disp"
        )
        rows = (await uow.session.scalars(select(Campaign))).all()
    assert made == 60 and again == 0
    assert all(c.status == "draft" for c in rows)
    first = next(c for c in rows if c.title.endswith("第三十四条"))
    assert "60 日" in first.text and "原文" in first.text
    quiz = next(c for c in rows if c.kind == "quiz")
    assert quiz.quiz["options"] and 0 <= quiz.quiz["answer"] < len(quiz.quiz["options"])


async def test_invalid_campaigns_are_refused(store) -> None:  # type: ignore[no-untyped-def]
    async with store.unit() as uow:
        for bad in (
            {"title": "", "text": "x"},
            {"title": "t", "text": ""},
            {"title": "t", "text": "x", "topic": "nope"},
            {"title": "t", "text": "x", "quiz": {"question": "q", "options": ["a"], "answer": 0}},
            {"title": "t", "text": "x", "buttons": [[{"label": "看看", "url": "javascript:alert(1)"}]]},
        ):
            with pytest.raises(Invalid):
                await campaigns.create(uow.session, created_by="t", **bad)


async def run_until_done(sender: CampaignSender, store, campaign_id: int) -> dict:  # type: ignore[no-untyped-def]
    for _ in range(200):
        await sender.step()
        async with store.unit() as uow:
            counts = await campaigns.counts(uow.session, campaign_id)
        if counts["pending"] == 0:
            return counts
    raise AssertionError("did not finish")


async def test_blocked_users_are_marked_and_skipped_next_time(store) -> None:  # type: ignore[no-untyped-def]
    ids = await subscribers(store, 4)
    sent: list[str] = []

    async def send(row, text, buttons):  # type: ignore[no-untyped-def]
        if row.chat_id == "9001":
            raise Blocked
        sent.append(row.chat_id)

    sender = CampaignSender(store, send, rate=1000)
    first = await a_campaign(store)
    counts = await run_until_done(sender, store, first)
    assert (counts["sent"], counts["blocked"]) == (3, 1)
    async with store.unit() as uow:
        assert (await uow.session.get(Citizen, ids[1])).blocked_at is not None
    second = await a_campaign(store)
    counts = await run_until_done(sender, store, second)
    assert counts["recipients"] == 3 and "9001" not in sent[3:]


async def test_retry_after_pauses_and_nothing_is_dropped(store) -> None:  # type: ignore[no-untyped-def]
    await subscribers(store, 5)
    calls = {"n": 0}
    sent: list[str] = []

    async def send(row, text, buttons):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 2:
            raise Pause(0.3)
        sent.append(row.chat_id)

    sender = CampaignSender(store, send, rate=1000)
    campaign_id = await a_campaign(store)
    counts = await run_until_done(sender, store, campaign_id)
    assert counts["sent"] == 5 and sorted(sent) == sorted(set(sent))


async def test_a_stop_midway_resumes_exactly(store) -> None:  # type: ignore[no-untyped-def]
    await subscribers(store, 60)
    sent: list[str] = []

    async def send(row, text, buttons):  # type: ignore[no-untyped-def]
        await asyncio.sleep(0.005)
        sent.append(row.chat_id)

    campaign_id = await a_campaign(store)
    first = CampaignSender(store, send, rate=200, batch=20, concurrency=4)
    task = asyncio.create_task(first.run())
    while len(sent) < 15:
        await asyncio.sleep(0.01)
    await first.stop()
    await asyncio.wait_for(task, 10)
    assert len(sent) < 60
    second = CampaignSender(store, send, rate=200, batch=20, concurrency=4)
    counts = await run_until_done(second, store, campaign_id)
    assert counts["sent"] == 60 and len(sent) == 60 and len(set(sent)) == 60


async def test_a_crash_never_sends_twice(store) -> None:  # type: ignore[no-untyped-def]
    await subscribers(store, 3)
    campaign_id = await a_campaign(store)
    async with store.unit() as uow:
        await campaigns.materialize_due(uow.session, datetime.now(UTC))
        claimed = await campaigns.claim(uow.session, 2)  # …and the process dies here
        await uow.session.execute(
            update(Delivery)
            .where(Delivery.id.in_([c.id for c in claimed]))
            .values(claimed_at=datetime.now(UTC) - timedelta(minutes=10))
        )
    async with store.unit() as uow:
        assert await campaigns.recover_interrupted(uow.session, timedelta(minutes=5)) == 2
        counts = await campaigns.counts(uow.session, campaign_id)
    assert (counts["failed"], counts["pending"]) == (2, 1)


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_two_workers_on_postgresql_never_double_send(store) -> None:  # type: ignore[no-untyped-def]
    await subscribers(store, 300)
    sent: list[str] = []

    async def send(row, text, buttons):  # type: ignore[no-untyped-def]
        await asyncio.sleep(0.001)
        sent.append(row.chat_id)

    campaign_id = await a_campaign(store)
    workers = [CampaignSender(store, send, rate=5000, batch=25, concurrency=8) for _ in range(2)]
    tasks = [asyncio.create_task(w.run()) for w in workers]
    for _ in range(500):
        async with store.unit() as uow:
            counts = await campaigns.counts(uow.session, campaign_id)
        if counts["recipients"] and counts["pending"] == 0:
            break
        await asyncio.sleep(0.02)
    for w in workers:
        await w.stop()
    await asyncio.gather(*tasks)
    assert len(sent) == 300 and len(set(sent)) == 300
    async with store.unit() as uow:
        assert (
            await uow.session.scalar(select(func.count()).select_from(Delivery).where(Delivery.status == "sent")) == 300
        )


async def test_quiz_answers_are_scored_once(store) -> None:  # type: ignore[no-untyped-def]
    citizen = await a_citizen(store)
    quiz = {"question": "多久办结？", "options": ["30 日", "60 日"], "answer": 1, "explain": "60 日", "article": 34}
    campaign_id = await a_campaign(store, quiz=quiz, topic="quiz")
    other = await a_citizen(store)
    async with store.unit() as uow:
        assert (await campaigns.record_answer(uow.session, campaign_id, citizen, 1))[:3:2] == (True, True)
        correct, _, first = await campaigns.record_answer(uow.session, campaign_id, citizen, 0)
        assert (correct, first) == (True, False)  # the first answer stands
        await campaigns.record_answer(uow.session, campaign_id, other, 0)
        counts = await campaigns.counts(uow.session, campaign_id)
    assert counts["quiz"] == {"answers": 2, "correct": 1, "score": 0.5}
