"""After 办结 the citizen rates the result — by pressing the buttons sent with it, or in their own words."""

from __future__ import annotations

from sqlalchemy import select

from backend import workflow
from backend.auth import Viewer
from backend.models import Case, OutboxMessage
from backend.repo import citizens
from tests.auxil.cases import a_case
from tests.auxil.clock import china_today
from tests.auxil.dialogue import Citizen

DISPATCHER = Viewer(1, "disp", "调度员", "dispatcher", None)


async def concluded_case(store, user_id: str) -> str:  # type: ignore[no-untyped-def]
    """A case of this chat's citizen, accepted and concluded today by staff; its ticket."""
    today = china_today()
    async with store.unit() as uow:
        citizen_id = (await citizens.get_or_create(uow.session, "telegram", user_id, user_id)).id
    ticket = (await a_case(store, citizen_id, today=today)).case.ticket
    for action, params in (
        ("accept", {}),
        ("conclude", {"opinion": "支持", "text": "已更换路灯", "basis": "《城市照明管理规定》"}),
    ):
        async with store.unit() as uow:
            case = await uow.session.scalar(select(Case).where(Case.ticket == ticket))
            await workflow.act(uow.session, case, DISPATCHER, action, params, today)
    return ticket


async def satisfaction_of(store, ticket: str) -> str | None:  # type: ignore[no-untyped-def]
    async with store.unit() as uow:
        return await uow.session.scalar(select(Case.satisfaction).where(Case.ticket == ticket))


async def test_the_conclusion_carries_the_rating_buttons_built_by_the_shared_codec(assistant, store) -> None:  # type: ignore[no-untyped-def]
    ticket = await concluded_case(store, "701")
    async with store.unit() as uow:
        message = await uow.session.scalar(select(OutboxMessage).order_by(OutboxMessage.id.desc()))
    data = [b["data"] for row in message.buttons for b in row]
    assert f"sat:{ticket}:基本满意" in data and f"review:pick:{ticket}" in data
    citizen = Citizen(assistant, user_id="701")
    await citizen.send(button=f"sat:{ticket}:满意")
    assert "谢谢您" in citizen.text and await satisfaction_of(store, ticket) == "满意"


async def test_typed_rating_reaches_feedback(assistant, store) -> None:  # type: ignore[no-untyped-def]
    ticket = await concluded_case(store, "702")
    citizen = Citizen(assistant, user_id="702")
    await citizen.send("还行吧，基本满意")
    assert "谢谢您" in citizen.text and ticket in citizen.text
    assert await satisfaction_of(store, ticket) == "基本满意"
    await citizen.send("满意")  # rated already: the standing offer is gone, it is ordinary text now
    assert await satisfaction_of(store, ticket) == "基本满意"


async def test_a_negated_rating_is_unsatisfied_and_points_to_review(assistant, store) -> None:  # type: ignore[no-untyped-def]
    ticket = await concluded_case(store, "703")
    citizen = Citizen(assistant, user_id="703")
    await citizen.send("不是很满意")
    assert await satisfaction_of(store, ticket) == "不满意"
    assert "复查" in citizen.text and "第三十五条" in citizen.text


async def test_without_a_concluded_case_satisfaction_words_are_ordinary_text(assistant, store) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant, user_id="704")
    await citizen.send("还行吧，基本满意")
    assert "谢谢您" not in citizen.text
    async with store.unit() as uow:
        assert (await uow.session.scalars(select(Case.satisfaction))).all() == []


async def test_a_story_is_not_taken_for_a_rating(assistant, store) -> None:  # type: ignore[no-untyped-def]
    ticket = await concluded_case(store, "705")
    citizen = Citizen(assistant, user_id="705")
    await citizen.send("我对小区物业很不满意，电梯坏了三个月一直拖着不修，老人上下楼太难了")
    assert await satisfaction_of(store, ticket) is None


async def test_stray_and_forged_rating_buttons(assistant, store) -> None:  # type: ignore[no-untyped-def]
    ticket = await concluded_case(store, "706")
    stranger = Citizen(assistant, user_id="707")
    for data in (f"sat:{ticket}:满意", "sat:", "sat:XF-20990101-0001:满意", f"sat:{ticket}:太棒了"):
        replies = await stranger.send(button=data)
        assert replies and "没有找到" in replies[0].text
    assert await satisfaction_of(store, ticket) is None


async def test_a_review_button_from_an_older_message_opens_the_review_flow(assistant, store) -> None:  # type: ignore[no-untyped-def]
    ticket = await concluded_case(store, "703")
    citizen = Citizen(assistant, user_id="703")
    await citizen.send(button=f"rev:{ticket}")
    assert "复查" in citizen.text and "30 日" in citizen.text
    assert any(b.data.startswith("review:go:") for r in citizen.last for b in r.button_list)
