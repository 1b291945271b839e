"""条例第三十条, as the attack: a report of a 住建局 official filed through 我要反映问题 (and by staff
at the desk) is read by the accused department's officer, by page, API and export — and by
everyone else who must not learn who made it."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select, update

from backend.models import AuditEntry, Case, CaseAssist, CaseEvent
from tests.auxil.dialogue import Citizen
from tests.auxil.staff import a_staff, api_token, log_in

NAME, PHONE, ID_NUMBER, WECHAT = "钱八", "13912345678", "430104199001011234", "qianba_2024"
ADDRESS = "A市A2区芙蓉中路88号"
STORY = (
    "我举报住建局的一个科员，他收了开发商的好处费五万元，帮开发商把不合格的房子验收了。"
    f"我是{NAME}，身份证{ID_NUMBER}，微信{WECHAT}，可以随时找我核实。"
)
# what identifies the reporter, in any form an officer could read
SECRETS = (NAME, PHONE, ID_NUMBER, WECHAT, ADDRESS, "芙蓉中路88号", "****5678")


async def report_through_the_dialogue(assistant, story: str = STORY) -> Citizen:  # type: ignore[no-untyped-def]
    citizen = Citizen(assistant, user_id="4242")
    await citizen.send("/start")
    await citizen.press("我要反映问题")
    assert "怎么称呼" in citizen.text
    for answer in (NAME, PHONE, ADDRESS, story):
        await citizen.send(answer)
    if "怎么解决" in citizen.text:
        await citizen.send("请求查处这个科员，重新验收房子")
    if "理由" in citizen.text:
        await citizen.send("他收钱办事，房子有安全隐患")
    await citizen.press("没有了，下一步")
    await citizen.press("只有我自己")
    assert "请核对" in citizen.text
    await citizen.press("确认提交")
    assert "受理编号" in citizen.text
    return citizen


async def the_case(store) -> Case:  # type: ignore[no-untyped-def]
    async with store.unit() as uow:
        return await uow.session.scalar(select(Case).order_by(Case.id.desc()))


async def read_everything(client, ticket: str, username: str) -> list[str]:  # type: ignore[no-untyped-def]
    """What a signed-in staff member gets for the case: the list, its page, the API, both exports."""
    client.session.cookie_jar.clear()
    await log_in(client, username)
    headers = await api_token(client, username)
    seen = [
        await (await client.get("/staff/cases")).text(),
        await (await client.get(f"/staff/cases/{ticket}")).text(),
        await (await client.get(f"/api/v1/cases/{ticket}", headers=headers)).text(),
        await (await client.get("/api/v1/cases", headers=headers)).text(),
        await (await client.get("/staff/export.csv")).text(),
    ]
    xlsx = await (await client.get("/staff/export.xlsx")).read()
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx)).active
    seen.append("\n".join(" ".join(str(c.value or "") for c in row) for row in sheet.iter_rows()))
    return seen


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
async def test_a_report_through_the_intake_dialogue_never_reaches_the_accused(assistant, client, store) -> None:  # type: ignore[no-untyped-def]
    for username, role, department in (
        ("zj", "officer", "zhujianju"),
        ("jw", "officer", "jiwei"),
        ("disp", "dispatcher", None),
        ("adm", "admin", None),
    ):
        await a_staff(store, username, role, department)
    citizen = await report_through_the_dialogue(assistant)
    # the reporter is told where it went — the 纪委监委, not the department they accuse — and why
    assert "纪委监委" in citizen.text and "第三十条" in citizen.text and "住建局" not in citizen.text.split("已转交")[1]
    case = await the_case(store)
    assert case.kind == "report"
    assert case.department_id == "jiwei" and case.accused_department_id == "zhujianju"
    assert NAME not in case.search_text and ID_NUMBER not in case.search_text  # nobody finds it by its reporter

    # the accused department's officer: not even the case
    assert (await client.get(f"/staff/cases/{case.ticket}", allow_redirects=False)).status in (302, 404)
    await log_in(client, "zj")
    assert (await client.get(f"/staff/cases/{case.ticket}")).status == 404
    zj = await api_token(client, "zj")
    assert (await client.get(f"/api/v1/cases/{case.ticket}", headers=zj)).status == 404
    assert case.ticket not in await (await client.get("/staff/export.csv")).text()

    # … and if the case reaches them anyway (made a 协办 department by mistake), still no identity
    async with store.unit() as uow:
        await uow.session.execute(update(Case).where(Case.id == case.id).values(assisting=["zhujianju"]))
        uow.session.add(CaseAssist(case_id=case.id, department_id="zhujianju"))
    for seen in await read_everything(client, case.ticket, "zj"):
        for secret in SECRETS:
            assert secret not in seen, secret
    page = (await read_everything(client, case.ticket, "zj"))[1]
    assert "第三十条" in page and "好处费" in page  # the matter itself is readable, the reporter is not

    # a dispatcher routes it; never to the department it accuses
    disp = await api_token(client, "disp")
    refused = await client.post(
        f"/api/v1/cases/{case.ticket}/actions", json={"action": "route", "department": "zhujianju"}, headers=disp
    )
    assert refused.status == 403 and "第三十条" in (await refused.json())["error"]["message"]
    # the dispatcher and other officers do not see who made it either
    for seen in await read_everything(client, case.ticket, "disp"):
        for secret in SECRETS:
            assert secret not in seen, secret

    # the 纪检监察 handler and the administrator do — with the ID number masked all the same
    for username in ("jw", "adm"):
        page, detail = (await read_everything(client, case.ticket, username))[1:3]
        assert NAME in page and NAME in detail
        assert ID_NUMBER not in page and ID_NUMBER not in detail and "430*************34" in page
    # every view of the identity is in the audit log, none in the case's timeline
    async with store.unit() as uow:
        viewers = set((await uow.session.scalars(select(AuditEntry.actor).where(AuditEntry.case_id == case.id))).all())
        kinds = set((await uow.session.scalars(select(CaseEvent.kind).where(CaseEvent.case_id == case.id))).all())
    assert viewers == {"staff:jw", "staff:adm"}
    assert "viewed_pii" not in kinds
    jw = await api_token(client, "jw")
    audit = await (await client.get(f"/api/v1/cases/{case.ticket}/audit", headers=jw)).json()
    assert {a["action"] for a in audit} >= {"case_page", "api_case", "export"}
    assert (await client.get(f"/api/v1/cases/{case.ticket}/audit", headers=disp)).status == 403


async def test_a_report_registered_at_the_accused_departments_own_desk(client, store) -> None:  # type: ignore[no-untyped-def]
    """A 住建局 officer registers a visitor's report about a 住建局 科员: it leaves the department."""
    await a_staff(store, "zj", "officer", "zhujianju")
    zj = await api_token(client, "zj")
    body = {
        "source": "visit",
        "name": NAME,
        "phone": PHONE,
        "address": ADDRESS,
        "facts": f"住建局审批科的科员张某收了开发商的好处费，违规给开发商办了预售许可。我的身份证{ID_NUMBER}",
        "request": "请求查处",
    }
    response = await client.post("/api/v1/cases", json=body, headers=zj)
    assert response.status == 201, await response.text()
    created = await response.json()
    assert created["kind"] == "report" and created["department"] == "jiwei"
    # 首接首办 does not keep a report in the accused department's hands
    assert (await client.get(f"/api/v1/cases/{created['ticket']}", headers=zj)).status == 404


EVERYDAY_REPORTS = [
    ("自从我上访以后，街道的人就处处刁难我，办什么证明都不给开", "jiedao"),
    ("我投诉过城管以后，城管队长就老找我麻烦，故意刁难我摆摊", "chengguanju"),
    ("社区的李书记因为我举报他就打击报复我，把我家的低保停了", "jiedao"),
    ("街道办的王主任收了好处，才把拆迁补偿批给他亲戚，我们的一直不批", "jiedao"),
    ("城管队长收了好处费，就让那几家占道经营，我们摆摊就被没收", "chengguanju"),
]


@pytest.mark.parametrize(("facts", "accused"), EVERYDAY_REPORTS)
async def test_everyday_reports_registered_at_the_accused_units_desk_leave_it(client, store, facts, accused) -> None:  # type: ignore[no-untyped-def]
    """Staff of the accused unit register it (首接首办): it still goes to the 纪委监委, not to them."""
    await a_staff(store, "own", "officer", accused)
    await a_staff(store, "disp", "dispatcher")
    own = await api_token(client, "own")
    body = {"source": "visit", "name": NAME, "phone": PHONE, "address": ADDRESS, "facts": facts, "request": "请求查处"}
    response = await client.post("/api/v1/cases", json=body, headers=own)
    assert response.status == 201, await response.text()
    created = await response.json()
    assert created["kind"] == "report" and created["department"] == "jiwei"
    assert (await client.get(f"/api/v1/cases/{created['ticket']}", headers=own)).status == 404
    case = await the_case(store)
    assert case.accused_department_id == accused
    disp = await api_token(client, "disp")
    refused = await client.post(
        f"/api/v1/cases/{case.ticket}/actions", json={"action": "route", "department": accused}, headers=disp
    )
    assert refused.status == 403


@pytest.mark.parametrize(("facts", "accused"), EVERYDAY_REPORTS[:2])
async def test_everyday_reports_through_the_chat_leave_the_accused_unit(assistant, store, facts, accused) -> None:  # type: ignore[no-untyped-def]
    await report_through_the_dialogue(assistant, facts)
    case = await the_case(store)
    assert case.kind == "report" and case.department_id == "jiwei" and case.accused_department_id == accused


async def test_id_and_card_numbers_are_masked_for_every_reader(client, store) -> None:  # type: ignore[no-untyped-def]
    """An ordinary complaint: its handling officer sees who wrote it, but never a full ID or card number."""
    await a_staff(store, "cg", "officer", "chengguanju")
    cg = await api_token(client, "cg")
    body = {
        "source": "phone",
        "name": "孙九",
        "phone": "13700001111",
        "address": "A市A3区建设路",
        "facts": f"路灯坏了三个月，我身份证{ID_NUMBER}，补偿款请打到银行卡6222 0212 3456 7890 123",
        "request": "尽快修好路灯",
    }
    ticket = (await (await client.post("/api/v1/cases", json=body, headers=cg)).json())["ticket"]
    for seen in await read_everything(client, ticket, "cg"):
        assert ID_NUMBER not in seen and "6222 0212 3456 7890 123" not in seen and "6222021234567890123" not in seen
    page = (await read_everything(client, ticket, "cg"))[1]
    assert "孙九" in page and "430*************34" in page
    rows = list(csv.reader(io.StringIO((await (await client.get("/staff/export.csv")).text()).lstrip("\ufeff"))))
    assert rows[1][6] == "孙九"


async def test_contact_details_typed_into_the_story_are_masked_like_the_fields(client, store) -> None:  # type: ignore[no-untyped-def]
    """PII in free text (facts, request): phones, ID and card numbers, house numbers are masked for
    every reader — the handling officer, who may see who wrote it, included; the structured
    fields stay as the role rules say (name shown, phone masked)."""
    await a_staff(store, "cg", "officer", "chengguanju")
    cg = await api_token(client, "cg")
    body = {
        "source": "phone",
        "name": "孙九",
        "phone": "13700001111",
        "address": "A市A3区建设路",
        "facts": (
            "城管把我的三轮车拖走了，有事打我手机13912345678或家里电话0731-84561234，"
            f"我住芙蓉中路88号3栋501室，身份证{ID_NUMBER}，罚款退到卡6222021234567890123"
        ),
        "request": "请把车还给我，联系电话139 1234 5678",
    }
    ticket = (await (await client.post("/api/v1/cases", json=body, headers=cg)).json())["ticket"]
    for seen in await read_everything(client, ticket, "cg"):
        for secret in ("13912345678", "139 1234 5678", "84561234", "88号3栋501室", ID_NUMBER, "6222021234567890123"):
            assert secret not in seen, secret
    page = (await read_everything(client, ticket, "cg"))[1]
    assert "孙九" in page and "139****5678" in page and "137****1111" in page and "芙蓉中路" in page
