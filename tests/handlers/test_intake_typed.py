"""The complaint dialogue for citizens who type instead of pressing: every step, the summary,
anonymity, everything at once, questions mid-way, coming back, and the promises under failure."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from backend.models import Case
from backend.repo import dialogue
from bot.app import build_assistant
from handlers import Incoming
from tests.auxil.clock import Clock, with_clock
from tests.auxil.dialogue import Citizen
from tests.auxil.outage import a_store_of_its_own, database_away

NAME, PHONE, ADDRESS = "张三", "13812345678", "A市A3区建设路街道幸福小区"
FACTS = "小区门口的路灯坏了三个月了，晚上老人出门很危险，找过物业没人管"


async def typed_to_group(citizen: Citizen) -> None:
    await citizen.send("/complain")
    for answer in (NAME, PHONE, ADDRESS, FACTS, "尽快修好路灯", "影响居民夜间出行安全"):
        await citizen.send(answer)
    await citizen.send("没有照片")
    assert "其他人" in citizen.text


async def typed_to_summary(citizen: Citizen) -> None:
    await typed_to_group(citizen)
    await citizen.send("就我自己")
    assert "请核对" in citizen.text


async def the_case(store) -> Case:  # type: ignore[no-untyped-def]
    async with store.unit() as uow:
        return await uow.session.scalar(select(Case))


async def cases_filed(store) -> int:  # type: ignore[no-untyped-def]
    async with store.unit() as uow:
        return await uow.session.scalar(select(func.count()).select_from(Case))


@pytest.mark.parametrize("typed", ["就我自己", "只有我", "一个人", "1", "只有我自己"])
async def test_only_me_typed_at_the_group_question(assistant, typed: str) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await typed_to_group(citizen)
    await citizen.send(typed)
    assert "请核对" in citizen.text and "涉及人数：只有我自己" in citizen.text


@pytest.mark.parametrize("typed", ["没有照片", "没有了，下一步", "没有", "暂时没有"])
async def test_no_files_typed_at_attachments(assistant, typed: str) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await citizen.send("/complain")
    for answer in (NAME, PHONE, ADDRESS, FACTS, "尽快修好路灯", "影响居民夜间出行安全"):
        await citizen.send(answer)
    await citizen.send(typed)
    assert "其他人" in citizen.text


@pytest.mark.parametrize("typed", ["我不想留名字", "不愿留名", "匿名吧"])
async def test_not_leaving_a_name_in_any_words_is_anonymous(assistant, store, typed: str) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await citizen.send("/complain")
    await citizen.send(typed)
    assert "第二十三条" in citizen.text and "联系电话" in citizen.text
    for answer in ("不方便", "跳过", FACTS, "尽快修好路灯", "同上", "没有", "就我"):
        await citizen.send(answer)
    assert "姓名：（不愿留名）" in citizen.text
    await citizen.send("确认提交")
    case = await the_case(store)
    assert case.name == "（不愿留名）" and case.phone is None


@pytest.mark.parametrize("typed", ["确认提交", "没问题，提交吧", "对的", "可以"])
async def test_typed_confirmation_files(assistant, store, typed: str) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await typed_to_summary(citizen)
    await citizen.send(typed)
    assert "受理编号：XF-" in citizen.text
    assert (await the_case(store)).name == NAME


async def test_typed_confirmation_twice_files_once(assistant, store) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await typed_to_summary(citizen)
    await citizen.send("确认提交")
    await citizen.send("确认提交")
    assert "已登记" not in citizen.text and "已经提交了" in citizen.text  # told it is filed, not filed again
    assert await cases_filed(store) == 1


async def test_a_typed_correction_changes_the_field_and_shows_the_summary_again(assistant, store) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await typed_to_summary(citizen)
    await citizen.send("电话写错了，应该是139 1234 5678")
    assert "已把电话改为：139****5678" in citizen.text and "请核对" in citizen.text
    await citizen.send("地址改成A市A5区人民路88号")
    assert "地址：A市A5区人民路88号" in citizen.text
    await citizen.send("名字写错了")
    assert "怎么称呼" in citizen.text
    await citizen.send("张珊")
    assert "请核对" in citizen.text and "姓名：张珊" in citizen.text
    await citizen.send("没问题")
    case = await the_case(store)
    assert (case.phone, case.address, case.name) == ("13912345678", "A市A5区人民路88号", "张珊")


async def test_an_invalid_correction_asks_for_that_field(assistant) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await typed_to_summary(citizen)
    await citizen.send("地址改成A3")
    assert "具体一点" in citizen.text and "住址" in citizen.text
    await citizen.send("A市A3区解放路9号")
    assert "请核对" in citizen.text and "解放路9号" in citizen.text


async def test_representatives_typed(assistant, store) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await typed_to_group(citizen)
    await citizen.send("我们楼二十多户都是这样")
    assert "代表" in citizen.text
    await citizen.send("暂时没有")
    assert "约 20 人" in citizen.text
    await citizen.send("提交")
    case = await the_case(store)
    assert (case.group_size, case.representatives) == (20, [])


async def test_everything_in_one_message_is_asked_only_for_what_is_missing(assistant, store) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await citizen.send(
        "我叫王芳，电话 139-1234-5678，住在A市A5区人民路88号。楼下餐馆的油烟熏得我家没法开窗，希望有关部门管一管"
    )
    await citizen.send("好的，帮我登记")
    assert "不用再填" in citizen.text and "理由" in citizen.text  # name, phone, address, facts, request: known
    await citizen.send("油烟影响健康")
    await citizen.send("没有")
    await citizen.send("就我家")
    await citizen.send("确认")
    case = await the_case(store)
    assert (case.name, case.phone, case.address) == ("王芳", "13912345678", "A市A5区人民路88号")
    assert case.request.startswith("希望有关部门") and "油烟" in case.facts


async def test_two_answers_in_one_message(assistant) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await citizen.send("/complain")
    await citizen.send("我叫刘洋，电话0731 8456 7890")
    assert "已记下您的电话" in citizen.text and "住址" in citizen.text


async def test_a_story_told_at_the_name_question_is_kept(assistant) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await citizen.send("/complain")
    await citizen.send(FACTS)
    assert "先记下" in citizen.text and "怎么称呼" in citizen.text
    for answer in (NAME, PHONE, ADDRESS):
        await citizen.send(answer)
    assert "怎么解决" in citizen.text  # the facts are not asked again


async def test_a_question_mid_way_is_answered_and_the_step_asked_again(assistant) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await citizen.send("/complain")
    await citizen.send(NAME)
    await citizen.send("我的电话会不会被告诉被投诉的人？")
    assert "联系电话" in citizen.text and len(citizen.last) >= 2
    await citizen.send(PHONE)
    assert "住址" in citizen.text


async def test_a_question_at_the_summary_keeps_the_summary(assistant) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await typed_to_summary(citizen)
    await citizen.send("登记以后多久能办好？")
    assert "请核对" in citizen.text and len(citizen.last) >= 2


async def test_an_unclear_answer_is_never_asked_the_same_way_a_third_time(assistant) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await typed_to_group(citizen)
    question = citizen.last[-1].text
    await citizen.send("这事说来话长")
    assert question not in citizen.text and "「只有我自己」" in citizen.text
    await citizen.send("唉")
    assert question not in citizen.text and "请核对" in citizen.text and "只涉及您本人" in citizen.text


async def test_coming_back_and_asking_where_we_were(assistant) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await citizen.send("/complain")
    await citizen.send(NAME)
    await citizen.send("刚才说到哪了")
    assert "欢迎回来" in citizen.text and "联系电话" in citizen.text
    await citizen.send(PHONE)
    assert "住址" in citizen.text


async def test_coming_back_after_silence_in_words_resumes_at_once(assistant) -> None:  # type: ignore[no-untyped-def]
    clock = Clock()
    citizen = Citizen(with_clock(assistant, clock))
    await citizen.send("/complain")
    await citizen.send(NAME)
    clock.advance(hours=5)
    await citizen.send("我回来了")
    assert "欢迎回来" in citizen.text and "联系电话" in citizen.text


async def test_coming_back_days_later_and_typing_continue(assistant) -> None:  # type: ignore[no-untyped-def]
    clock = Clock()
    citizen = Citizen(with_clock(assistant, clock))
    await citizen.send("/complain")
    await citizen.send(NAME)
    clock.advance(days=2)
    await citizen.send(PHONE)
    assert "继续填写" in citizen.buttons
    await citizen.send("继续")
    assert "联系电话" in citizen.text


async def test_typed_cancel_is_confirmed_and_can_be_taken_back(assistant) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await citizen.send("/complain")
    await citizen.send(NAME)
    await citizen.send("算了不弄了")
    assert "要取消这次登记吗" in citizen.text
    await citizen.send("继续")
    assert "联系电话" in citizen.text
    await citizen.send("我不想反映了")
    assert "要取消这次登记吗" in citizen.text
    await citizen.send("是的，取消")
    assert "已取消" in citizen.text
    await citizen.send("恢复")
    assert "已恢复" in citizen.text and "联系电话" in citizen.text


async def test_cancel_then_start_again(assistant, store) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await citizen.send("/complain")
    await citizen.send("李四")
    await citizen.send("/cancel")
    await typed_to_summary(citizen)
    assert "姓名：张三" in citizen.text
    await citizen.send("确认提交")
    assert (await the_case(store)).name == NAME


async def test_asking_to_wait_is_not_an_answer(assistant, store) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await citizen.send("/complain")
    await citizen.send("稍等一下")
    assert "不着急" in citizen.text and "不愿留名" in citizen.buttons
    await citizen.send(NAME)
    assert "联系电话" in citizen.text
    await citizen.send("等等，我找一下")
    await citizen.send("我的手机号码是一三八 一二三四 五六七八")
    assert "住址" in citizen.text


async def test_restart_in_words(assistant) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await citizen.send("/complain")
    await citizen.send("李四")
    await citizen.send("重新开始")
    assert "怎么称呼" in citizen.text


async def test_a_draft_stored_by_the_earlier_version_still_loads(assistant, store) -> None:  # type: ignore[no-untyped-def]
    legacy = {
        "draft": {
            "nonce": "a1b2c3d4e5f6",
            "attachments": [],
            "anonymous": True,
            "name": "（不愿留名）",
            "phone": None,
            "facts": FACTS,
            "summary": FACTS[:60],
            "steer_channel": "petition",
            "some_future_key": {"kept": True},
        },
        "touched": datetime.now(UTC).isoformat(),
    }
    async with store.unit() as uow:
        await dialogue.save(uow.session, "telegram:1001", "intake:address", legacy)
    citizen = Citizen(assistant)
    await citizen.send("跳过")
    assert "怎么解决" in citizen.text  # address skipped (anonymous); facts were already there
    async with store.unit() as uow:
        data = (await dialogue.load_turn(uow.session, "telegram:1001", "telegram", "1001")).data
    assert data["draft"]["some_future_key"] == {"kept": True} and data["draft"]["anonymous"] is True
    for answer in ("尽快修好路灯", "同上", "没有", "就我"):
        await citizen.send(answer)
    await citizen.send("提交")
    case = await the_case(store)
    assert (case.name, case.phone, case.address) == ("（不愿留名）", None, "（未留）")


@pytest.mark.parametrize("junk", ["😀😀😀", "", "？？？", "/", "x" * 5000, "1" * 40, "\u200b"])
async def test_any_text_at_any_typed_step_is_answered(assistant, junk: str) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await typed_to_group(citizen)
    for _ in range(2):
        replies = await citizen.send(junk)
        assert replies and all("Traceback" not in r.text for r in replies)
    await citizen.send("确认提交" if "请核对" in citizen.text else "就我自己")
    assert "请核对" in citizen.text or "受理编号" in citizen.text


async def test_typed_choices_in_a_duplicate_update_are_taken_once(assistant, store) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await typed_to_summary(citizen)
    update = Incoming("telegram", "1001", "1001", text="确认提交", update_id="dup-1")
    first = await assistant.handle(update)
    again = await assistant.handle(update)
    assert "受理编号" in first[0].text and again == []
    assert await cases_filed(store) == 1


async def test_a_restart_between_typed_answers(config, engine, store) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(build_assistant(config, engine, store))
    await typed_to_group(citizen)
    citizen.assistant = build_assistant(config, engine, store)  # a new process, same database
    await citizen.send("只有我")
    assert "请核对" in citizen.text


async def test_stray_typed_numbers_and_words_outside_the_dialogue(assistant) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    for text in ("1", "确认提交", "没有照片", "就我自己"):
        replies = await citizen.send(text)
        assert replies and "受理编号" not in replies[0].text


async def test_database_outage_at_a_typed_confirmation_keeps_the_draft(config, engine, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "outage.db"
    db, store = await a_store_of_its_own(path, engine)
    citizen = Citizen(build_assistant(config, engine, store))
    await typed_to_summary(citizen)
    async with database_away(db, path):
        await citizen.send("没问题，提交吧")
    assert "没能保存" in citizen.text and "不会丢失" in citizen.text
    await citizen.press("重试")
    assert "受理编号：XF-" in citizen.text
    assert await cases_filed(store) == 1
    await db.dispose()


@pytest.mark.parametrize(
    "opening",
    [
        "我们村好多户想一起反映灌溉渠的事",
        "尊敬的领导：您好！我是一名退休教师，现就我所居住社区的道路安全问题向您反映。",
    ],
)
async def test_a_first_message_that_only_names_its_topic_still_gets_the_facts_asked(  # type: ignore[no-untyped-def]
    assistant, store, opening: str
) -> None:
    citizen = Citizen(assistant)
    await citizen.send(opening)
    await citizen.send("好的，帮我登记")
    for answer in (NAME, PHONE, ADDRESS):
        await citizen.send(answer)
    assert "发生了什么" in citizen.text  # the topic alone is no account of what happened
    await citizen.send("修路的时候把村里的水渠填平了，二十几户的田现在放不进水")
    for answer in ("恢复水渠", "影响春耕", "没有", "就我自己", "确认提交"):
        await citizen.send(answer)
    case = await the_case(store)
    assert "水渠" in case.facts and case.summary == opening.strip()[:60]


async def test_an_address_said_with_fillers_is_the_address_not_the_story(assistant, store) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await citizen.send("/complain")
    await citizen.send(NAME)
    await citizen.send(PHONE)
    await citizen.send("A市 嗯 A6区 那个 金星北路 枫林湾小区 二期 11栋 1单元")
    assert "发生了什么" in citizen.text


async def test_representatives_counted_after_their_names(assistant, store) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await typed_to_group(citizen)
    await citizen.send("还有邻居，二十几户")
    await citizen.send("代表是陈建军、李冬梅、王守田三个")
    assert "请核对" in citizen.text and "陈建军、李冬梅、王守田" in citizen.text


@pytest.mark.parametrize("typed", ["确定", "确认", "嗯，确定"])
async def test_a_cancel_confirmed_in_other_words(assistant, typed: str) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await citizen.send("/complain")
    await citizen.send(NAME)
    await citizen.send("不弄了")
    assert "要取消这次登记吗" in citizen.text
    await citizen.send(typed)
    assert "已取消" in citizen.text


async def test_a_word_of_assent_is_no_representative(assistant) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await typed_to_group(citizen)
    await citizen.send("还有邻居，五六户")
    await citizen.send("中")  # 「行」, not a person called 中
    assert "请核对" not in citizen.text and "代表" in citizen.text
