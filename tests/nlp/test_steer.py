"""诉访分离 steering by composed meaning: the dev bar, accounts in many voices, and the rules that matter."""

import pytest

from nlp.evaluate import evaluate_steering, read_jsonl
from tests.auxil.paths import LOCAL_DATA, dev_file


def test_dev_set_bar(engine) -> None:  # type: ignore[no-untyped-def]
    report = evaluate_steering(engine.steerer, read_jsonl(dev_file("steer_dev.jsonl"), ("text", "channels")))
    assert report.accuracy >= 0.95, report.render()
    assert report.steered_away_rate <= 0.02, report.render()


@pytest.mark.parametrize("name", ["steer_colloquial.jsonl", "steer_voices.jsonl"])
def test_accounts_in_many_voices(engine, name: str) -> None:  # type: ignore[no-untyped-def]
    report = evaluate_steering(engine.steerer, read_jsonl(LOCAL_DATA / name, ("text", "channels")))
    assert report.accuracy >= 0.9, report.render()
    assert report.steered_away == 0, report.render()


@pytest.mark.parametrize(
    ("text", "channel"),
    [
        ("被辞退不给补偿", "labor_arbitration"),
        ("罚单不服", "admin_remedy"),
        ("判了不执行", "court_procedure"),
        ("被骗了好几万", "criminal_report"),
        ("村支书贪污", "discipline_report"),
        ("邻居借钱不还", "civil_litigation"),
        ("合同写了仲裁条款，对方不付款", "commercial_arbitration"),
        ("村里把我的承包地收回去了", "rural_land_arbitration"),
        ("被错误羁押了半年，后来不起诉放了，我要求赔偿", "state_compensation"),
        ("路灯坏了", "petition"),
        ("楼下噪音太大", "petition"),
        ("垃圾好几天没人收", "petition"),
    ],
)
def test_each_door_in_the_citizens_words(engine, text: str, channel: str) -> None:  # type: ignore[no-untyped-def]
    assert engine.steer(text).channel == channel


@pytest.mark.parametrize(
    ("text", "channel"),
    [
        ("干了半年，上周经理把我开了，说是业务调整", "labor_arbitration"),
        ("在厂里干到年底还没拿到钱，找厂长就说再等等", "labor_arbitration"),
        ("镇上管低保的干部收了好处费才给人办", "discipline_report"),
        ("村主任家里办酒席，全村干部都去送礼金，他照单全收", "discipline_report"),
        ("有个副科长挂在单位吃空饷，三年没来上过班", "discipline_report"),
        ("医院的主任做手术前收红包，不给就往后排", "discipline_report"),
        ("晚上回家路上被两个人拦住，把我牙都打断了", "criminal_report"),
        ("对方把我车撞坏了，修车花了八千，就是不肯赔", "civil_litigation"),
        ("判决书写错了我的身份证号，执行的时候卡住了", "court_procedure"),
        ("去法院递交起诉材料，法院就是不给立案", "court_procedure"),
        ("执法大队扣了我的货车还罚了三千，我想讨说法", "admin_remedy"),
    ],
)
def test_everyday_equivalents_of_the_cue_words(engine, text: str, channel: str) -> None:  # type: ignore[no-untyped-def]
    assert engine.steer(text).channel == channel


def test_a_longer_word_owns_its_characters(engine) -> None:  # type: ignore[no-untyped-def]
    # 「赔偿金额」 is a sum of money, not the labour term 「赔偿金」 inside it
    verdict = engine.steer("想了解一下交通事故的赔偿金额一般怎么算")
    assert verdict.channel != "labor_arbitration"
    assert "what.labour" not in verdict.meaning.keys


def test_negation_keeps_a_petition_a_petition(engine) -> None:  # type: ignore[no-untyped-def]
    assert engine.steer("我不是要打官司，只是想反映小区门口乱停车").channel == "petition"
    assert engine.steer("我们没有签什么仲裁协议，只想反映物业服务差").channel == "petition"
    assert engine.steer("公司没有拖欠工资，就是班车取消了不方便").channel == "petition"
    assert engine.steer("我没有被人打，就是想问问路什么时候修").channel == "petition"


def test_a_question_is_not_a_negation(engine) -> None:  # type: ignore[no-untyped-def]
    assert engine.steer("老板欠我工资，能不能申请劳动仲裁？").channel == "labor_arbitration"
    verdict = engine.steer("对方借了钱一直不还，我能不能告他")
    assert verdict.channel == "civil_litigation"


def test_someone_elses_words_in_quotes_are_not_the_citizens_wish(engine) -> None:  # type: ignore[no-untyped-def]
    quoted = engine.steer("物业经理说“有本事你去法院起诉”，我只是想请街道管管电梯老坏的事")
    assert quoted.channel == "petition" and not quoted.ask


def test_unpaid_wages_are_both_arbitration_and_a_petition(engine) -> None:  # type: ignore[no-untyped-def]
    verdict = engine.steer("公司拖欠我三个月工资不发")
    assert verdict.channel == "labor_arbitration"
    assert "petition" in verdict.also
    reason = verdict.cues[0]
    assert "工资" in reason.matched and "拖欠" in reason.matched and reason.label


def test_a_mixed_matter_lists_every_door_the_law_first_first(engine) -> None:  # type: ignore[no-untyped-def]
    verdict = engine.steer("包工头欠了我两个月工钱，我去要的时候他还叫人把我打了一顿")
    assert verdict.channel == "criminal_report"  # violence is reported first
    assert "labor_arbitration" in verdict.also


def test_land_requisition_is_not_a_land_contract_dispute(engine) -> None:  # type: ignore[no-untyped-def]
    assert engine.steer("我家的承包地被征用了，征地补偿款只发了一半").channel != "rural_land_arbitration"


def test_partial_evidence_asks_instead_of_guessing(engine) -> None:  # type: ignore[no-untyped-def]
    verdict = engine.steer("我想告他")
    assert verdict.channel == "petition" and verdict.unsure
    assert "civil_litigation" in verdict.ask


def test_a_long_letter_is_about_its_title_not_a_word_in_passing(engine) -> None:  # type: ignore[no-untyped-def]
    letter = (
        "关于我们小区南门道路破损积水的问题\n"
        "我们小区南门这条路坑坑洼洼已经两年多了，一下雨就积水，老人孩子出门很不方便。"
        "物业说这条路不归他们管，社区说要等街道的规划。"
        "前几天晚上还有个骑电动车的人在积水里摔倒了，幸好没出大事。"
        "邻居们说以前有人在这里被骗过钱，现在也没人敢晚上走。"
        "希望有关部门尽快派人修一修，把路面和下水道一起整治好。"
    )
    assert engine.steer(letter).channel == "petition"


def test_when_unsure_it_stays_a_petition(engine) -> None:  # type: ignore[no-untyped-def]
    for text in ("我有个问题想反映一下", "法院旁边的路灯坏了", "😀", ""):
        assert engine.steer(text).channel == "petition"


@pytest.mark.parametrize(
    ("text", "channel"),
    [
        # a body's act on the citizen, told without 「不服」: the account itself contests it
        ("我的出租车营运证被运管收了，说我拒载，乘客自己下的车", "admin_remedy"),
        ("卫健委吊了我诊所的执照，说我超范围行医", "admin_remedy"),
        ("民政局把我家低保停了，说我儿子有车，那车是他单位的", "admin_remedy"),
        ("区住建局不给我们那栋楼办产权登记，说我们规划不符", "admin_remedy"),
        # bosses, places of work and body parts hurt at work
        ("厂里机器把我两个手指头轧掉了，老板只给了五千块就不管了", "labor_arbitration"),
        ("在超市当了三年收银员，一直没签合同，现在说关店让我们走人", "labor_arbitration"),
        # family, kin and neighbours
        ("我妈走了以后，她存折里的钱被我大姐全取走了，我们几个都没份", "civil_litigation"),
        ("邻居家的树根把我家院墙顶裂了，跟他说了好几回他就是不砍", "civil_litigation"),
        ("在美容院做了个双眼皮，一边大一边小，店里说恢复期就这样", "civil_litigation"),
        # crimes in everyday words
        ("家里的三头牛半夜被人牵走了", "criminal_report"),
        ("我老婆被她前夫堵在楼道里扇耳光，脸都肿了", "criminal_report"),
        ("男朋友在网上认识的，说带我炒黄金，我投了二十万现在平台打不开了", "criminal_report"),
        # officials' favours, told without the words 贪污/受贿
        ("镇里管危房改造的干部，谁给他送两条烟就先批谁", "discipline_report"),
        ("村会计把土地补偿款先存到他自己名下，利息都进了他口袋", "discipline_report"),
        ("社区书记的儿媳妇家有两套房还评上了廉租房", "discipline_report"),
        # courts and wrongful custody
        ("法院把我的工资卡冻了，可我根本不知道有这个案子", "court_procedure"),
        ("我被当成小偷关了二十天，后来抓到了真贼才把我放了", "state_compensation"),
        # the citizen's own contracted land given to an official's relative is a land dispute first
        ("组长把我家的二亩责任田调给了他连襟，我一直在种的", "rural_land_arbitration"),
        ("镇政府贴了告示说我家猪圈是违章建筑，十天内自己拆", "admin_remedy"),
        ("俺在砖厂干了一冬，过年回家老板说钱年后给，到现在电话都不接", "labor_arbitration"),
        ("我被公安刑拘了三十七天，最后检察院不批捕放了，工作也丢了", "state_compensation"),
    ],
)
def test_classes_of_actors_and_acts_in_everyday_words(engine, text: str, channel: str) -> None:  # type: ignore[no-untyped-def]
    assert engine.steer(text).channel == channel


def test_an_a_not_a_question_states_no_refusal(engine) -> None:  # type: ignore[no-untyped-def]
    verdict = engine.steer("公租房排队的名单能不能公开一下，让大家心里有数")
    assert verdict.channel == "petition"
    assert "what.refusal" not in verdict.meaning.keys


def test_a_negation_inside_a_gapped_phrase_cancels_it(engine) -> None:  # type: ignore[no-untyped-def]
    verdict = engine.steer("我没被罚款也没被扣车，就是觉得那个路口的摄像头位置不对")
    assert "what.decision" not in verdict.meaning.keys
    assert verdict.channel == "petition"


def test_an_accepted_fine_is_no_contest(engine) -> None:  # type: ignore[no-untyped-def]
    assert engine.steer("上个月被罚了两百，罚款我认了，就是建议把限速牌立得显眼些").channel == "petition"


def test_words_that_only_look_like_a_beating(engine) -> None:  # type: ignore[no-untyped-def]
    assert "what.violence" not in engine.steer("去办事，窗口的人一句话就把我打发走了").meaning.keys


def test_a_verdict_is_kept_for_the_same_message(engine) -> None:  # type: ignore[no-untyped-def]
    text = "老板拖欠了我两个月工资"
    assert engine.steer(text) is engine.steer(text)


def test_a_reading_computes_its_answer_and_department_once_when_asked(engine) -> None:  # type: ignore[no-untyped-def]
    grievance = engine.read("老板拖欠了我两个月工资，一分钱没给")
    assert grievance.retrieval is None  # a grievance is not answered from the 条例
    assert grievance.routing is grievance.routing and grievance.routing.category
    question = engine.read("信访事项的办理期限是多少天？")
    first = question.retrieval
    assert first is not None and first is question.retrieval
    assert [c.article for c in first.citations()] == [c.article for c in engine.ask(question.text).citations()]


@pytest.mark.parametrize(
    "text",
    [
        "小区后门晚上总有人偷自行车，派出所能不能加强巡逻",
        "那个路口上个月刚给我开了罚单，可根本看不到限速牌，建议补个标志",
        "希望县里出台政策，给山区学校的老师多一点补贴",
        "想问问欠薪投诉有没有专门的热线，打哪个电话",
    ],
)
def test_asking_an_office_to_act_is_a_petition(engine, text: str) -> None:  # type: ignore[no-untyped-def]
    """A theft or a fine told as the background of a request for a public service does not send
    the citizen away; the door would need the citizen to want its remedy."""
    verdict = engine.steer(text)
    assert verdict.channel == "petition", verdict.cues
    assert not verdict.ask, verdict.ask


@pytest.mark.parametrize(
    ("text", "channel"),
    [
        ("电动车被偷了，我要报案，也希望派出所加强巡逻", "criminal_report"),
        ("罚单开错了我不服，要申请行政复议，也建议路口补个标志", "admin_remedy"),
    ],
)
def test_asking_an_office_to_act_keeps_a_door_the_citizen_wants(engine, text: str, channel: str) -> None:  # type: ignore[no-untyped-def]
    assert engine.steer(text).channel == channel


@pytest.mark.parametrize(
    "text",
    [
        "要是我举报了村支书，会不会被打击报复",
        "实名反映局长的问题，你们会不会把我的名字告诉他",
        "举报人的身份信息会不会泄露",
        "我怕投诉以后被穿小鞋，有人保护吗",
    ],
)
def test_a_reporters_worry_is_a_question_not_a_report(engine, text: str) -> None:  # type: ignore[no-untyped-def]
    """条例第三十条: 「会不会被报复」「信息会泄露吗」 ask about protection; they report nobody."""
    reading = engine.read(text)
    assert reading.verdict.channel == "petition" and not reading.verdict.ask, reading.verdict.cues
    assert reading.intent.intent.value in ("ask", "confidential"), reading.intent
    assert not reading.urgency.urgent, reading.urgency


def test_retaliation_told_as_a_fact_is_still_reported(engine) -> None:  # type: ignore[no-untyped-def]
    assert engine.steer("我举报了村主任贪污扶贫款，他现在打击报复我，把我家的低保停了").channel == "discipline_report"


@pytest.mark.parametrize(
    ("text", "channel"),
    [
        ("村出纳把修桥的钱揣进自己口袋了", "discipline_report"),
        ("我在工地上干活摔断了胳膊，包工头不闻不问", "labor_arbitration"),
        ("厂里把我的工资卡押着，每月只给生活费", "labor_arbitration"),
        ("我承包的山林让外村人偷偷砍了", "rural_land_arbitration"),
        ("我弟跟我争爸妈留下的老屋", "civil_litigation"),
        ("派出所留置盘问了我一天一夜，最后说搞错人了，损失谁承担", "state_compensation"),
        ("我在商场租了个铺面，合同没到期商场就要收回，押金也不退", "civil_litigation"),
    ],
)
def test_doors_in_everyday_words(engine, text: str, channel: str) -> None:  # type: ignore[no-untyped-def]
    assert engine.steer(text).channel == channel, engine.steer(text).cues


@pytest.mark.parametrize(
    "text",
    [
        "村里修路占了我家两分菜地，说好的补偿到现在没给，请镇上帮忙问问",
        "社区的人来核查低保，说我们骗钱，态度很凶",
        "物业每年多收我们几百块钱，收费不透明，希望住建局管一管",
        "派出所的民警帮我找回了被偷的电动车，想表扬一下他们",
    ],
)
def test_ordinary_petitions_mentioning_money_police_or_land(engine, text: str) -> None:  # type: ignore[no-untyped-def]
    verdict = engine.steer(text)
    assert verdict.channel == "petition", verdict.cues


@pytest.mark.parametrize(
    "text",
    ["城管野蛮执法，把我的三轮车掀翻了，菜全烂了，我要他们赔", "派出所扣了我的货车半年，耽误了生意，损失谁来赔"],
)
def test_damage_done_by_enforcement_is_state_compensation(engine, text: str) -> None:  # type: ignore[no-untyped-def]
    assert engine.steer(text).channel == "state_compensation", engine.steer(text).cues


def test_an_arbitration_clause_between_companies_is_not_labour(engine) -> None:  # type: ignore[no-untyped-def]
    text = "我们公司和供货商签的合同里约定了仲裁，对方货款一直不付，我们想申请仲裁"
    assert engine.steer(text).channel == "commercial_arbitration"
