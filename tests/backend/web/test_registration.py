"""Registering letters, visits and calls by staff (POST /api/v1/cases): the chat's checks,
routing, steering and deadlines; the registering staff member is the first handler."""

from __future__ import annotations

import base64
from datetime import timedelta

from backend.filing import MAX_FACTS_CHARS
from knowledge.periods import period_end
from tests.auxil.clock import china_today
from tests.auxil.staff import a_staff, api_token

LETTER = {
    "source": "letter",
    "name": "李四",
    "phone": "139 0731 2233",
    "address": "A市A3区桂花路12号",
    "facts": "我们小区门口的路灯坏了三个月，晚上老人出门很危险，多次打物业电话没人管",
    "request": "尽快修好路灯",
}
PDF = b"%PDF-1.4 a scanned letter"


async def test_a_letter_with_its_scan_is_routed_and_its_registrar_is_the_first_handler(client, store) -> None:  # type: ignore[no-untyped-def]
    await a_staff(store, "disp", "dispatcher")
    headers = await api_token(client, "disp")
    received = china_today() - timedelta(days=3)
    body = {
        **LETTER,
        "received_on": received.isoformat(),
        "letter_date": (received - timedelta(days=2)).isoformat(),
        "attachments": [{"file_name": "来信扫描.pdf", "content": base64.b64encode(PDF).decode()}],
    }
    response = await client.post("/api/v1/cases", json=body, headers=headers)
    assert response.status == 201, await response.text()
    created = await response.json()
    assert created["ticket"].startswith("XF-") and created["status"] == "registered"
    assert created["first_handler"] == "disp" and created["channel"] == "petition"
    assert created["category"] == "城乡建设" and created["department"]
    # the 15 日 run from the day the office received the letter, not from the day it was typed in
    assert created["accept_due"] == period_end(received, days=15).isoformat()
    case = await (await client.get(f"/api/v1/cases/{created['ticket']}", headers=headers)).json()
    assert case["source"] == "letter" and case["letter_date"] == body["letter_date"]
    assert case["first_handler"] == "disp" and case["assignee"] == "disp"
    assert case["citizen"]["phone"] == "139****2233"
    assert case["events"][0]["kind"] == "filed" and case["events"][0]["actor"] == "staff:disp"


async def test_mistakes_come_back_per_field(client, store) -> None:  # type: ignore[no-untyped-def]
    await a_staff(store, "disp", "dispatcher")
    headers = await api_token(client, "disp")
    bad = {
        "source": "fax",
        "phone": "12345",
        "facts": "太短",
        "request": "",
        "group_size": 30,
        "representatives": ["甲", "乙", "丙", "丁", "戊", "己"],
        "received_on": (china_today() + timedelta(days=1)).isoformat(),
    }
    response = await client.post("/api/v1/cases", json=bad, headers=headers)
    assert response.status == 422
    error = (await response.json())["error"]
    assert set(error["fields"]) == {"source", "phone", "facts", "request", "representatives", "received_on"}
    assert "5 人" in error["fields"]["representatives"]


async def test_a_visit_by_a_group_keeps_its_five_representatives(client, store) -> None:  # type: ignore[no-untyped-def]
    await a_staff(store, "off", "officer", "chengguanju")
    headers = await api_token(client, "off")
    body = {
        **LETTER,
        "source": "visit",
        "group_size": 40,
        "representatives": "王一、王二、王三",
    }
    created = await (await client.post("/api/v1/cases", json=body, headers=headers)).json()
    case = await (await client.get(f"/api/v1/cases/{created['ticket']}", headers=headers)).json()
    assert case["group_size"] == 40 and case["first_handler"] == "off"


async def test_a_call_about_a_labour_dispute_gets_the_arbitration_advice(client, store) -> None:  # type: ignore[no-untyped-def]
    await a_staff(store, "disp", "dispatcher")
    headers = await api_token(client, "disp")
    body = {
        "source": "phone",
        "phone": "13812345678",
        "facts": "我在工厂干了两年，老板拖欠我三个月工资不给，上个月把我辞退了，也没签劳动合同",
        "request": "要回拖欠的工资",
    }
    created = await (await client.post("/api/v1/cases", json=body, headers=headers)).json()
    assert created["channel"] == "labor_arbitration"
    advice = created["advice"]
    assert advice["name"] and advice["basis"]["source"] == "劳动争议调解仲裁法"
    assert advice["deadline"]  # 「上个月」 is a date: the one-year period is counted from it


async def test_a_leader_does_not_register_and_strangers_cannot(client, store) -> None:  # type: ignore[no-untyped-def]
    await a_staff(store, "boss", "leader")
    headers = await api_token(client, "boss")
    assert (await client.post("/api/v1/cases", json=LETTER, headers=headers)).status == 403
    assert (await client.post("/api/v1/cases", json=LETTER)).status == 401


async def test_the_same_caller_on_the_same_matter_joins_the_open_case(client, store) -> None:  # type: ignore[no-untyped-def]
    await a_staff(store, "disp", "dispatcher")
    await a_staff(store, "off", "officer", "chengguanju")
    first = await (await client.post("/api/v1/cases", json=LETTER, headers=await api_token(client, "disp"))).json()
    again = await client.post(
        "/api/v1/cases", json={**LETTER, "source": "phone"}, headers=await api_token(client, "off")
    )
    assert again.status == 200
    joined = await again.json()
    assert joined["repeat"] is True and joined["ticket"] == first["ticket"] and joined["first_handler"] == "disp"


async def test_facts_over_the_one_limit_are_refused_with_the_limit_never_cut(client, store) -> None:  # type: ignore[no-untyped-def]
    await a_staff(store, "disp", "dispatcher")
    headers = await api_token(client, "disp")
    long_facts = "路灯坏了三个月，晚上很黑。" * (MAX_FACTS_CHARS // 13 + 1)
    response = await client.post("/api/v1/cases", json={**LETTER, "facts": long_facts}, headers=headers)
    assert response.status == 422
    assert f"{MAX_FACTS_CHARS} 字" in (await response.json())["error"]["fields"]["facts"]
    whole = long_facts[:MAX_FACTS_CHARS]
    response = await client.post("/api/v1/cases", json={**LETTER, "facts": whole}, headers=headers)
    assert response.status == 201, await response.text()
    case = await (await client.get(f"/api/v1/cases/{(await response.json())['ticket']}", headers=headers)).json()
    assert case["facts"] == whole
