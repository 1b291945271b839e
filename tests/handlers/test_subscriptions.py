"""Subscribing, leaving with one tap, campaign deep links, and answering a quiz."""

from __future__ import annotations

from sqlalchemy import select

from backend import campaigns
from backend.models import Subscription
from tests.auxil.dialogue import Citizen


async def test_subscribe_toggle_and_leave(assistant, store) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await citizen.send("/subscribe")
    assert "☐ 条例每日一条" in citizen.buttons
    await citizen.press("☐ 条例每日一条")
    assert "已订阅「条例每日一条」" in citizen.text and "✅ 条例每日一条" in citizen.buttons
    await citizen.press("☐ 知识问答")
    await citizen.press("✅ 条例每日一条")
    assert "已取消「条例每日一条」" in citizen.text
    await citizen.send("/unsubscribe")
    assert "已全部退订" in citizen.text
    async with store.unit() as uow:
        assert not (await uow.session.scalars(select(Subscription).where(Subscription.active))).all()


async def test_the_menu_button_opens_subscriptions(assistant) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await citizen.send("/start")
    await citizen.press("订阅条例学习")
    assert "选择您想收到的内容" in citizen.text


async def test_a_campaign_deep_link_subscribes_and_records_the_source(assistant, store) -> None:  # type: ignore[no-untyped-def]
    async with store.unit() as uow:
        campaign = await campaigns.create(uow.session, title="宣传册", text="x", created_by="t", topic="quiz")
    citizen = Citizen(assistant)
    await citizen.send(f"/start c_{campaign.id}")
    assert "已为您订阅「知识问答」" in citizen.text
    await citizen.send("/start c_999999")  # an unknown campaign still subscribes, to the daily article
    async with store.unit() as uow:
        rows = (await uow.session.scalars(select(Subscription).order_by(Subscription.id))).all()
    assert [(r.topic, r.source) for r in rows] == [("quiz", f"c_{campaign.id}"), ("daily_article", "c_999999")]


async def test_a_bad_deep_link_payload_is_ignored(assistant, store) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await citizen.send("/start c_<script>")
    assert "信访助手" in citizen.text  # the greeting: the payload was not valid, nothing subscribed
    async with store.unit() as uow:
        assert (await uow.session.scalars(select(Subscription))).all() == []


async def test_answering_a_quiz(assistant, store) -> None:  # type: ignore[no-untyped-def]
    quiz = {
        "question": "多久办结？",
        "options": ["30 日", "60 日"],
        "answer": 1,
        "explain": "一般 60 日内办结",
        "article": 34,
    }
    async with store.unit() as uow:
        campaign = await campaigns.create(uow.session, title="问答", text="🧩", created_by="t", topic="quiz", quiz=quiz)
    citizen = Citizen(assistant)
    await citizen.send(button=f"quiz:{campaign.id}:0")
    assert "正确答案是「60 日」" in citizen.text and "第三十四条" in citizen.text
    await citizen.send(button=f"quiz:{campaign.id}:1")
    assert "已经答过" in citizen.text
    for stray in ("quiz:x:y", "quiz:999:0", f"quiz:{campaign.id}:9"):
        await citizen.send(button=stray)
        assert "找不到" in citizen.text


async def test_the_menu_typed(assistant, store) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await citizen.send("/subscribe")
    await citizen.send("订阅知识问答")
    assert "已订阅「知识问答」" in citizen.text
    await citizen.send("订阅知识问答")  # typed twice is not a toggle
    assert "已订阅「知识问答」" in citizen.text
    await citizen.send("知识问答不要了")
    assert "已取消「知识问答」" in citizen.text
    await citizen.send("条例每日一条")
    await citizen.send("完成")
    assert "您订阅了：条例每日一条" in citizen.text


async def test_leaving_in_words(assistant, store) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await citizen.send("/start c_1")
    await citizen.send("以后别再发了")
    assert "已全部退订" in citizen.text
    async with store.unit() as uow:
        assert not (await uow.session.scalars(select(Subscription).where(Subscription.active))).all()
    await citizen.send("以后别再发了")  # nothing subscribed: ordinary text, not a second 「退订」
    assert "已全部退订" not in citizen.text


async def test_a_quiz_just_received_takes_typed_answers(assistant, store) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    quiz = {"question": "多久办结？", "options": ["30 日", "60 日"], "answer": 1, "explain": "60 日", "article": 34}
    citizen = Citizen(assistant)
    await citizen.send("/start c_1")
    async with store.unit() as uow:
        await campaigns.create(uow.session, title="问答", text="🧩", created_by="t", topic=None, quiz=quiz)
        await campaigns.materialize_due(uow.session, datetime.now(UTC))
        claimed = await campaigns.claim(uow.session, 10)
        await campaigns.mark(uow.session, [c.id for c in claimed], "sent")
    await citizen.send("60日")
    assert "✅ 答对了" in citizen.text
    await citizen.send("2")  # answered: the quiz no longer takes typed answers
    assert "答对了" not in citizen.text
