"""Errors as a citizen or a client program meets them: short Chinese messages (JSON under /api/),
never aiohttp's English defaults or anything of the server's internals."""

from __future__ import annotations

import re

import pytest

from tests.auxil.staff import a_staff, api_token

_CJK = re.compile(r"[\u4e00-\u9fa5]")
INTERNALS = ("Not Found", "Method Not Allowed", "Maximum request body", "Traceback", "aiohttp", "Request Entity")


def _chinese_without_internals(text: str) -> None:
    assert _CJK.search(text), text
    for word in INTERNALS:
        assert word not in text, text


async def _json_error(response, status: int) -> dict:  # type: ignore[no-untyped-def]
    assert response.status == status, await response.text()
    assert response.content_type == "application/json"
    error = (await response.json())["error"]
    _chinese_without_internals(error["message"])
    return error


async def test_unknown_urls_and_wrong_methods_on_the_api_are_chinese_json(client) -> None:  # type: ignore[no-untyped-def]
    await _json_error(await client.get("/api/v1/nope"), 404)
    await _json_error(await client.get("/chat/api/nope"), 404)
    await _json_error(await client.put("/api/v1/ask", json={"q": "x"}), 405)
    await _json_error(await client.get("/chat/api/send"), 405)


async def test_unknown_urls_and_wrong_methods_on_the_web_are_short_chinese_pages(client) -> None:  # type: ignore[no-untyped-def]
    for response, status in (
        (await client.get("/no-such-page"), 404),
        (await client.get("/staff/no-such-page"), 404),
        (await client.delete("/"), 405),
        (await client.put("/staff/login"), 405),
    ):
        assert response.status == status
        _chinese_without_internals(await response.text())


async def test_oversize_bodies_are_a_chinese_413(client) -> None:  # type: ignore[no-untyped-def]
    await _json_error(await client.post("/api/v1/ask", data=b"x" * (70 * 1024)), 413)
    await _json_error(await client.post("/chat/api/send", data=b"x" * (40 * 1024)), 413)
    page = await client.post("/staff/login", data={"username": "x" * (17 * 1024 * 1024), "password": "y"})
    assert page.status == 413
    _chinese_without_internals(await page.text())


@pytest.mark.parametrize("q", [12, 1.5, True, ["信访"], {"text": "信访"}, None])
async def test_ask_with_a_question_of_the_wrong_type_is_a_422(client, q) -> None:  # type: ignore[no-untyped-def]
    error = await _json_error(await client.post("/api/v1/ask", json={"q": q}), 422)
    assert "q" in error.get("fields", {}), error
    missing = await _json_error(await client.post("/api/v1/ask", json={}), 422)
    assert "q" in missing.get("fields", {})


async def test_a_note_takes_its_text_as_note_or_text_and_says_when_it_is_missing(client, store) -> None:  # type: ignore[no-untyped-def]
    await a_staff(store, "disp", "dispatcher")
    headers = await api_token(client, "disp")
    body = {
        "source": "phone",
        "name": "孙九",
        "phone": "13700001111",
        "address": "A市A3区建设路",
        "facts": "小区门口的路灯坏了三个月，晚上很危险",
        "request": "尽快修好路灯",
    }
    ticket = (await (await client.post("/api/v1/cases", json=body, headers=headers)).json())["ticket"]
    url = f"/api/v1/cases/{ticket}/actions"
    for key in ("note", "text"):
        response = await client.post(url, json={"action": "note", key: f"已电话联系（{key}）"}, headers=headers)
        assert response.status == 200, await response.text()
    notes = [e["note"] for e in (await (await client.get(f"/api/v1/cases/{ticket}", headers=headers)).json())["events"]]
    assert "已电话联系（note）" in notes and "已电话联系（text）" in notes
    error = await _json_error(await client.post(url, json={"action": "note"}, headers=headers), 422)
    assert "备注" in error["message"] and "note" in error.get("fields", {})
