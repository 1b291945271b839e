"""Routing: the category of a letter, the department within it, and the words shown as the reason."""

import math
import re

import pytest

from knowledge import KnowledgeError
from knowledge.departments import RoutingModel, load_taxonomy
from nlp.evaluate import evaluate_routing, read_labelled_csv
from nlp.keyword_learning import render_routing_model
from nlp.normalize import normalize
from nlp.route import KeywordRouter
from tests.auxil.paths import LOCAL_DATA, dev_file

CASES = [
    ("开发商拖了一年才交房，房产证到现在也办不下来", "城乡建设", "zhujianju"),
    ("我们楼的电梯三天两头坏，关人好几次了没人修", "商贸旅游", "shichangjianguanju"),
    ("路边天天有人摆摊占道，城管来了就跑走了又回来", "城乡建设", "chengguanju"),
    ("村后面的化工厂半夜偷排废水，河里的鱼死了一片", "环境保护", "shengtaihuanjingju"),
    ("楼下饭馆的油烟直往我家窗户里灌", "环境保护", "shengtaihuanjingju"),
    ("出租车司机不打表，还故意绕远路", "交通运输", "jiaotongyunshuju"),
    ("学校放假还组织学生补课，每人收几百块", "教育文体", "jiaoyuju"),
    ("包工头欠我们农民工半年工资不给", "劳动和社会保障", "renshiju"),
    ("在外地住院回来，医保报销手续跑了好几趟都办不成", "劳动和社会保障", "yibaoju"),
    ("超市卖过期食品，找商家退款不给退", "商贸旅游", "shichangjianguanju"),
    ("报了个旅游团，导游把我们拉去购物店不买不让走", "商贸旅游", "wenlvju"),
    ("医院乱收检查费，医生态度也很差", "卫生计生", "weijianwei"),
]


@pytest.mark.parametrize(("text", "category", "department"), CASES)
def test_everyday_matters_reach_their_department(engine, text: str, category: str, department: str) -> None:  # type: ignore[no-untyped-def]
    decision = engine.route(text)
    assert decision.category == category, decision.scores
    assert decision.department_id == department
    assert decision.department.category == category
    assert decision.keywords and not decision.needs_triage


def test_an_uncollected_rubbish_station_goes_to_whoever_clears_rubbish(engine) -> None:  # type: ignore[no-untyped-def]
    decision = engine.route("垃圾站一个多月没人清运")
    assert not decision.needs_triage
    assert decision.category in ("城乡建设", "环境保护")
    if decision.category == "城乡建设":
        assert decision.department_id == "chengguanju"  # departments.toml gives 垃圾清运 to 城管局
    assert {"垃圾站", "清运"} & set(decision.keywords)


def test_numbers_and_names_neither_decide_nor_explain(engine) -> None:  # type: ignore[no-untyped-def]
    matter = "小区门口的垃圾站一个多月没人清运，夏天臭得不行"
    one = engine.route(
        f"我叫王小明，电话139 1234 5678，身份证430105198001011234，卡号6222021001123456789，"
        f"住幸福路12号3栋501室。{matter}"
    )
    other = engine.route(
        f"我叫李大山，电话18800001111，身份证11010119900307663X，卡号6217000010002222333，"
        f"住幸福路88号1栋202室。{matter}"
    )
    assert one.scores == other.scores and one.keywords == other.keywords
    shown = "".join(one.keywords)
    assert not re.search(r"\d", shown)
    for private in ("王小明", "小明", "电话", "身份证", "12号"):
        assert private not in one.keywords
    assert "王" not in shown


def test_the_reasons_are_words_the_citizen_wrote(engine) -> None:  # type: ignore[no-untyped-def]
    for text, _, _ in CASES:
        decision = engine.route(text)
        for word in decision.keywords:
            assert re.fullmatch(r"[\u4e00-\u9fff]{2,}", word), word
            assert word in normalize(text), word
            assert engine.segmenter.frequency(word), word


def test_reasons_on_real_letters_are_real_words(engine) -> None:  # type: ignore[no-untyped-def]
    rows = read_labelled_csv(dev_file("routing_dev.csv"))[::40]
    for row in rows:
        decision = engine.route(row["text"])
        assert decision.keywords, row["text"][:40]
        for word in decision.keywords:
            assert re.fullmatch(r"[\u4e00-\u9fff]{2,}", word) and engine.segmenter.frequency(word), word


@pytest.mark.parametrize("text", ["你好", "在吗", "请帮帮我们", "关于一些问题的反映，希望有关部门重视"])
def test_a_message_that_names_no_matter_waits_for_a_person(engine, text: str) -> None:  # type: ignore[no-untyped-def]
    decision = engine.route(text)
    assert decision.needs_triage and decision.keywords == ()


@pytest.mark.parametrize("text", ["😀😀", "13912345678", "x" * 50, ""])
def test_nothing_to_read_waits_for_a_person(engine, text: str) -> None:  # type: ignore[no-untyped-def]
    decision = engine.route(text)
    assert decision.needs_triage and decision.confidence == 0.0 and decision.keywords == ()


def test_police_and_discipline_bodies_are_never_picked_by_the_router(engine) -> None:  # type: ignore[no-untyped-def]
    decision = engine.route("村支书贪污扶贫款，还打了去问的村民")
    assert decision.category not in ("纪检监察", "公安")


def test_the_title_names_the_matter(engine) -> None:  # type: ignore[no-untyped-def]
    assert engine.route("学校周末强制补课收费\n另外小区门口的路灯也坏了").category == "教育文体"
    assert engine.route("小区门口的路灯坏了\n另外学校周末强制补课收费").category == "城乡建设"


def _tiny_model(**changes: object) -> RoutingModel:
    model = RoutingModel(
        categories=("城乡建设", "环境保护"),
        bias=(0.1, -0.1),
        blocks={
            "words": {"垃圾站": (2.0, (3.0, 1.0)), "臭": (1.5, (-1.0, 2.0))},
            "pieces": {"垃": (1.2, (0.5, 0.5)), "臭": (1.1, (-0.2, 1.5)), "垃圾": (1.8, (1.0, 0.0))},
            "title": {},
        },
        block_weights={"words": 1.0, "pieces": 0.5, "title": 0.5},
        title_repeat=2,
        temperature=1.5,
        triage_below=0.4,
        source="hand-made",
        examples=2,
    )
    return RoutingModel(**{**{f: getattr(model, f) for f in model.__slots__}, **changes})  # type: ignore[arg-type]


def test_the_shipped_table_is_applied_exactly_as_its_header_says(engine) -> None:  # type: ignore[no-untyped-def]
    text = render_routing_model(_tiny_model())
    router = KeywordRouter(load_taxonomy(model_text=text), engine.segmenter)
    decision = router.route("垃圾站很臭")  # no newline: all of it is the title, counted twice
    # words: 垃圾站 ×2, 臭 ×2; pieces present in the table: 垃 ×2, 垃圾 ×2, 臭 ×2
    tf = 1 + math.log(2)
    words = {"垃圾站": tf * 2.0, "臭": tf * 1.5}
    parts = {"垃": tf * 1.2, "垃圾": tf * 1.8, "臭": tf * 1.1}
    wn = math.sqrt(sum(v * v for v in words.values()))
    pn = math.sqrt(sum(v * v for v in parts.values())) / 0.5
    expected = [
        0.1 + (words["垃圾站"] * 3.0 - words["臭"]) / wn + (parts["垃"] * 0.5 + parts["垃圾"] - parts["臭"] * 0.2) / pn,
        -0.1 + (words["垃圾站"] + words["臭"] * 2.0) / wn + (parts["垃"] * 0.5 + parts["臭"] * 1.5) / pn,
    ]
    assert decision.scores == pytest.approx(dict(zip(("城乡建设", "环境保护"), expected, strict=True)), abs=1e-3)
    best = max(expected)
    assert decision.confidence == pytest.approx(1 / sum(math.exp((s - best) / 1.5) for s in expected), abs=1e-3)
    assert decision.category == ("城乡建设", "环境保护")[expected.index(best)]
    assert decision.keywords[0] == "垃圾站"  # 「臭」 is one character: pushes, but is not shown as a word


def test_a_malformed_table_stops_start_up_with_its_line() -> None:
    good = render_routing_model(_tiny_model())
    broken = good.replace('"臭" = [1.5, -1, 2]', '"臭" = [1.5, -1]')
    assert broken != good
    with pytest.raises(KnowledgeError) as error:
        load_taxonomy(model_text=broken)
    assert error.value.line == broken.splitlines().index('"臭" = [1.5, -1]') + 1
    with pytest.raises(KnowledgeError, match="纪检监察"):
        load_taxonomy(model_text=render_routing_model(_tiny_model(categories=("城乡建设", "纪检监察"))))


def test_learning_gives_a_table_that_routes_unseen_letters(engine) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("sklearn", reason="learning needs the bench extra (scikit-learn)")
    from nlp.keyword_learning import LearningSettings, learn_routing_model

    rows = read_labelled_csv(dev_file("routing_dev.csv"))
    train, test = rows[::4], rows[1::12]  # the file is grouped by category: take every n-th
    settings = LearningSettings(keep=3000, calibration_folds=3)
    model = learn_routing_model([r["text"] for r in train], [r["label"] for r in train], engine.segmenter, settings)
    shipped = load_taxonomy(model_text=render_routing_model(model))  # what is applied is what was written
    router = KeywordRouter(shipped, engine.segmenter)
    report = evaluate_routing(router, test)
    assert report.guesses.accuracy >= 0.8
    assert report.triage_share <= 0.15
    for row in train[:50]:
        assert not re.search(r"\d", " ".join(router.route(row["text"]).keywords))


def test_eval_report_counts_triage_as_a_miss(engine) -> None:  # type: ignore[no-untyped-def]
    rows = [
        {"text": "楼下饭馆的油烟直往我家窗户里灌", "label": "环境保护"},
        {"text": "你好", "label": "城乡建设"},
    ]
    report = evaluate_routing(engine.router, rows)
    assert report.triaged == 1
    assert report.classes.accuracy == 0.5  # 你好 waits in 待分办: a miss even if the guess was right
    text = report.render()
    assert "macro-F1" in text and "待分办" in text and "混淆矩阵" in text


def test_an_everyday_word_is_read_as_the_word_letters_use(engine) -> None:  # type: ignore[no-untyped-def]
    """departments.toml [everyday]: 「太吵」 counts as 「噪音」, as often as it is said, title or body."""
    router = engine.router
    assert router.taxonomy.everyday["太吵"] == ("噪音",)
    plain, everyday = router.features("工地施工"), router.features("工地施工太吵")
    assert "噪音" not in plain.words
    assert everyday.words["噪音"] == router.model.title_repeat  # a one-line message is all title
    assert router.features("你好\n隔壁太吵，楼上也太吵").words["噪音"] == 2


def test_a_malformed_everyday_table_stops_start_up() -> None:
    from knowledge.datafile import load_toml
    from knowledge.departments import DEPARTMENTS_FILE

    good = load_toml(DEPARTMENTS_FILE).text
    for broken in ('"太吵" = ["噪音"]', '"太吵" = []'), ('"太吵" = ["噪音"]', '"太吵" = ["太吵"]'):
        text = good.replace(*broken)
        assert text != good
        with pytest.raises(KnowledgeError, match="太吵"):
            load_taxonomy(departments_text=text)


def test_one_line_messages_route_as_well_as_letters(engine) -> None:  # type: ignore[no-untyped-def]
    """tests/nlp/data/routing_short.csv: 60 one-line chat messages written for this test (「路灯坏了」
    「孩子上学的事」), labelled with the 7 categories. Before everyday words: 81.7 % (4 to 待分办)."""
    report = evaluate_routing(engine.router, read_labelled_csv(LOCAL_DATA / "routing_short.csv"))
    assert report.classes.accuracy >= 0.85
    assert report.triage_share <= 0.07


def test_the_reason_is_the_everyday_word_said_not_the_word_read_for_it(engine) -> None:  # type: ignore[no-untyped-def]
    decision = engine.route("烧秸秆的烟太呛")  # read as 焚烧、污染 (departments.toml [everyday])
    assert decision.category == "环境保护" and "秸秆" in decision.keywords
    assert not {"焚烧", "污染"} & set(decision.keywords)
