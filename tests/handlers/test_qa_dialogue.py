"""The Q&A dialogue on the real store (SQLite), through the channel-agnostic Assistant."""

from __future__ import annotations

import pytest

from handlers import Incoming
from tests.auxil.dialogue import Citizen


async def test_start_greets_with_the_menu(assistant) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await citizen.send("/start")
    assert "信访助手" in citizen.text
    assert {"咨询政策", "我要反映问题", "查询办理进度"} <= set(citizen.buttons)


async def test_the_time_limit_question_ends_with_its_basis(assistant) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    replies = await citizen.send("信访事项多久办结？")
    answer = replies[0].text
    assert "60 日" in answer and "30 日" in answer and "理由" in answer
    assert answer.rstrip().endswith("《信访工作条例》第三十四条")


async def test_ask_command_and_topic_buttons(assistant) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await citizen.send("/ask 能不能匿名")
    assert "第十九条" in citizen.text
    related = citizen.buttons
    assert related, "related topics are offered"
    await citizen.press(related[0])
    assert "依据：《信访工作条例》" in citizen.text


async def test_unsure_answers_offer_two_topics_and_a_person(assistant) -> None:  # type: ignore[no-untyped-def]
    """A question in petition words that no article answers well: the nearest topics, and a person."""
    citizen = Citizen(assistant)
    await citizen.send("信访局周末上班吗")
    assert "不太确定" in citizen.text
    assert "12345" in citizen.text
    assert len(citizen.buttons) == 3 and citizen.buttons[-1] == "我要反映问题"


@pytest.mark.parametrize("question", ["结婚登记需要什么材料？", "明天会下雨吗", "公积金怎么提取"])
async def test_a_question_outside_the_regulation_is_told_so_and_where_to_ask(assistant, question: str) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await citizen.send(question)
    assert "没有讲到这个问题" in citizen.text
    assert "12345" in citizen.text and "12348" in citizen.text
    assert "依据" not in citizen.text  # no article cited, and none offered as a topic
    assert citizen.buttons == ["我要反映问题"]


async def test_stray_and_malformed_buttons_get_a_clear_answer(assistant) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    for data in ("nonsense", "qa:no-such-topic", "x" * 64, ":", "qa:a999"):
        replies = await citizen.send(button=data)
        assert replies and replies[0].text


@pytest.mark.parametrize(
    "text",
    [
        "😀😀😀",
        "！！？？。。",
        "<script>alert('x')</script>",
        "'; DROP TABLE cases; --",
        "What is 信访? please help",
        "\u200b\u200b",
        "/nosuchcommand",
        "/start !!invalid payload!!",
    ],
)
async def test_any_text_gets_a_polite_answer(assistant, text: str) -> None:  # type: ignore[no-untyped-def]
    replies = await Citizen(assistant).send(text)
    assert replies
    assert all("Traceback" not in r.text for r in replies)


async def test_oversized_text_is_cut_with_a_note(assistant) -> None:  # type: ignore[no-untyped-def]
    replies = await Citizen(assistant).send("信访事项多久办结" * 2000)
    assert "超过了 4000 字" in replies[0].text
    assert len(replies) >= 2


async def test_a_redelivered_update_is_answered_once(assistant) -> None:  # type: ignore[no-untyped-def]
    incoming = Incoming("telegram", "7", "7", text="能不能匿名", update_id="42")
    assert await assistant.handle(incoming)
    assert await assistant.handle(incoming) == []


async def test_unsupported_content_is_explained(assistant) -> None:  # type: ignore[no-untyped-def]
    replies = await assistant.handle(Incoming("telegram", "8", "8", unsupported="贴纸", update_id="s1"))
    assert "贴纸" in replies[0].text


async def test_database_outage_is_told_and_retry_works(config, engine, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A real outage: the SQLite file is replaced by a directory (unopenable), then comes back."""
    from backend.db import Database
    from backend.store import Store
    from bot.app import build_assistant

    db_dir = tmp_path / "outage"
    db_dir.mkdir()
    db = Database(f"sqlite+aiosqlite:///{db_dir / 'x.db'}")
    await db.upgrade()
    await db.dispose()  # no pooled connection survives: the next unit of work must open the file
    assistant = build_assistant(config, engine, Store(db))
    citizen = Citizen(assistant)
    (db_dir / "x.db").rename(db_dir / "x.db.away")
    (db_dir / "x.db").mkdir()  # sqlite cannot open a directory: the database is unavailable
    try:
        await citizen.send("能不能匿名")
    finally:
        (db_dir / "x.db").rmdir()
        (db_dir / "x.db.away").rename(db_dir / "x.db")
    assert "没能保存" in citizen.text and "重试" in citizen.buttons
    await citizen.press("重试")
    assert "第十九条" in citizen.text
    await db.dispose()


# ── specific needs, typed as citizens type them ─────────────────────────────


@pytest.mark.parametrize(
    ("text", "article"),
    [
        ("信访办不受理我该去哪", "第四十三条"),
        ("我想找领导当面说", "第十八条"),
        ("会不会被他晓得是我举报的", "第三十条"),
        ("信里要写啥", "第十九条"),
    ],
)
async def test_needs_the_law_answers_directly(assistant, text: str, article: str) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await citizen.send(text)
    assert article in citizen.text
    assert "听起来您遇到了需要反映的问题" not in citizen.text  # not taken as a new complaint
    assert "我没看懂" not in citizen.text and "我是信访助手" not in citizen.text  # nor as small talk


@pytest.mark.parametrize("asked", ["能不能约县长见一面", "领导哪天接访", "什么时候可以找领导"])
async def test_with_no_reception_day_scheduled_it_says_so_and_how_to_ask(assistant, asked: str) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await citizen.send(asked)
    assert "还没有公布新的领导接访日" in citizen.text and "希望当面反映" in citizen.text
    assert "定期接待群众来访" in citizen.text  # and what the regulation promises
    assert "我要反映问题" in citizen.buttons


@pytest.mark.parametrize("asked", ["领导哪天接访", "什么时候可以找领导"])
async def test_the_scheduled_reception_days_are_told(assistant, store, asked: str) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from backend.models import ReceptionDay
    from backend.repo import reception
    from tests.auxil.clock import china_today

    today = china_today()
    soon, later, past = today + timedelta(days=3), today + timedelta(days=10), today - timedelta(days=2)
    async with store.unit() as uow:
        await reception.add(uow.session, soon, "副区长 王某某", "区信访局接待大厅", "城乡建设", "admin", today)
        await reception.add(uow.session, later, "区长 李某某", "区政府一楼", "", "admin", today)
    async with store.unit() as uow:  # a day already past is not offered
        uow.session.add(ReceptionDay(day=past, leader="书记 赵某某", place="区委", topics="", created_by="admin"))
    citizen = Citizen(assistant)
    await citizen.send(asked)
    assert f"{soon.month}月{soon.day}日" in citizen.text and "副区长 王某某" in citizen.text
    assert "区信访局接待大厅" in citizen.text and "城乡建设" in citizen.text
    assert f"{later.month}月{later.day}日" in citizen.text and "区长 李某某" in citizen.text
    assert "赵某某" not in citizen.text and "还没有公布" not in citizen.text
    assert citizen.text.index("副区长 王某某") < citizen.text.index("区长 李某某")  # soonest first


@pytest.mark.parametrize(
    ("text", "article"), [("对处理意见不服", "第三十五条"), ("复查意见下来了我还是不服", "第三十六条")]
)
async def test_review_requests_go_to_the_review_flow(assistant, text, article) -> None:  # type: ignore[no-untyped-def]
    # a citizen with no case here: the review flow explains the step asked for, its article and period
    citizen = Citizen(assistant)
    await citizen.send(text)
    assert article in citizen.text and "30 日" in citizen.text
    assert "听起来您遇到了需要反映的问题" not in citizen.text


async def test_progress_in_plain_words(assistant, store) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from backend.models import Case
    from tests.handlers.test_intake import fill_to_confirm

    stranger = Citizen(assistant, user_id="611")
    await stranger.send("我反映的事情办得怎么样了")
    assert "还没有在这里反映过" in stranger.text and "第二十一条" in stranger.text

    citizen = Citizen(assistant, user_id="612")
    await fill_to_confirm(citizen)
    await citizen.press("确认提交")
    async with store.unit() as uow:
        ticket = (await uow.session.scalar(select(Case))).ticket
    await citizen.send("俺那个事咋样了，有消息没")
    assert ticket in citizen.text and "当前状态" in citizen.text  # the only case, shown at once
