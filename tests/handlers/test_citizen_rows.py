"""Citizens rows only when something is stored about the person (issue 12): greetings and
questions leave no row; filing, subscribing or a guidance record make exactly one."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from backend.models import Case, DialogueState
from backend.models import Citizen as CitizenRow
from tests.auxil.dialogue import Citizen


async def rows(store) -> int:  # type: ignore[no-untyped-def]
    async with store.unit() as uow:
        return await uow.session.scalar(select(func.count()).select_from(CitizenRow))


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
async def test_greetings_and_questions_make_no_row(assistant, store) -> None:  # type: ignore[no-untyped-def]
    for n in range(30):
        visitor = Citizen(assistant, user_id=f"anon{n}", channel="web")
        await visitor.send("你好")
        await visitor.send("信访事项多久办结？")
        assert visitor.last and "第三十四条" in visitor.text
        await visitor.send("/help")
        await visitor.send("/mycases")  # asking what they filed stores nothing either
    assert await rows(store) == 0


async def test_subscribing_makes_one_row_and_keeps_using_it(assistant, store) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant, user_id="4242")
    await citizen.send("你好")
    assert await rows(store) == 0
    await citizen.send("/subscribe")
    await citizen.press("☐ 条例每日一条")
    assert "已订阅「条例每日一条」" in citizen.text
    await citizen.press("☐ 知识问答")
    await citizen.send("信访事项多久办结？")
    assert await rows(store) == 1


async def test_filing_a_complaint_makes_the_row_the_case_belongs_to(assistant, store) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant, user_id="5151")
    await citizen.send("/complain")
    for text in (
        "张三",
        "13812345678",
        "A市A3区建设路",
        "小区门口的路灯坏了三个月，晚上很危险",
        "尽快修好",
        "影响出行安全",
    ):
        await citizen.send(text)
    async with store.unit() as uow:
        assert await uow.session.scalar(select(func.count()).select_from(DialogueState)) == 1  # the draft is kept
    for _ in range(6):
        submit = next((b.data for r in citizen.last for b in r.button_list if b.data.startswith("intake:submit")), None)
        if submit:
            await citizen.send(button=submit)
            break
        shown = citizen.last[-1].button_list
        # move on: skip what is optional, else the first choice
        await citizen.send(button=next((b.data for b in shown if ":skip:" in b.data), shown[0].data))
    assert "受理编号" in citizen.text
    async with store.unit() as uow:
        case = await uow.session.scalar(select(Case))
        row = await uow.session.scalar(select(CitizenRow))
    assert await rows(store) == 1 and case.citizen_id == row.id and row.external_id == "5151"
