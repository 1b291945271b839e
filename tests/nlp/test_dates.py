from datetime import date

import pytest

from nlp.dates import mentioned_date

TODAY = date(2026, 11, 25)


@pytest.mark.parametrize(
    ("text", "day", "approximate"),
    [
        ("3月5日收到处罚决定书", date(2026, 3, 5), False),
        ("今年三月五号收到的罚单", date(2026, 3, 5), False),
        ("十二月三号收到判决书", date(2025, 12, 3), False),  # no year, in the future: last year
        ("2026年10月8日送达", date(2026, 10, 8), False),
        ("昨天收到判决书", date(2026, 11, 24), False),
        ("上个月底收到的决定", date(2026, 10, 31), False),
        ("上周五被打了", date(2026, 11, 20), False),
        ("我是半个月前被辞退的", date(2026, 11, 9), True),
        ("去年12月法院判决的", date(2025, 12, 1), True),
        ("两个月前", date(2026, 9, 25), True),
    ],
)
def test_dates_citizens_say(text: str, day: date, approximate: bool) -> None:
    found = mentioned_date(text, TODAY)
    assert found is not None and found.day == day and found.approximate is approximate


def test_the_date_next_to_receiving_wins() -> None:
    found = mentioned_date("我2月1日被罚款，3月5日才收到处罚决定书", TODAY)
    assert found is not None and found.day == date(2026, 3, 5)


@pytest.mark.parametrize("text", ["没有日期", "电话13812345678", "XF-20261125-0001", "30号楼漏水", ""])
def test_no_date(text: str) -> None:
    assert mentioned_date(text, TODAY) is None


def test_any_text_is_safe() -> None:
    import random

    rng = random.Random(7)
    alphabet = "0123456789年月日号前天周上个底初去今两三十百千万半几.-/ 收到判决"
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        found = mentioned_date(text, TODAY)
        assert found is None or found.day <= TODAY
    assert mentioned_date("两千年前的事", TODAY) is None
