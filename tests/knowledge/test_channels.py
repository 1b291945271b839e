import pytest

from knowledge import KnowledgeError, load_knowledge
from knowledge.channels import CHANNEL_IDS, load_channels
from knowledge.laws import load_laws


@pytest.fixture(scope="module")
def channels():  # type: ignore[no-untyped-def]
    return load_knowledge().channels


def test_every_channel_of_the_design_is_described(channels) -> None:  # type: ignore[no-untyped-def]
    assert set(channels) == set(CHANNEL_IDS)
    for channel in channels.values():
        assert channel.who and channel.where and channel.bring and channel.cost and channel.limit.text


@pytest.mark.parametrize(
    ("channel", "law", "article"),
    [
        ("admin_remedy", "行政复议法", 20),
        ("labor_arbitration", "劳动争议调解仲裁法", 27),
        ("rural_land_arbitration", "农村土地承包经营纠纷调解仲裁法", 18),
        ("civil_litigation", "民法典", 188),
        ("commercial_arbitration", "民法典", 198),
        ("court_procedure", "民事诉讼法", 171),
        ("state_compensation", "国家赔偿法", 39),
        ("petition", "信访工作条例", 35),
    ],
)
def test_time_limits_rest_on_the_statute(channels, channel, law, article) -> None:  # type: ignore[no-untyped-def]
    limit = channels[channel].limit
    assert (limit.basis.citation.law, limit.basis.citation.article) == (law, article)


@pytest.mark.parametrize(
    ("channel", "labels"),
    [
        ("discipline_report", ["《信访工作条例》第二十二条第二款", "《信访工作条例》第三十条"]),
        ("labor_arbitration", ["《信访工作条例》第三十一条第二项"]),
        ("admin_remedy", ["《信访工作条例》第二十八条第二款", "《信访工作条例》第三十一条第一项、第四项"]),
        ("petition", ["《信访工作条例》第三十一条第六项", "《信访工作条例》第三十四条"]),
    ],
)
def test_each_door_names_its_own_basis(channels, channel, labels) -> None:  # type: ignore[no-untyped-def]
    assert [b.label for b in channels[channel].door_basis] == labels


def test_no_stale_article_of_the_revised_arbitration_law(channels) -> None:  # type: ignore[no-untyped-def]
    # 仲裁法 was revised in 2025 (in force 2026-03-01) and renumbered; the shipped 2017 text's
    # numbers are stale, so the rule is cited by principle or by 民事诉讼法第一百二十七条第二项
    knowledge = load_knowledge()
    cited = [b.citation.law for c in channels.values() for b in (c.limit.basis, *c.basis, *c.door_basis)]
    cited += [r.basis.citation.law for r in knowledge.remedies.rules]
    cited += [c.law for e in knowledge.faq for c in e.citations]
    assert "仲裁法" not in cited
    commercial = {(b.citation.law, b.citation.article) for b in channels["commercial_arbitration"].basis}
    assert ("民事诉讼法", 127) in commercial


def test_procuratorial_supervision_comes_after_retrial(channels) -> None:  # type: ignore[no-untyped-def]
    court = channels["court_procedure"]
    assert "驳回再审申请" in court.who and ("民事诉讼法", 220) in {
        (b.citation.law, b.citation.article) for b in court.basis
    }


def test_rural_land_arbitration_is_a_choice(channels) -> None:  # type: ignore[no-untyped-def]
    rural = channels["rural_land_arbitration"]
    assert "直接向人民法院起诉" in rural.optional and "第四条" in rural.optional


def test_the_petition_card_says_what_article_34_covers(channels) -> None:  # type: ignore[no-untyped-def]
    petition = channels["petition"]
    assert "申诉求决类" in petition.plain and "30 日" in petition.plain


def test_further_provisions_are_cited(channels) -> None:  # type: ignore[no-untyped-def]
    admin = {(b.citation.law, b.citation.article) for b in channels["admin_remedy"].basis}
    assert {("行政诉讼法", 46), ("行政诉讼法", 45), ("行政复议法", 23)} <= admin
    assert "仲裁协议" in channels["commercial_arbitration"].plain
    discipline = channels["discipline_report"]
    assert "12388" in discipline.where


def test_a_misquoted_basis_is_refused_with_its_line() -> None:
    from knowledge.datafile import read_text

    _, text = read_text("channels.toml")
    broken = text.replace("劳动争议申请仲裁的时效期间为一年", "劳动争议申请仲裁的时效期间为两年")
    with pytest.raises(KnowledgeError) as err:
        load_channels(load_laws(), broken)
    assert err.value.line and "原文" in err.value.message
