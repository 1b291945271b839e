from nlp.normalize import chinese_punctuation, has_meaning, normalize, truncate


def test_full_width_becomes_half_width() -> None:
    assert normalize("ＸＦ－２０２６１１２５－０００１") == "XF-20261125-0001"


def test_traditional_becomes_simplified() -> None:
    assert normalize("信訪事項多久辦結") == "信访事项多久办结"


def test_controls_dropped_and_spaces_folded() -> None:
    assert normalize(" 你好\u200b\x00  世界\n\n") == "你好 世界"


def test_truncate_says_when_it_cut() -> None:
    assert truncate("一二三", 5) == ("一二三", False)
    assert truncate("一二三四五六", 5) == ("一二三四五", True)


def test_meaning_needs_a_letter_digit_or_han() -> None:
    assert not has_meaning("😀😀!!！？")
    assert has_meaning("😀好")
    assert has_meaning("ok")


def test_chinese_punctuation_comes_back_for_what_staff_read() -> None:
    typed = "尊敬的领导：您好！路灯坏了，晚上很黑（快两个月了）；能修吗？"
    assert chinese_punctuation(normalize(typed)) == typed
    assert chinese_punctuation("10:30 到 http://a.example/x?y=1") == "10:30 到 http://a.example/x?y=1"
