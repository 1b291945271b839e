from nlp.dedup import bands, hamming, jaccard, simhash
from nlp.extract import extract_fields, normalise_phone, valid_name


def test_simhash_is_stable_and_signed_64_bit() -> None:
    a = simhash(["小区", "路灯", "坏了"])
    assert a == simhash(["路灯", "小区", "坏了"])
    assert -(2**63) <= a < 2**63
    assert len(bands(a)) == 4 and all(0 <= b < 2**16 for b in bands(a))


def test_near_duplicates_are_close_and_unrelated_texts_far() -> None:
    words = [
        "小区",
        "门口",
        "路灯",
        "坏了",
        "三个",
        "月",
        "晚上",
        "出门",
        "危险",
        "希望",
        "尽快",
        "修好",
        "物业",
        "不管",
        "居民",
        "反映",
        "多次",
        "一直",
        "没有",
        "答复",
        "老人",
        "孩子",
        "摔倒",
        "受伤",
        "道路",
        "昏暗",
        "安全",
        "隐患",
        "严重",
        "影响",
        "生活",
        "请求",
        "相关",
        "部门",
        "重视",
        "处理",
        "维修",
        "更换",
        "灯泡",
        "线路",
        "检查",
        "电路",
        "巡查",
        "责任",
        "落实",
        "街道",
        "社区",
        "城管",
        "照明",
        "设施",
    ]
    a, b = simhash(words), simhash([*words, "业主"])
    unrelated = simhash(
        [
            "学校",
            "强制",
            "补课",
            "收费",
            "老师",
            "学生",
            "家长",
            "周末",
            "暑假",
            "培训",
            "机构",
            "违规",
            "办学",
            "教育局",
            "查处",
        ]
    )
    assert hamming(a, b) <= 10 < hamming(a, unrelated)
    assert bands(a) == bands(simhash(list(reversed(words))))  # the same words, the same bands


def test_jaccard() -> None:
    assert jaccard(["a", "b"], ["a", "b"]) == 1.0
    assert jaccard(["a"], ["b"]) == 0.0


def test_phone_validation() -> None:
    assert normalise_phone("138 1234 5678") == "13812345678"
    assert normalise_phone("+8613812345678") == "13812345678"
    assert normalise_phone("010-62345678") == "010-62345678"
    assert normalise_phone("0731 84567890") == "0731-84567890"
    for bad in ("12345", "23812345678", "1381234567", "abc", "010-123"):
        assert normalise_phone(bad) is None


def test_fields_are_taken_only_when_plainly_stated() -> None:
    found = extract_fields("我叫王芳，家住A市A3区建设路12号，电话13812345678。楼道灯坏了，希望物业尽快修好")
    assert (found.name, found.phone, found.address) == ("王芳", "13812345678", "A市A3区建设路12号")
    assert found.request and found.request.startswith("希望")
    assert extract_fields("我是业主，楼道灯坏了").name is None


def test_names() -> None:
    assert valid_name("张三") and valid_name("Li Lei")
    assert not valid_name("13812345678") and not valid_name("") and not valid_name("😀")
