"""Urgent matters: 30 urgent and 30 ordinary sentences (tests/nlp/data/urgent.txt)."""

from nlp.urgent import detect_urgency
from tests.auxil.paths import LOCAL_DATA


def _sets() -> tuple[list[str], list[str]]:
    urgent, ordinary, current = [], [], None
    for line in (LOCAL_DATA / "urgent.txt").read_text("utf-8").splitlines():
        if line.startswith("# 30 urgent"):
            current = urgent
        elif line.startswith("# 30 non-urgent"):
            current = ordinary
        elif line.strip() and current is not None:
            current.append(line.strip())
    return urgent, ordinary


def test_recall_is_complete_and_false_alarms_are_rare() -> None:
    urgent, ordinary = _sets()
    assert len(urgent) == 30 and len(ordinary) == 30
    missed = [s for s in urgent if not detect_urgency(s).urgent]
    false_alarms = [s for s in ordinary if detect_urgency(s).urgent]
    assert missed == []
    assert len(false_alarms) <= 3, false_alarms


def test_kinds() -> None:
    assert detect_urgency("我不想活了").kinds == ("self_harm",)
    assert "violence" in detect_urgency("逼急了我就跟他同归于尽").kinds
    assert detect_urgency("全村两百多人约好了下周一起去省政府上访").kinds == ("gathering",)


def test_harm_in_other_words_and_everyday_hyperbole() -> None:
    import json

    rows = [json.loads(line) for line in (LOCAL_DATA / "harm_voices.jsonl").read_text("utf-8").splitlines() if line]
    missed = [r["text"] for r in rows if r["harm"] and not detect_urgency(r["text"]).urgent]
    false_alarms = [r["text"] for r in rows if not r["harm"] and detect_urgency(r["text"]).urgent]
    assert missed == []
    assert len(false_alarms) <= 2, false_alarms


def test_each_kind_of_danger_is_named() -> None:
    assert detect_urgency("我老婆喝多了就拿皮带抽我，昨天把我胳膊打骨折了").kinds[0] == "violence"
    assert "missing_child" in detect_urgency("孙子中午出去玩，到现在天黑了都没回来").kinds
    assert "danger" in detect_urgency("楼道里一股燃气味，好像哪家漏气了").kinds
    assert "threat" in detect_urgency("放贷的人放话说再不还钱就砍死我").kinds
    assert detect_urgency("这个月加班累死了，噪音也吵死人").urgent is False


def test_history_is_not_danger_now_but_self_harm_always_counts() -> None:
    assert detect_urgency("前年在集市上被人打过一次，后来调解了，想问问赔偿的事").urgent is False
    assert detect_urgency("他前年就打过我，今天早上又拿皮带抽我").kinds == ("violence",)
    assert detect_urgency("以前我想过自杀，现在还是经常这么想").kinds == ("self_harm",)


def test_danger_said_indirectly() -> None:
    """Self-harm hinted, a threat made conditional, someone confined or hunted: all danger now."""
    assert detect_urgency("这世上也没啥可留恋的了，跟大家说声谢谢").kinds == ("self_harm",)
    assert detect_urgency("农药我都备好了，就放在床底下").kinds == ("self_harm",)
    assert detect_urgency("有时候站在阳台上，觉得一步跨出去就解脱了").kinds == ("self_harm",)
    assert "threat" in detect_urgency("工头放话说我敢去仲裁，就让我横着出工地").kinds
    assert "threat" in detect_urgency("他们说要是再上访就废了我").kinds
    assert "violence" in detect_urgency("孩子被他后妈锁在杂物间，两天不给饭吃").kinds
    assert "violence" in detect_urgency("我老公抄起锄头满院子追我，我躲在邻居家").kinds
    assert "violence" in detect_urgency("村干部把我爸绑在树上，不签字不放人").kinds


def test_look_alikes_and_worries_are_not_alarms() -> None:
    for text in (
        "要是举报了村支书，会不会被打击报复",
        "投诉物业以后会不会被他们找人收拾",
        "听别人说学校老师体罚学生，打手心这种现在还允许吗",
        "那条山路弯多坡陡，车一晃人都站不稳，早晚出事",
        "新闻里说有人爬塔吊要跳楼讨薪，那是真的吗",
        "急死了，低保材料交了一个月还没消息",
    ):
        assert detect_urgency(text).urgent is False, (text, detect_urgency(text))


def test_farewells_and_danger_told_as_a_scene() -> None:
    """Putting affairs in order, an overdose told calmly, an old person alone and silent, a fall
    with no movement since: danger now, though no alarm word is said."""
    for text in (
        "银行卡的密码我写给女儿了，以后不再麻烦你们",
        "刚吃了一整瓶安眠药，有点困",
        "外婆一个人在家，从早上到现在打了十几个电话都没人接",
        "脚手架上的工友掉下来了，到现在没动",
        "厨房里嘶嘶地响，一股臭鸡蛋味",
        "他们放话说我再去告，就让我全家不得安生",
        "前男友天天在小区门口堵我，说见我一次打一次",
        "他把我塞进面包车里，说要带我去没人的地方",
    ):
        assert detect_urgency(text).urgent, text


def test_scenes_that_only_look_like_danger() -> None:
    for text in (
        "公司组织消防演练，我演被困在楼里的人",
        "电视剧里女主角跳楼那段看得我直哭",
        "村口水塘边没有护栏，小孩很容易掉下去，建议装个栏杆",
        "工地上吊车整天从屋顶上转，希望规范一下",
        "这个急弯没有凸面镜，这样下去早晚出人命",
    ):
        assert not detect_urgency(text).urgent, (text, detect_urgency(text))
