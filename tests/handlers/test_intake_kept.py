"""What a citizen types is kept whole: an address with every character, a story told before
agreeing to file, long text, a draft set aside with 「不弄了」 — and picked up again later."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from backend.models import Case
from tests.auxil.dialogue import Citizen

ADDRESS = "A市A3区为民路街道红旗小区6栋"


async def the_case(store) -> Case:  # type: ignore[no-untyped-def]
    async with store.unit() as uow:
        return await uow.session.scalar(select(Case))


async def to_summary(citizen: Citizen) -> None:
    for answer in ("尽快修好路灯", "晚上出行不安全", "没有照片", "就我自己"):
        if "请核对" in citizen.text:
            break
        await citizen.send(answer)
    assert "请核对" in citizen.text


@pytest.mark.parametrize("lead", ["我们小区在", "家住在", "住址", ""])
async def test_an_address_in_the_opening_message_is_stored_whole(assistant, store, lead: str) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await citizen.send(f"我叫王明，电话13612340001，{lead}{ADDRESS}，小区路灯坏了两个月没人修，晚上一片黑")
    await citizen.send("帮我登记")
    assert "地址" in citizen.text and "住址" not in citizen.text  # known: not asked again
    await to_summary(citizen)
    assert f"地址：{ADDRESS}\n" in citizen.text
    await citizen.send("确认提交")
    assert (await the_case(store)).address == ADDRESS


@pytest.mark.parametrize("typed", ["我们小区在", "在", "是", "我的住址是", ""])
async def test_an_address_typed_at_its_question_or_as_a_correction_is_stored_whole(
    assistant, store, typed: str
) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await citizen.send("/complain")
    for answer in ("王明", "13612340001", typed + ADDRESS, "小区路灯坏了两个月没人修，晚上一片黑"):
        await citizen.send(answer)
    await to_summary(citizen)
    assert f"地址：{ADDRESS}\n" in citizen.text
    await citizen.send(f"地址不对，{typed or '是'}为民路街道幸福小区3栋")
    assert "地址：为民路街道幸福小区3栋\n" in citizen.text
    await citizen.send("确认提交")
    assert (await the_case(store)).address == "为民路街道幸福小区3栋"


STORY = "我们小区门口的路灯坏了两个月了，晚上很黑，物业也不管"
FACTS_ASKED = "请说说发生了什么"


async def file_from_name(citizen: Citizen) -> None:
    """From the name question to the summary, answering only what is asked."""
    asked = []
    for answer in ("王明", "13612340001", ADDRESS):
        asked.append(citizen.text)
        await citizen.send(answer)
    asked.append(citizen.text)
    await to_summary(citizen)
    assert not any(FACTS_ASKED in text for text in asked)


@pytest.mark.parametrize(
    "between",
    [
        [],
        ["这个归谁管？"],  # a question answered in between
        ["/help"],
    ],
)
@pytest.mark.parametrize("agree", ["帮我登记", "/complain", "那你帮我登记吧", "我要反映"])
async def test_the_story_told_first_is_the_facts_whatever_comes_between(assistant, store, between, agree) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await citizen.send(STORY)
    for text in between:
        await citizen.send(text)
    await citizen.send(agree)
    assert "怎么称呼" in citizen.text and FACTS_ASKED not in citizen.text
    await file_from_name(citizen)
    await citizen.send("确认提交")
    assert (await the_case(store)).facts.startswith("我们小区门口的路灯坏了两个月了")


async def test_a_story_the_answer_was_unsure_about_is_kept_for_the_offered_button(assistant, store) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await citizen.send("小区路灯坏了两个月了，晚上黑漆漆的，这种事怎么办")
    if "我要反映问题" in citizen.buttons:
        await citizen.press("我要反映问题")
    else:
        await citizen.send("帮我登记")
    assert FACTS_ASKED not in citizen.text
    await file_from_name(citizen)
    await citizen.send("确认提交")
    assert "路灯坏了两个月" in (await the_case(store)).facts


async def test_a_story_told_in_two_messages_is_kept_whole(assistant, store) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await citizen.send("我想投诉")
    await citizen.send(STORY)
    await citizen.send("上周还有个老人在那里摔倒了，腿都摔青了")
    await citizen.send("帮我登记")
    await file_from_name(citizen)
    await citizen.send("确认提交")
    facts = (await the_case(store)).facts
    assert "路灯坏了两个月" in facts and "老人在那里摔倒" in facts and "我想投诉" not in facts


async def test_name_phone_and_address_in_the_story_are_not_asked_again(assistant, store) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await citizen.send(f"我叫王明，电话13612340001，{ADDRESS}，{STORY}")
    await citizen.send("这个归谁管？")
    await citizen.send("帮我登记")
    assert "姓名、电话、地址" in citizen.text and "请求" in citizen.text  # asked only for what is missing
    await to_summary(citizen)
    await citizen.send("确认提交")
    case = await the_case(store)
    assert (case.name, case.phone, case.address) == ("王明", "13612340001", ADDRESS)


async def test_one_limit_for_the_facts_everywhere() -> None:
    from backend.filing import MAX_FACTS_CHARS
    from bot.config import Config
    from handlers.context import Services
    from tests.auxil.paths import REPO

    assert Config(_env_file=None).max_message_chars == MAX_FACTS_CHARS
    assert Services.__dataclass_fields__["max_message_chars"].default == MAX_FACTS_CHARS
    chat_box = (REPO / "bot" / "static" / "chat.html").read_text("utf-8")
    assert f'maxlength="{MAX_FACTS_CHARS}"' in chat_box


async def test_facts_cut_at_the_limit_are_kept_with_the_limit_stated(assistant, store) -> None:  # type: ignore[no-untyped-def]
    from backend.filing import MAX_FACTS_CHARS

    citizen = Citizen(assistant)
    await citizen.send("/complain")
    for answer in ("王明", "13612340001", ADDRESS):
        await citizen.send(answer)
    told = "路灯坏了很久。" * (MAX_FACTS_CHARS // 7 + 50)
    await citizen.send(told)
    assert f"超过了 {MAX_FACTS_CHARS} 字" in citizen.text and f"事实最多 {MAX_FACTS_CHARS} 个字" in citizen.text
    assert "怎么解决" in citizen.text
    await to_summary(citizen)
    await citizen.send("确认提交")
    assert (await the_case(store)).facts == told[:MAX_FACTS_CHARS]


async def test_a_story_told_over_several_messages_stays_within_the_one_limit(assistant, store) -> None:  # type: ignore[no-untyped-def]
    from backend.filing import MAX_FACTS_CHARS

    citizen = Citizen(assistant)
    await citizen.send(STORY)
    part = "上周还有个老人在那里摔倒了，腿都摔青了。" * (MAX_FACTS_CHARS // 40)
    await citizen.send(part)
    await citizen.send(part.replace("上周", "前天"))
    await citizen.send("帮我登记")
    assert f"事实最多 {MAX_FACTS_CHARS} 个字" in citizen.text
    await file_from_name(citizen)
    await citizen.send("确认提交")
    facts = (await the_case(store)).facts
    assert len(facts) == MAX_FACTS_CHARS and facts.startswith("我们小区门口的路灯坏了两个月了")


@pytest.mark.parametrize("back", ["刚才说到哪了", "继续", "我回来了"])
async def test_coming_back_resumes_at_the_step_with_what_is_kept(assistant, back: str) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    for text in ("/complain", "王明", "13612340001"):
        await citizen.send(text)
    await citizen.send(back)
    assert "已填了：姓名、电话" in citizen.text and "住址" in citizen.text
    await citizen.send(ADDRESS)
    assert FACTS_ASKED in citizen.text  # the address was taken, 「继续」 was not


@pytest.mark.parametrize("later", ["继续登记", "恢复", "继续"])
async def test_a_draft_set_aside_mid_way_is_kept_and_typed_back(assistant, later: str) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    for text in ("/complain", "王明", "13612340001"):
        await citizen.send(text)
    await citizen.send("不弄了")
    assert "要取消这次登记吗" in citizen.text  # asked to confirm first
    await citizen.send("是的")
    assert "已取消" in citizen.text
    await citizen.send(later)
    assert "已恢复" in citizen.text and "住址" in citizen.text
    await citizen.send(ADDRESS)
    await citizen.send(STORY)
    await to_summary(citizen)
    assert "姓名：王明" in citizen.text and "电话：136****0001" in citizen.text


@pytest.mark.parametrize("typed", ["确认提交", "继续", "刚才说到哪了"])
async def test_after_filing_the_old_dialogue_gets_a_clear_answer(assistant, store, typed: str) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    for text in ("/complain", "王明", "13612340001", ADDRESS, STORY):
        await citizen.send(text)
    await to_summary(citizen)
    summary = citizen.last
    await citizen.send("确认提交")
    ticket = (await the_case(store)).ticket
    await citizen.send(typed)
    assert f"已经提交了，受理编号 {ticket}" in citizen.text
    for button in [b.data for r in summary for b in r.button_list]:  # the summary's buttons, pressed late
        await citizen.send(button=button)
        assert "已经提交过了" in citizen.text or "已经结束" in citizen.text or "不在了" in citizen.text, citizen.text


async def test_coming_back_with_nothing_begun_is_told_so(assistant) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await citizen.send("刚才说到哪了")
    assert "没有填到一半的登记" in citizen.text and "我要反映问题" in citizen.buttons
