"""`xinfang demo load`: historic messages become what they were — answered cases on their reply's
date, archived messages on their own date — never a pile of overdue 登记 cases; the data is
found next to the checkout or where --data-dir says, or the command says where to put it."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from backend.demo import DemoDataMissing, load_demo, locate, reply_date
from backend.filing import Routing
from backend.models import OPEN_STATUSES, Case, CaseEvent
from bot.cli import main

TZ = ZoneInfo("Asia/Shanghai")


def _write(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    _write(
        tmp_path / "past_cases_with_replies.csv",
        [
            {
                "id": "1",
                "title": "小区路灯不亮",
                "detail": "A3区某小区路灯坏了三个月",
                "reply": "经查已于2018年3月1日报修。现已修复。2019年4月29日",
            },
            {"id": "2", "title": "学校乱收费", "detail": "某学校收取补课费", "reply": "已责令退还。2019年1月8日"},
            {"id": "3", "title": "没有日期的答复", "detail": "某事", "reply": "已转有关部门处理。"},
        ],
    )
    _write(
        tmp_path / "messages_with_likes.csv",
        [
            {
                "id": "10",
                "title": "噪音扰民",
                "detail": "工地夜间施工",
                "time": "2019-02-28 11:25:05",
                "likes": "3",
                "dislikes": "0",
            },
            {
                "id": "11",
                "title": "公交线路",
                "detail": "希望增加公交线路",
                "time": "2019/03/02 08:00:00",
                "likes": "0",
                "dislikes": "0",
            },
        ],
    )
    return tmp_path


def _route(_body: str, _title: str) -> Routing:
    return Routing("城乡建设", "chengguanju", 0.9, ["路灯"], False)


async def test_history_is_loaded_as_it_was_and_only_once(store, data) -> None:  # type: ignore[no-untyped-def]
    result = await load_demo(store, _route, lambda t: list(t), data, 0, TZ)
    assert (result.references, result.concluded, result.archived, result.undated) == (3, 2, 2, 1)
    async with store.unit() as uow:
        cases = (await uow.session.scalars(select(Case).order_by(Case.id))).all()
        answered = [c for c in cases if c.status == "concluded"]
        assert sorted(c.concluded_on for c in answered) == [date(2019, 1, 8), date(2019, 4, 29)]
        assert all(c.opinion_text and c.accepted_on == c.concluded_on and c.due_on is None for c in answered)
        archived = [c for c in cases if c.status == "closed"]
        assert sorted(c.received_at.astimezone(TZ).date() for c in archived) == [date(2019, 2, 28), date(2019, 3, 2)]
        assert not [c for c in cases if c.status in {s.value for s in OPEN_STATUSES}]  # nothing overdue
        filed_at = await uow.session.scalar(
            select(CaseEvent.at).where(CaseEvent.kind == "filed", CaseEvent.case_id == archived[0].id)
        )
        assert filed_at.astimezone(TZ).date() in (date(2019, 2, 28), date(2019, 3, 2))
    again = await load_demo(store, _route, lambda t: list(t), data, 0, TZ)
    assert (again.references, again.concluded, again.archived, again.skipped) == (0, 0, 0, 4)
    async with store.unit() as uow:
        assert await uow.session.scalar(select(func.count(Case.id))) == 4


def test_the_reply_date_is_the_last_date_in_the_reply() -> None:
    assert reply_date("经查已于2018年3月1日报修。2019年4月29日") == date(2019, 4, 29)
    assert reply_date("已处理") is None


def test_missing_data_says_where_to_put_it(tmp_path: Path, data: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    expected = tmp_path / "nowhere" / "shared" / "dev"
    with pytest.raises(DemoDataMissing) as missing:
        locate(None, [expected])
    assert str(expected) in str(missing.value) and "--data-dir" in str(missing.value)
    assert locate(data, [expected]) == data
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    monkeypatch.setenv("XINFANG_DATA_DIR", str(tmp_path / "state"))
    assert main(["demo", "load", "--data-dir", str(tmp_path / "empty")]) == 2
    assert "--data-dir" in capsys.readouterr().err
