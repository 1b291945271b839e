"""Button payloads: one definition per kind, for the layer that writes them and the one that reads them."""

from __future__ import annotations

import pytest

from knowledge import payloads


def test_the_wire_format_stays_what_citizens_chats_already_hold() -> None:
    assert payloads.SATISFACTION.build("XF-20261125-0001", "基本满意") == "sat:XF-20261125-0001:基本满意"
    assert payloads.REVIEW.build("XF-20261125-0001") == "rev:XF-20261125-0001"
    assert payloads.QUIZ.build(12, 0) == "quiz:12:0"
    assert payloads.SUBSCRIPTION.build("off") == "sub:off"
    assert payloads.SUBSCRIPTION.build("t", "quiz") == "sub:t:quiz"
    assert payloads.INTAKE.build("skip", "reason") == "intake:skip:reason"


def test_parse_is_the_inverse_of_build_and_forgives_missing_fields() -> None:
    data = payloads.SATISFACTION.build("XF-20261125-0001", "不满意")
    prefix, rest = payloads.split(data)
    assert prefix == "sat" and payloads.SATISFACTION.parse(rest) == ("XF-20261125-0001", "不满意")
    assert payloads.SATISFACTION.parse("XF-20261125-0001") == ("XF-20261125-0001", "")
    assert payloads.QUIZ.parse("") == ("", "")
    assert payloads.INTAKE.matches("intake:start") and not payloads.INTAKE.matches("intakes:start")


def test_what_cannot_be_a_payload_is_refused_when_built() -> None:
    with pytest.raises(payloads.PayloadError):
        payloads.QUIZ.build("1:2", 0)  # a separator inside a field
    with pytest.raises(payloads.PayloadError):
        payloads.REVIEW.build("X" * 80)  # Telegram's 64-byte limit
    with pytest.raises(payloads.PayloadError):
        payloads.REVIEW.build("a", "b")


def test_the_satisfaction_prompt_offers_three_ratings_then_review() -> None:
    rows = payloads.satisfaction_buttons("XF-20261125-0001")
    assert [b["label"] for b in rows[0]] == list(payloads.RATINGS)
    assert rows[1] == [{"label": "申请复查", "data": "review:pick:XF-20261125-0001"}]
