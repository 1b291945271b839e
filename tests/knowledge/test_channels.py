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
    ("channel", "law", "article", "unit"),
    [
        ("admin_remedy", "行政复议法", 20, ("days", 60)),
        ("labor_arbitration", "劳动争议调解仲裁法", 27, ("years", 1)),
        ("rural_land_arbitration", "农村土地承包经营纠纷调解仲裁法", 18, ("years", 2)),
        ("civil_litigation", "民法典", 188, ("years", 3)),
        ("court_procedure", "民事诉讼法", 171, ("days", 15)),
    ],
)
def test_time_limits_rest_on_the_statute(channels, channel, law, article, unit) -> None:  # type: ignore[no-untyped-def]
    limit = channels[channel].limit
    assert (limit.basis.citation.law, limit.basis.citation.article) == (law, article)
    assert getattr(limit, unit[0]) == unit[1]


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
