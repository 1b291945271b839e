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


# ── specific needs, read as combinations of meaning ─────────────────────────


@pytest.mark.parametrize(
    ("text", "which"),
    [
        ("对处理意见不服", "review"),
        ("街道给我的答复我接受不了，想让上面重新查一下", "review"),
        ("那个处理结果太不公道了", "review"),
        ("我要申请复查", "review"),
        ("复查意见下来了我还是不服", "recheck"),
        ("对复查意见不服", "recheck"),
        ("上一级复查了也没给我解决，我想不通", "recheck"),
        ("想申请复核该咋弄", "recheck"),
    ],
)
def test_requests_for_review_and_recheck(engine, text: str, which: str) -> None:  # type: ignore[no-untyped-def]
    guess = engine.intent(text)
    assert (guess.intent, guess.which) == (Intent.REVIEW, which)
    assert guess.intent.public == "ask"  # not a new complaint


@pytest.mark.parametrize(
    "text",
    [
        "法院判决我不服，怎么办",  # a judgment: appeal or retrial, not 复查
        "对城管的罚款决定不服",  # a penalty: administrative review or litigation
        "公司给的答复我不满意，工资还是不发",  # a private party's answer
        "复查要多久",  # a question about 复查, not a request
        "复核都做完了，我还能接着上访吗",  # after 复核 there is nothing left to request
    ],
)
def test_not_every_discontent_is_a_review_request(engine, text: str) -> None:  # type: ignore[no-untyped-def]
    assert engine.intent(text).intent is not Intent.REVIEW


@pytest.mark.parametrize(
    ("text", "which"),
    [("信访办不受理我该去哪", "bureau"), ("我去信访局，人家不给登记", "bureau"), ("他们不收我的材料也不登记", None)],
)
def test_not_accepted(engine, text: str, which: str | None) -> None:  # type: ignore[no-untyped-def]
    guess = engine.intent(text)
    assert (guess.intent, guess.which) == (Intent.NOT_ACCEPTED, which)
    assert guess.need == ("not_registered" if which else "not_accepted")


@pytest.mark.parametrize(
    "text", ["派出所不给立案怎么办", "部门多少天内要告诉我受不受理", "到底受理不受理，会写信告诉我吗"]
)
def test_refusals_that_are_not_ours_and_questions_that_are_not_refusals(engine, text: str) -> None:  # type: ignore[no-untyped-def]
    assert engine.intent(text).intent is not Intent.NOT_ACCEPTED


@pytest.mark.parametrize("text", ["我想找领导当面说", "能不能约县长见一面", "书记哪天接访", "俺想跟镇长面对面谈谈"])
def test_wanting_to_see_a_leader(engine, text: str) -> None:  # type: ignore[no-untyped-def]
    assert engine.intent(text).intent is Intent.LEADER


@pytest.mark.parametrize("text", ["领导接待了我但是一直没解决", "我要举报镇长，他收了开发商的钱"])
def test_a_leader_mentioned_is_not_a_wish_to_meet_one(engine, text: str) -> None:  # type: ignore[no-untyped-def]
    assert engine.intent(text).intent is not Intent.LEADER


@pytest.mark.parametrize(
    "text",
    ["会不会被他晓得是我举报的", "举报人的信息会保密吗", "我检举了村长，怕他查出是我", "揭发材料会不会转给被举报的人"],
)
def test_a_whistleblowers_worry(engine, text: str) -> None:  # type: ignore[no-untyped-def]
    assert engine.intent(text).intent is Intent.CONFIDENTIAL


@pytest.mark.parametrize(
    "text", ["我反映的事情办得怎么样了", "有消息没", "俺那个事咋样了", "上个月交的材料有回音没", "进度"]
)
def test_status_in_any_wording(engine, text: str) -> None:  # type: ignore[no-untyped-def]
    assert engine.intent(text).intent is Intent.STATUS


@pytest.mark.parametrize("text", ["我的事交上去三个月了还没个说法，正常吗", "信访事项的办理进度多久要告知"])
def test_a_question_about_the_rules_on_time_is_not_a_status_check(engine, text: str) -> None:  # type: ignore[no-untyped-def]
    assert engine.intent(text).intent is not Intent.STATUS


def test_the_broad_intents_keep_their_public_names() -> None:
    assert [i.public for i in (Intent.ASK, Intent.COMPLAIN, Intent.STATUS, Intent.OTHER)] == [
        "ask",
        "complain",
        "status",
        "other",
    ]
    assert {i.public for i in Intent} == {"ask", "complain", "status", "other"}
