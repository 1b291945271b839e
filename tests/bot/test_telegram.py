"""The real bot (PTB v22) against the Bot API stand-in over HTTP, in long-polling mode."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from backend.models import Attachment, Case, Citizen
from bot.app import create_app
from tests.auxil.bot_api import COMPLAINT_STEPS

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 500


@pytest.fixture
async def bot(telegram, aiohttp_server, telegram_config, engine):  # type: ignore[no-untyped-def]
    # `telegram` first: it is torn down last, after the bot has stopped polling it
    app = create_app(telegram_config, engine=engine)
    await aiohttp_server(app)  # starts the app: migrations, engine, Telegram polling
    return app


async def test_start_registers_commands_and_greets(bot, telegram) -> None:  # type: ignore[no-untyped-def]
    telegram.push_message(501, "/start")
    sent = await telegram.wait_for(501, 1)
    assert "信访助手" in sent[0].text
    assert ("我要反映问题", "intake:start") in sent[0].buttons
    assert {c["command"] for c in telegram.commands} >= {"start", "ask", "complain", "status", "mycases", "cancel"}


async def test_a_question_is_answered_with_its_article(bot, telegram) -> None:  # type: ignore[no-untyped-def]
    telegram.push_message(502, "信访事项多久办结？")
    sent = await telegram.wait_for(502, 1)
    assert "第三十四条" in sent[0].text


async def test_a_full_complaint_with_a_photo_then_status(bot, telegram) -> None:  # type: ignore[no-untyped-def]
    user = 503
    for text, fragment in COMPLAINT_STEPS:
        seen = len(telegram.to(user))
        telegram.push_message(user, text)
        await telegram.wait_until(lambda s=seen, f=fragment: any(f in m.text for m in telegram.to(user)[s:]))
    seen = len(telegram.to(user))
    telegram.push_photo(user, PNG)
    await telegram.wait_until(lambda: any("已收到 1 个文件" in m.text for m in telegram.to(user)[seen:]))
    for data, fragment in (("intake:skip:attachments", "其他人"), ("intake:group:1", "请核对")):
        seen = len(telegram.to(user))
        telegram.push_callback(user, data)
        await telegram.wait_until(lambda s=seen, f=fragment: any(f in m.text for m in telegram.to(user)[s:]))
    summary = telegram.to(user)[-1]
    submit = next(d for _, d in summary.buttons if d.startswith("intake:submit:"))
    seen = len(telegram.to(user))
    telegram.push_callback(user, submit)
    await telegram.wait_until(lambda: any("受理编号：XF-" in m.text for m in telegram.to(user)[seen:]))
    filed = telegram.to(user)[-1].text
    ticket = filed.split("受理编号：", 1)[1][:16]
    seen = len(telegram.to(user))
    telegram.push_message(user, f"/status {ticket}")
    await telegram.wait_until(lambda: any(ticket in m.text for m in telegram.to(user)[seen:]))
    assert telegram.callback_answers, "button presses are acknowledged"
    from bot.keys import STORE

    async with bot[STORE].unit() as uow:
        attachment = await uow.session.scalar(select(Attachment))
        case = await uow.session.scalar(select(Case))
    assert attachment.case_id == case.id and attachment.size == len(PNG)


async def test_a_redelivered_update_is_answered_once(bot, telegram) -> None:  # type: ignore[no-untyped-def]
    update_id = telegram.push_message(504, "能不能匿名？")
    await telegram.wait_for(504, 1)
    telegram.redeliver(update_id)
    telegram.push_message(504, "/help")
    sent = await telegram.wait_for(504, 2)
    assert "使用方法" in sent[1].text
    assert len(telegram.to(504)) == 2


async def test_a_blocked_user_is_marked_and_nothing_crashes(bot, telegram) -> None:  # type: ignore[no-untyped-def]
    telegram.blocked.add(505)
    telegram.push_message(505, "/start")
    telegram.push_message(506, "/start")
    await telegram.wait_for(506, 1)
    from bot.keys import STORE

    async def blocked() -> bool:
        async with bot[STORE].unit() as uow:
            citizen = await uow.session.scalar(select(Citizen).where(Citizen.external_id == "505"))
        return citizen is not None and citizen.blocked_at is not None

    for _ in range(100):
        if await blocked():
            break
        import asyncio

        await asyncio.sleep(0.05)
    assert await blocked()


async def test_429_retry_after_is_honoured(bot, telegram) -> None:  # type: ignore[no-untyped-def]
    telegram.throttle[507] = [1, 1]  # the first send answers 429, retry after 1 s
    telegram.push_message(507, "/help")
    sent = await telegram.wait_for(507, 1, timeout=20)
    assert "使用方法" in sent[0].text
    assert telegram.calls["sendMessage"] >= 2


async def test_odd_updates_never_crash(bot, telegram) -> None:  # type: ignore[no-untyped-def]
    user = 508
    telegram.push_message(
        user,
        sticker={
            "file_id": "s",
            "file_unique_id": "s",
            "type": "regular",
            "width": 1,
            "height": 1,
            "is_animated": False,
            "is_video": False,
        },
    )
    telegram.push_message(user, location={"latitude": 28.2, "longitude": 112.9})
    telegram.push_callback(user, "garbage-data-⚠")
    telegram.push_message(user, "字" * 4096)
    telegram.push(
        {
            "edited_message": {
                "message_id": 9,
                "date": 1,
                "edit_date": 2,
                "text": "改了",
                "from": {"id": user, "is_bot": False, "first_name": "x"},
                "chat": {"id": user, "type": "private"},
            }
        }
    )
    telegram.push(
        {
            "message": {
                "message_id": 10,
                "date": 1,
                "text": "/start",
                "from": {"id": user, "is_bot": False, "first_name": "x"},
                "chat": {"id": -100, "type": "group", "title": "群"},
            }
        }
    )
    telegram.push_message(
        user, "转发来的消息：小区停水了", forward_origin={"type": "hidden_user", "date": 1, "sender_user_name": "某人"}
    )
    sent = await telegram.wait_for(user, 7, timeout=20)
    texts = "\n".join(s.text for s in sent)
    assert "贴纸" in texts and "位置" in texts and "失效" in texts and "修改" in texts
    assert (await telegram.wait_for(-100, 1))[0].text.startswith("为保护")


async def test_many_users_at_once_each_answered_exactly_once(bot, telegram) -> None:  # type: ignore[no-untyped-def]
    from collections import Counter

    users, per_user = 60, 4
    for round_ in range(per_user):
        for user in range(users):
            telegram.push_message(
                20_000 + user, ["能不能匿名？", "信访事项多久办结？", "复核找哪个机关"][(user + round_) % 3]
            )
    await telegram.wait_until(lambda: len([s for s in telegram.sent if s.chat_id >= 20_000]) >= users * per_user, 60)
    counts = Counter(s.chat_id for s in telegram.sent if s.chat_id >= 20_000)
    assert set(counts.values()) == {per_user}  # no reply lost, none duplicated


@pytest.fixture
async def slow_bot(telegram, aiohttp_server, telegram_config, engine):  # type: ignore[no-untyped-def]
    app = create_app(telegram_config.model_copy(update={"flood_rate": 10.0, "flood_burst": 3}), engine=engine)
    await aiohttp_server(app)
    return app


async def test_a_flooding_user_is_slowed_with_one_notice_and_nothing_lost(slow_bot, telegram) -> None:  # type: ignore[no-untyped-def]
    for i in range(15):
        telegram.push_message(777, f"/ask 第{i}个问题：能不能匿名")
    await telegram.wait_until(lambda: len([s for s in telegram.to(777) if "第十九条" in s.text]) >= 15, 30)
    notices = [s for s in telegram.to(777) if "发得有点快" in s.text]
    assert len(notices) == 1


async def test_a_second_poller_on_the_same_sqlite_file_is_refused(bot, telegram_config, engine, aiohttp_server) -> None:  # type: ignore[no-untyped-def]
    from bot.telegram.runtime import PollingRefused

    with pytest.raises(PollingRefused, match="webhook"):
        await aiohttp_server(create_app(telegram_config, engine=engine))
