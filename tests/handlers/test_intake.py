"""The complaint dialogue, step by step, on the real store."""

from __future__ import annotations

from sqlalchemy import func, select

from backend.models import Attachment, Case
from bot.app import build_assistant
from tests.auxil.clock import Clock, with_clock
from tests.auxil.dialogue import Citizen
from tests.auxil.outage import a_store_of_its_own, database_away

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200


async def fill_to_confirm(citizen: Citizen) -> None:
    await citizen.send("/complain")
    assert "怎么称呼" in citizen.text
    await citizen.send("张三")
    assert "联系电话" in citizen.text
    await citizen.send("13812345678")
    assert "住址" in citizen.text
    await citizen.send("A市A3区建设路街道幸福小区")
    assert "发生了什么" in citizen.text
    await citizen.send("小区门口的路灯坏了三个月了，晚上老人出门很危险，找过物业没人管")
    assert "怎么解决" in citizen.text
    await citizen.send("尽快修好路灯")
    assert "理由" in citizen.text
    await citizen.send("影响居民夜间出行安全")
    assert "照片" in citizen.text
    await citizen.press("没有了，下一步")
    assert "其他人" in citizen.text
    await citizen.press("只有我自己")
    assert "请核对" in citizen.text


async def test_a_complaint_from_start_to_ticket(assistant, store) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await fill_to_confirm(citizen)
    assert "138****5678" in citizen.text and "13812345678" not in citizen.text
    await citizen.press("确认提交")
    assert "受理编号：XF-" in citizen.text
    assert "已转交" in citizen.text or "人工确定" in citizen.text
    assert "15 日内" in citizen.text and "60 日内" in citizen.text and "/status" in citizen.text
    async with store.unit() as uow:
        case = await uow.session.scalar(select(Case))
    assert (case.name, case.phone, case.request) == ("张三", "13812345678", "尽快修好路灯")
    await citizen.send(f"/status {case.ticket}")
    assert "登记" in citizen.text and case.ticket in citizen.text
    await citizen.send("/mycases")
    assert case.ticket in citizen.text


async def test_pressing_submit_twice_files_once(assistant, store) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await fill_to_confirm(citizen)
    confirm = citizen.last
    await citizen.press("确认提交")
    citizen.last = confirm
    await citizen.press("确认提交")
    assert "已经提交过了" in citizen.text
    async with store.unit() as uow:
        assert await uow.session.scalar(select(func.count()).select_from(Case)) == 1


async def test_invalid_phone_is_explained_and_asked_again(assistant) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await citizen.send("/complain")
    await citizen.send("李四")
    await citizen.send("12345")
    assert "号码好像不对" in citizen.text and "联系电话" in citizen.text
    await citizen.send("0731-84567890")
    assert "住址" in citizen.text


async def test_edit_a_field_before_submitting(assistant, store) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await fill_to_confirm(citizen)
    await citizen.press("修改")
    await citizen.press("请求")
    assert "怎么解决" in citizen.text
    await citizen.send("一周内修好路灯并答复")
    assert "请核对" in citizen.text and "一周内修好路灯并答复" in citizen.text
    await citizen.press("确认提交")
    async with store.unit() as uow:
        assert (await uow.session.scalar(select(Case))).request == "一周内修好路灯并答复"


async def test_cancel_and_restore(assistant) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await citizen.send("/complain")
    await citizen.send("王五")
    await citizen.send("/cancel")
    assert "已取消" in citizen.text
    await citizen.press("恢复刚才的内容")
    assert "联系电话" in citizen.text


async def test_free_text_already_answering_later_questions_is_used(assistant) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await citizen.send("我叫王芳，电话13912345678，我家楼下的餐馆油烟太大熏得没法开窗，希望有关部门管一管")
    assert "帮我登记" in citizen.buttons
    await citizen.press("帮我登记")
    # name and phone came with the story; the next question is the address
    assert "住址" in citizen.text
    await citizen.send("A市A5区人民路88号")
    # facts and request came with the story too: next is the reason
    assert "理由" in citizen.text


async def test_a_restart_mid_dialogue_resumes(config, engine, store) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(build_assistant(config, engine, store))
    await citizen.send("/complain")
    await citizen.send("赵六")
    citizen.assistant = build_assistant(config, engine, store)  # a new process, same database
    await citizen.send("13612345678")
    assert "住址" in citizen.text


async def test_coming_back_days_later_is_asked_to_continue(assistant) -> None:  # type: ignore[no-untyped-def]
    clock = Clock()
    citizen = Citizen(with_clock(assistant, clock))
    await citizen.send("/complain")
    await citizen.send("钱七")
    clock.advance(days=3)
    await citizen.send("13712345678")
    assert "还没有提交" in citizen.text and "继续填写" in citizen.buttons
    await citizen.press("继续填写")
    assert "联系电话" in citizen.text


async def test_photos_are_kept_and_wrong_types_refused(assistant, store) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await fill_to_confirm(citizen)
    await citizen.press("修改")
    await citizen.press("附件")
    await citizen.attach("现场.png", "image/png", PNG, kind="photo")
    assert "已收到 1 个文件" in citizen.text
    await citizen.attach("virus.exe", "application/octet-stream", b"MZ\x90\x00" * 10)
    assert "没能收下" in citizen.text
    await citizen.press("没有了，下一步")
    assert "现场.png" in citizen.text
    await citizen.press("确认提交")
    async with store.unit() as uow:
        attachment = await uow.session.scalar(select(Attachment))
    assert attachment.case_id is not None and attachment.size == len(PNG)


async def test_oversize_file_is_refused(assistant) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await citizen.send("/complain")
    await citizen.attach("big.png", "image/png", PNG + b"\x00" * (11 * 1024 * 1024))
    assert "太大" in citizen.text


async def test_several_people_and_at_most_five_representatives(assistant, store) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await citizen.send("/complain")
    for answer in (
        "张三",
        "13812345678",
        "A市A3区幸福小区",
        "小区二十多户的屋顶漏水两年了一直没人修",
        "维修屋顶",
        "房屋质量问题",
    ):
        await citizen.send(answer)
    await citizen.press("没有了，下一步")
    await citizen.press("还有其他人")
    await citizen.send("23")
    assert "不超过 5 人" in citizen.text
    await citizen.send("甲一,乙二,丙三,丁四,戊五,己六")
    assert "最多 5 人" in citizen.text
    await citizen.send("甲一，乙二，丙三")
    assert "约 23 人" in citizen.text and "甲一、乙二、丙三" in citizen.text
    await citizen.press("确认提交")
    async with store.unit() as uow:
        case = await uow.session.scalar(select(Case))
    assert case.group_size == 23 and case.representatives == ["甲一", "乙二", "丙三"]


async def test_oversized_facts_are_cut_with_a_note(assistant) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await citizen.send("/complain")
    for answer in ("张三", "13812345678", "A市A3区幸福小区"):
        await citizen.send(answer)
    await citizen.send("路灯坏了" * 3000)
    assert "前 4000 个字" in citizen.text and "怎么解决" in citizen.text


async def test_a_question_mid_way_is_answered_and_the_step_stays(assistant) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await citizen.send("/complain")
    await citizen.send("能不能匿名？")
    assert "第十九条" in citizen.text and "怎么称呼" in citizen.text


async def test_anonymous_citizens_may_skip_phone_and_address(assistant, store) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    await citizen.send("/complain")
    await citizen.press("不愿留名")
    assert "无法书面告知" in citizen.text
    await citizen.press("跳过")
    await citizen.press("跳过")
    assert "发生了什么" in citizen.text


async def test_status_of_someone_elses_case_is_not_found(assistant, store) -> None:  # type: ignore[no-untyped-def]
    owner = Citizen(assistant, user_id="501")
    await fill_to_confirm(owner)
    await owner.press("确认提交")
    async with store.unit() as uow:
        ticket = (await uow.session.scalar(select(Case))).ticket
    stranger = Citizen(assistant, user_id="502")
    await stranger.send(f"/status {ticket}")
    assert "未找到" in stranger.text
    await stranger.send("/status XF-20990101-9999")
    wrong = stranger.text
    assert "未找到" in wrong


async def test_stray_intake_buttons_after_the_dialogue(assistant) -> None:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant)
    for data in ("intake:skip:reason", "intake:group:1", "intake:field:name", "intake:submit:deadbeef"):
        replies = await citizen.send(button=data)
        assert replies and "Traceback" not in replies[0].text


async def test_database_outage_during_submit_keeps_the_draft(config, engine, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The database disappears between confirm and submit; the citizen is told, then retries."""
    path = tmp_path / "outage.db"
    db, store = await a_store_of_its_own(path, engine)
    citizen = Citizen(build_assistant(config, engine, store))
    await fill_to_confirm(citizen)
    async with database_away(db, path):
        await citizen.press("确认提交")
    assert "没能保存" in citizen.text and "不会丢失" in citizen.text
    await citizen.press("重试")
    assert "受理编号：XF-" in citizen.text
    async with store.unit() as uow:
        assert await uow.session.scalar(select(func.count()).select_from(Case)) == 1
    await db.dispose()
