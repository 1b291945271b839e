"""Several `xinfang run` processes on one PostgreSQL (issue 14): a load balancer may send any
update to any process. Two app instances, each with its own dialogue object and in-process locks,
so only the database can keep a citizen's updates one at a time."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest
from sqlalchemy import func, select

from backend.models import Case, Citizen, Subscription
from bot.app import create_app
from bot.keys import STORE
from bot.telegram.runtime import SECRET_HEADER, PollingRefused, webhook_secret
from tests.auxil.bot_api import COMPLAINT_STEPS
from tests.auxil.bot_api import callback_update as press
from tests.auxil.bot_api import message_update as message

pytestmark = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)


@pytest.fixture
async def pair(telegram, telegram_config, engine, aiohttp_client):  # type: ignore[no-untyped-def]
    config = telegram_config.model_copy(update={"telegram_webhook_url": "https://bot.example.org/telegram/hook"})
    first = await aiohttp_client(create_app(config, engine=engine))
    second = await aiohttp_client(create_app(config, engine=engine))
    secret = webhook_secret(config)

    async def deliver(client, update: dict) -> None:  # type: ignore[no-untyped-def]
        response = await client.post("/telegram/hook", json=update, headers={SECRET_HEADER: secret})
        assert response.status == 200

    return first, second, deliver


async def test_a_dialogue_alternating_between_processes_files_one_case(pair, telegram) -> None:  # type: ignore[no-untyped-def]
    first, second, deliver = pair
    user, update_id = 81_001, 1000
    for i, (text, expected) in enumerate(COMPLAINT_STEPS):
        seen = len(telegram.to(user))
        update_id += 1
        await deliver((first, second)[i % 2], message(update_id, user, text))
        await telegram.wait_until(lambda s=seen, e=expected: any(e in m.text for m in telegram.to(user)[s:]))
    for i, data in enumerate(("intake:skip:attachments", "intake:group:1")):
        seen = len(telegram.to(user))
        update_id += 1
        await deliver((first, second)[i % 2], press(update_id, user, data))
        await telegram.wait_until(lambda s=seen: len(telegram.to(user)) > s)
    submit = next(d for _, d in telegram.to(user)[-1].buttons if d.startswith("intake:submit:"))
    update_id += 1
    await deliver(second, press(update_id, user, submit))
    await telegram.wait_until(lambda: any("受理编号：XF-" in m.text for m in telegram.to(user)))
    async with first.app[STORE].unit() as uow:
        assert await uow.session.scalar(select(func.count()).select_from(Case)) == 1


@pytest.mark.parametrize("known", [False, True], ids=["brand-new", "known"])
async def test_simultaneous_updates_of_one_citizen_in_two_processes(pair, telegram, known) -> None:  # type: ignore[no-untyped-def]
    first, second, deliver = pair
    users = [82_001 + i for i in range(6)]
    if known:  # they have a row already (subscribed to something else)
        for n, user in enumerate(users):
            await deliver(first, press(1000 + n, user, "sub:t:policy"))
        await telegram.wait_until(lambda: all(len(telegram.to(u)) == 2 for u in users))
    before = {u: len(telegram.to(u)) for u in users}
    # two subscription buttons pressed at the same moment, one reaching each process
    await asyncio.gather(
        *(
            deliver(process, press(2000 + 10 * n + k, user, data))
            for n, user in enumerate(users)
            for k, (process, data) in enumerate(((first, "sub:t:daily_article"), (second, "sub:t:quiz")))
        )
    )
    await telegram.wait_until(lambda: all(len(telegram.to(u)) >= before[u] + 4 for u in users), timeout=40)
    await asyncio.sleep(0.5)
    async with first.app[STORE].unit() as uow:
        citizens = await uow.session.scalar(select(func.count()).select_from(Citizen))
        subscriptions = (await uow.session.execute(select(Subscription.citizen_id, Subscription.topic))).all()
    assert citizens == len(users)  # one row each, though both processes may make it at the same moment
    assert len({(c, t) for c, t in subscriptions}) == (3 if known else 2) * len(users)  # no write lost
    for user in users:  # each press answered once (subscribed + the menu), the second seeing the first
        assert len(telegram.to(user)) == before[user] + 4
        # the one handled second saw the first (its menu has both); the two replies may arrive in
        # either order, since each process sends its own
        menus = [m for m in telegram.to(user)[before[user] :] if m.buttons]
        assert any({"✅ 条例每日一条", "✅ 知识问答"} <= {label for label, _ in m.buttons} for m in menus)


async def test_one_update_delivered_to_both_processes_is_answered_once(pair, telegram) -> None:  # type: ignore[no-untyped-def]
    first, second, deliver = pair
    users = [83_001 + i for i in range(10)]
    updates = [message(3000 + i, user, "信访事项多久办结？") for i, user in enumerate(users)]
    await asyncio.gather(*(deliver(p, u) for u in updates for p in (first, second)))
    await telegram.wait_until(lambda: all(telegram.to(u) for u in users))
    await asyncio.sleep(1.0)
    assert Counter(s.chat_id for s in telegram.sent if s.chat_id in users) == dict.fromkeys(users, 1)


async def test_a_second_long_polling_process_is_refused(telegram, telegram_config, engine, aiohttp_server) -> None:  # type: ignore[no-untyped-def]
    await aiohttp_server(create_app(telegram_config, engine=engine))
    with pytest.raises(PollingRefused, match="webhook"):
        await aiohttp_server(create_app(telegram_config, engine=engine))


async def test_a_workers_only_process_answers_what_others_stored(
    telegram, telegram_config, engine, aiohttp_client
) -> None:  # type: ignore[no-untyped-def]
    """An update a web process stored and then died with is worked by a workers-only process,
    which serves no citizen-facing route itself."""
    from backend.db import Database
    from backend.repo import updates

    db = Database(telegram_config.database_url)
    await db.upgrade()
    async with db.session() as session:
        await updates.store(session, "telegram", [(9001, "telegram:84001", message(9001, 84001, "/help"))])
    await db.dispose()
    config = telegram_config.model_copy(update={"serve_citizens": False, "inbox_grace": 0.2})
    client = await aiohttp_client(create_app(config, engine=engine))
    assert (await client.get("/healthz")).status == 200
    assert (await client.get("/")).status == 404
    sent = await telegram.wait_for(84001, 1)
    assert "使用方法" in sent[0].text
    assert telegram.calls["getUpdates"] == 0  # it does not poll
