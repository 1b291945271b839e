"""Urgent matters (条例第二十五条): self-harm, violence, a planned mass gathering.

Recall first: a false alarm costs a staff member a look; a missed one may cost a life. The
patterns are specific enough that everyday hyperbole (「累死了」「气死我了」「鱼都死了」) does not
trip them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .normalize import normalize

_SELF_HARM = re.compile(
    r"自杀|轻生|寻死|寻短见|想死|不想活|活不下去|活不成了|没法活|不活了|一死了之|了结(自己|生命|此生)|结束(自己的)?生命|"
    r"跳楼|跳河|跳江|跳湖|跳桥|喝农药|喝药(自杀|死)|吃安眠药|买(好了?)?安眠药|攒了?安眠药|割腕|上吊|卧轨|烧炭|"
    r"死给(他们|你们|政府|他|她)看|以死(明志|相逼|抗争)|(去|要|就)死了算了|死了算了|还不如死了|不如死了|"
    r"撑不下去了|熬不下去了|没有活路|没活路了|不想再活|"
    r"(从|到).{0,8}(楼顶|天台|楼上|桥上).{0,6}(跳|下去)|(站在|已经在|爬上|坐在|我在).{0,2}(天台|楼顶|桥上|桥栏|楼顶边)"
)
_VIOLENCE = re.compile(
    r"(杀了|砍了|弄死|捅死|打死|炸了|烧了|毒死|宰了)(他|她|他们|她们|那个|这个|全家|你们|狗官|村长|书记|领导|老板)|"
    r"同归于尽|报复社会|血债血偿|拼了这条命|跟他拼了|和他拼了|炸药|炸弹|放火|纵火|"
    r"(拿|带|带着|提着)(刀|菜刀|汽油|炸药|斧头).{0,10}(去|找|砍|拼|跟|威胁|追)|(拿刀|持刀|拿着刀).{0,6}(威胁|砍|追|逼)|"
    r"(要|就|去|想)(杀人|砍人|捅人|放火|炸)|"
    r"(正在|一直|又在|天天).{0,4}(打我|家暴|殴打)|(他|她|老公|丈夫|男人).{0,6}(要|威胁).{0,6}(打死|杀了|弄死)我|"
    r"(威胁|扬言|说要).{0,6}(打死|杀了|弄死|砍死|捅死)(我|我们|我全家|我家)"
)
_GATHERING = re.compile(
    r"(组织|召集|号召|约好|准备|商量好|打算).{0,12}(上访|集体访|去政府|去北京|去省里|去市里|堵路|堵门|围堵|静坐|拉横幅|游行|示威|闹)|"
    r"(几十|上百|几百|上千|一百多|好几十|全村|全厂|所有).{0,6}(人|工友|村民|业主).{0,10}(去|到|一起).{0,8}(政府|北京|省|市委|信访局|堵|围|静坐|闹)|"
    r"(一起|集体|大家|工友们|村民们|业主们|我们).{0,8}(去|到).{0,6}(政府|信访局|北京|省里|市委|区委|县委).{0,6}(静坐|闹|堵|上访|拉横幅|讨说法)|"
    r"(说要|要|准备|打算).{0,6}(静坐|堵路|堵门|围堵)|"
    r"集体上访|集体访|围堵政府|堵政府|堵高速|堵铁路|堵国道|拦火车|冲击政府"
)


@dataclass(frozen=True, slots=True)
class Urgency:
    urgent: bool
    kinds: tuple[str, ...]  # self_harm / violence / gathering
    matched: tuple[str, ...]


def detect_urgency(text: str) -> Urgency:
    text = normalize(text)
    kinds, matched = [], []
    for kind, pattern in (("self_harm", _SELF_HARM), ("violence", _VIOLENCE), ("gathering", _GATHERING)):
        m = pattern.search(text)
        if m:
            kinds.append(kind)
            matched.append(m.group(0))
    return Urgency(bool(kinds), tuple(kinds), tuple(matched))
