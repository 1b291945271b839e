import logging

import jieba

from nlp.segment import Segmenter


def test_domain_lexicon_stays_whole(engine) -> None:  # type: ignore[no-untyped-def]
    words = engine.segmenter.words("我去反映问题以后被穿小鞋，想申请复查，受理编号在住建局")
    for term in ("穿小鞋", "复查", "受理编号", "住建局"):
        assert term in words


def test_stopwords_and_punctuation_are_dropped(engine) -> None:  # type: ignore[no-untyped-def]
    words = engine.segmenter.words("请问，信访事项多久办结吗？")
    assert words == ["信访事项", "多久", "办结"]


def test_private_tokenizer_leaves_jieba_globals_alone(tmp_path) -> None:  # type: ignore[no-untyped-def]
    seg = Segmenter(["甲乙丙丁词"], [], tmp_path)
    seg.initialise()
    assert "甲乙丙丁词" in seg.words("这是甲乙丙丁词")
    assert jieba.dt is not seg._tokenizer
    assert "甲乙丙丁词" not in jieba.dt.FREQ


def test_cache_lives_in_the_given_directory(tmp_path) -> None:  # type: ignore[no-untyped-def]
    Segmenter([], [], tmp_path / "cache").initialise()
    assert any(p.name.endswith(".cache") for p in (tmp_path / "cache").iterdir())


def test_jieba_is_quiet(engine) -> None:  # type: ignore[no-untyped-def]
    assert logging.getLogger("jieba").getEffectiveLevel() >= logging.WARNING


def test_information_ranks_rare_words_above_common_ones(engine) -> None:  # type: ignore[no-untyped-def]
    seg = engine.segmenter
    assert seg.information("复查") > seg.information("想")
    assert seg.information("穿小鞋") > seg.information("事")
