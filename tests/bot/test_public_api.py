"""/healthz and /api/v1/ask over HTTP, through create_app (the factory `xinfang run` uses)."""

from __future__ import annotations

import pytest

from bot.app import create_app


async def test_healthz(client) -> None:  # type: ignore[no-untyped-def]
    response = await client.get("/healthz")
    assert response.status == 200
    assert await response.json() == {"status": "ok", "db": "ok"}


async def test_healthz_reports_a_dead_database(aiohttp_client, config, engine, tmp_path) -> None:  # type: ignore[no-untyped-def]
    config = config.model_copy(
        update={"database_url": "postgresql+asyncpg://nobody@127.0.0.1:1/none", "migrate_on_start": False}
    )
    client = await aiohttp_client(create_app(config, engine=engine))
    response = await client.get("/healthz")
    assert response.status == 503
    assert (await response.json())["db"] == "unavailable"


async def test_ask_returns_the_answer_and_citations_best_first(client) -> None:  # type: ignore[no-untyped-def]
    response = await client.post("/api/v1/ask", json={"q": "信访事项多久办结？"})
    assert response.status == 200
    body = await response.json()
    assert body["citations"][0] == {"source": "信访工作条例", "article": 34}
    assert 0.42 <= body["confidence"] <= 1.0
    assert "60" in body["answer"]


async def test_ask_says_when_it_does_not_know(client) -> None:  # type: ignore[no-untyped-def]
    body = await (await client.post("/api/v1/ask", json={"q": "今天天气怎么样"})).json()
    assert body["citations"] == []
    assert "不太确定" in body["answer"]


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        (b"not json", 400, "bad_request"),
        (b"[1,2]", 400, "bad_request"),
        (b'{"x": 1}', 422, "invalid"),  # a missing or wrong-typed field: 422 with the field
        (b'{"q": 5}', 422, "invalid"),
        (b'{"q": "   "}', 422, "invalid"),
    ],
)
async def test_bad_requests_get_json_errors(client, payload: bytes, status: int, code: str) -> None:  # type: ignore[no-untyped-def]
    response = await client.post("/api/v1/ask", data=payload, headers={"Content-Type": "application/json"})
    assert response.status == status
    body = await response.json()
    assert body["error"]["code"] == code and body["error"]["message"]


async def test_oversized_question_is_cut_and_flagged(client) -> None:  # type: ignore[no-untyped-def]
    body = await (await client.post("/api/v1/ask", json={"q": "复查 " * 5000})).json()
    assert body["truncated"] is True


async def test_unknown_api_route_is_a_json_404(client) -> None:  # type: ignore[no-untyped-def]
    response = await client.get("/api/v1/nope")
    assert response.status == 404
    assert (await response.json())["error"]["code"] == "not_found"


async def test_rate_limit(aiohttp_client, config, engine) -> None:  # type: ignore[no-untyped-def]
    client = await aiohttp_client(create_app(config.model_copy(update={"api_rate_per_minute": 3}), engine=engine))
    statuses = [(await client.post("/api/v1/ask", json={"q": "能不能匿名"})).status for _ in range(5)]
    assert statuses[:3] == [200, 200, 200]
    assert statuses[3] == 429
    response = await client.post("/api/v1/ask", json={"q": "能不能匿名"})
    assert int(response.headers["Retry-After"]) >= 1
    assert (await response.json())["error"]["code"] == "rate_limited"


async def test_security_headers(client) -> None:  # type: ignore[no-untyped-def]
    response = await client.get("/healthz")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


async def test_triage_lists_every_remedy_with_its_last_day_for_a_fixed_today(client) -> None:  # type: ignore[no-untyped-def]
    # 行政复议法第二十条 60 日 from 06-10 → 08-09 (Sun) → 08-10; 行政诉讼法第四十六条 6 个月 → 12-10 (Thu)
    text = "2026年6月10日收到区政府的征收补偿决定书，补偿太低，我不服"
    body = await (await client.post("/api/v1/triage", json={"text": text, "today": "2026-11-25"})).json()
    assert body["channel"] == "admin_remedy"
    got = {d["remedy"]: d for d in body["deadlines"]}
    assert set(got) == {"admin_review", "admin_litigation"}
    assert (got["admin_review"]["due"], got["admin_review"]["expired"]) == ("2026-08-10", True)
    assert (got["admin_litigation"]["due"], got["admin_litigation"]["expired"]) == ("2026-12-10", False)
    assert got["admin_review"]["basis"] == {"source": "行政复议法", "article": 20}
    assert got["admin_litigation"]["basis"] == {"source": "行政诉讼法", "article": 46}
    # the same account read earlier: nothing has passed yet
    earlier = await (await client.post("/api/v1/triage", json={"text": text, "today": "2026-07-01"})).json()
    assert [d["expired"] for d in earlier["deadlines"]] == [False, False]


async def test_triage_deadline_on_the_last_day_itself_has_not_expired(client) -> None:  # type: ignore[no-untyped-def]
    # 条例第三十五条 30 日 from 09-10 → 10-10, a 调休 working Saturday: the last day stays
    text = "2026年9月10日收到街道的信访处理意见书，我对处理结果不满意"
    body = await (await client.post("/api/v1/triage", json={"text": text, "today": "2026-10-10"})).json()
    (only,) = body["deadlines"]
    assert (only["remedy"], only["due"], only["expired"]) == ("petition_review", "2026-10-10", False)
    assert only["basis"] == {"source": "信访工作条例", "article": 35}


async def test_triage_without_a_date_has_no_deadlines(client) -> None:  # type: ignore[no-untyped-def]
    body = await (await client.post("/api/v1/triage", json={"text": "对市场监管局作出的罚款决定不服"})).json()
    assert body["deadlines"] == []


@pytest.mark.parametrize("today", ["2026/11/25", "昨天", 20261125, "2026-02-30"])
async def test_triage_refuses_a_malformed_today(client, today) -> None:  # type: ignore[no-untyped-def]
    response = await client.post("/api/v1/triage", json={"text": "2026年3月5日收到罚款决定书，不服", "today": today})
    assert response.status == 422
    assert (await response.json())["error"]["code"] == "invalid"


async def test_triage_names_the_door_its_reasons_and_the_doors_in_doubt(client) -> None:  # type: ignore[no-untyped-def]
    body = await (await client.post("/api/v1/triage", json={"text": "老板拖欠我们三个月工资，一分钱都没拿到"})).json()
    assert body["channel"] == "labor_arbitration" and "petition" in body["also"]
    assert body["channel_cues"] and body["channel_unsure"] == []
    unsure = await (await client.post("/api/v1/triage", json={"text": "我想告他"})).json()
    assert unsure["channel"] == "petition" and "civil_litigation" in unsure["channel_unsure"]
    harm = await (await client.post("/api/v1/triage", json={"text": "我家孩子放学到现在还没回家，电话也打不通"})).json()
    assert harm["urgent"] is True


async def test_triage_after_an_acquittal_lists_state_compensation_and_no_court_remedy(client) -> None:  # type: ignore[no-untyped-def]
    text = "法院判我无罪，判决书2026年10月10日送达的，我要国家赔偿"
    body = await (await client.post("/api/v1/triage", json={"text": text, "today": "2026-11-25"})).json()
    assert body["channel"] == "state_compensation" and "court_procedure" not in body["also"]
    assert [(d["remedy"], d["basis"]) for d in body["deadlines"]] == [
        ("state_compensation", {"source": "国家赔偿法", "article": 39})
    ]
