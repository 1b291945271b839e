import pytest

from nlp import Intent


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("信访事项多久办结？", Intent.ASK),
        ("能不能匿名", Intent.ASK),
        ("我要投诉", Intent.COMPLAIN),
        ("我们小区门口的路灯坏了三个月了没人修，晚上老人出门很危险，希望尽快处理", Intent.COMPLAIN),
        ("公司拖欠我三个月工资不发", Intent.COMPLAIN),
        ("查一下我的案件进度", Intent.STATUS),
        ("XF-20261125-0001", Intent.STATUS),
        ("你好", Intent.OTHER),
        ("你是谁？", Intent.OTHER),
        ("谢谢！", Intent.OTHER),
        ("😀😀😀", Intent.OTHER),
        ("", Intent.OTHER),
    ],
)
def test_intent(engine, text: str, intent: Intent) -> None:  # type: ignore[no-untyped-def]
    assert engine.intent(text).intent is intent


def test_ticket_is_extracted_and_normalised(engine) -> None:  # type: ignore[no-untyped-def]
    assert engine.intent("帮我查 xf-20261125-0007 办到哪了").ticket == "XF-20261125-0007"
