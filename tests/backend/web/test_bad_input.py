"""Bad input, as the attacks: JSON nested 15,000 deep, campaign fields of the wrong type, a
spreadsheet formula in a citizen's address, `../` in an attachment's name, and views of personal
data drowning a case's timeline."""

from __future__ import annotations

import base64
import csv
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from backend.models import AuditEntry, Campaign, Case, CaseEvent
from tests.auxil.staff import a_staff, api_token, log_in

DEEP = 15_000
# (objects 12,000 deep: 15,000 would pass the 64 KB body limit and be refused as too large)
DEEP_BODIES = ("[" * DEEP + "]" * DEEP, '{"":' * 12_000 + "1" + "}" * 12_000, '{"q": ' + "[" * 40 + "]" * 40 + "}")


async def test_deeply_nested_json_is_a_400_not_a_traceback(client, store) -> None:  # type: ignore[no-untyped-def]
    await a_staff(store, "disp", "dispatcher")
    headers = {**await api_token(client, "disp"), "Content-Type": "application/json"}
    limits = {"/chat/api/send": 32 * 1024}  # the web chat takes smaller bodies: larger is a 413
    for path in (
        "/api/v1/ask",
        "/api/v1/triage",
        "/api/v1/auth/token",
        "/api/v1/campaigns",
        "/api/v1/cases",
        "/chat/api/send",
    ):
        for body in DEEP_BODIES:
            response = await client.post(path, data=body, headers=headers)
            expected = 413 if len(body) > limits.get(path, 64 * 1024) else 400
            assert response.status == expected, (path, response.status, await response.text())
            error = (await response.json())["error"]
            assert error["code"] in ("bad_request", "payload_too_large") and "Traceback" not in error["message"]
    # the server is fine afterwards
    assert (await client.post("/api/v1/ask", json={"q": "信访事项多久办结？"})).status == 200


WRONG_SHAPES = [
    ({"topic": ["policy"]}, "topic"),
    ({"topic": {"name": "policy"}}, "topic"),
    ({"topic": 5}, "topic"),
    ({"topic": True}, "topic"),
    ({"buttons": "https://example.org"}, "buttons"),
    ({"buttons": {"label": "看看", "url": "https://example.org"}}, "buttons"),
    ({"buttons": [5]}, "buttons"),
    ({"buttons": [[{"label": 5, "url": "https://example.org"}]]}, "buttons"),
    ({"quiz": ["question", "a", "b"]}, "quiz"),
    ({"quiz": "题目"}, "quiz"),
    ({"quiz": {"question": "哪一条？", "options": "AB", "answer": 0}}, "quiz"),
    ({"quiz": {"question": "哪一条？", "options": ["甲", "乙"], "answer": True}}, "quiz"),
    ({"quiz": {"question": ["哪一条？"], "options": ["甲", "乙"], "answer": 0}}, "quiz"),
    ({"title": None}, "title"),
    ({"title": 12}, "title"),
    ({"text": ["正文"]}, "text"),
    ({"send_at": 20261201}, "send_at"),
]


@pytest.mark.parametrize(("change", "field"), WRONG_SHAPES)
async def test_a_campaign_field_of_the_wrong_type_is_named_and_nothing_is_stored(  # type: ignore[no-untyped-def]
    client, store, change, field
) -> None:
    await a_staff(store, "disp", "dispatcher")
    headers = await api_token(client, "disp")
    body = {"title": "条例宣传", "text": "《信访工作条例》第三十条保护检举人。", **change}
    response = await client.post("/api/v1/campaigns", json=body, headers=headers)
    assert response.status == 422, await response.text()
    error = (await response.json())["error"]
    assert field in error["fields"] and field in error["fields"][field].split("（")[0].split(".")[0]
    async with store.unit() as uow:
        assert await uow.session.scalar(select(func.count()).select_from(Campaign)) == 0
    # the same body, corrected, is fine
    fine = await client.post("/api/v1/campaigns", json={"title": "条例宣传", "text": "第三十条"}, headers=headers)
    assert fine.status == 201


FORMULA = '=HYPERLINK("http://evil.example/","点此领取补贴")'


async def test_a_formula_in_a_citizens_words_stays_text_in_both_exports(client, store) -> None:  # type: ignore[no-untyped-def]
    await a_staff(store, "disp", "dispatcher")
    headers = await api_token(client, "disp")
    body = {
        "source": "letter",
        "name": "周十",
        "address": FORMULA,
        "facts": "+1+cmd|' /C calc'!A0 小区门口的路灯坏了三个月，晚上很黑",
        "summary": "@SUM(1+1)*cmd|' /C calc'!A0",
        "request": "-2+3 尽快修好",
    }
    assert (await client.post("/api/v1/cases", json=body, headers=headers)).status == 201
    await log_in(client, "disp")
    rows = list(csv.reader(io.StringIO((await (await client.get("/staff/export.csv")).text()).lstrip("\ufeff"))))
    sheet = load_workbook(io.BytesIO(await (await client.get("/staff/export.xlsx")).read())).active
    cells = next(sheet.iter_rows(min_row=2))
    for value in (FORMULA, body["summary"], body["request"]):
        assert f"'{value}" in rows[1], value  # CSV: an apostrophe in front, the text intact
    for cell in cells:
        assert cell.data_type != "f" and not str(cell.value or "").startswith(("=", "+", "-", "@")), cell.value
    assert f"'{FORMULA}" in [c.value for c in cells]


async def test_attachment_names_cannot_climb_out_of_the_download(client, store) -> None:  # type: ignore[no-untyped-def]
    await a_staff(store, "disp", "dispatcher")
    headers = await api_token(client, "disp")
    pdf = base64.b64encode(b"%PDF-1.4 scan").decode()
    body = {
        "source": "letter",
        "facts": "小区门口的路灯坏了三个月，晚上老人出门很危险",
        "request": "尽快修好路灯",
        "attachments": [{"file_name": '../../etc/passwd"\r\nX-Evil: 1.pdf', "content": pdf}],
    }
    ticket = (await (await client.post("/api/v1/cases", json=body, headers=headers)).json())["ticket"]
    await log_in(client, "disp")
    page = await (await client.get(f"/staff/cases/{ticket}")).text()
    link = page.split(f"/staff/cases/{ticket}/attachments/")[1].split('"')[0]
    download = await client.get(f"/staff/cases/{ticket}/attachments/{link}")
    disposition = download.headers["Content-Disposition"]
    assert download.status == 200 and "X-Evil" not in download.headers
    assert "../" not in disposition and "..%2F" not in disposition and "%2F" not in disposition
    assert disposition.startswith('attachment; filename="') and "filename*=UTF-8''" in disposition


async def test_views_and_exports_go_to_the_audit_log_not_the_timeline(client, store) -> None:  # type: ignore[no-untyped-def]
    await a_staff(store, "disp", "dispatcher")
    headers = await api_token(client, "disp")
    body = {"source": "phone", "name": "吴十一", "facts": "小区门口的路灯坏了三个月，晚上很黑", "request": "修好路灯"}
    ticket = (await (await client.post("/api/v1/cases", json=body, headers=headers)).json())["ticket"]
    await log_in(client, "disp")
    async with store.unit() as uow:
        case_id = await uow.session.scalar(select(Case.id).where(Case.ticket == ticket))
        before = await uow.session.scalar(select(func.count()).where(CaseEvent.case_id == case_id))
    for _ in range(2):
        assert (await client.get("/staff/export.csv")).status == 200
        assert (await client.get("/staff/export.xlsx")).status == 200
    assert (await client.get(f"/staff/cases/{ticket}")).status == 200
    async with store.unit() as uow:
        after = await uow.session.scalar(select(func.count()).where(CaseEvent.case_id == case_id))
        audited = (await uow.session.scalars(select(AuditEntry.action).where(AuditEntry.case_id == case_id))).all()
    assert after == before  # four exports and a page view: nothing added to what was done about the case
    assert sorted(audited) == ["case_page", "export", "export", "export", "export"]
    audit_page = await (await client.get(f"/staff/cases/{ticket}/audit")).text()
    assert audit_page.count("<td>导出台账</td>") == 4 and "<td>staff:disp</td>" in audit_page
