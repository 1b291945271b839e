"""/start, /help and the main menu. Each menu button belongs to the feature it opens."""

from __future__ import annotations

from .context import Context
from .router import Router
from .types import Button, rows

router = Router("start")

# ── 用户可见文字 ──────────────────────────────────────────────────────────────
GREETING = (
    "您好！我是信访助手 🙂\n"
    "我可以：\n"
    "• 解答《信访工作条例》的问题，并告诉您依据哪一条；\n"
    "• 帮您判断事情该找哪里办（法院、仲裁、复议、公安、纪委还是信访部门）；\n"
    "• 一步步帮您把要反映的问题写清楚并登记，给您受理编号；\n"
    "• 查询办理进度。\n"
    "直接打字告诉我就行，也可以点下面的按钮。"
)
HELP = (
    "使用方法：\n"
    "• 直接提问，例如「信访事项多久办结？」\n"
    "• /ask 问题 —— 咨询条例\n"
    "• /complain —— 我要反映问题\n"
    "• /status 受理编号 —— 查询进度，例如 /status XF-20261125-0001\n"
    "• /mycases —— 我反映过的事项\n"
    "• /subscribe —— 订阅条例学习和政策解读；/unsubscribe 退订\n"
    "• /cancel —— 随时取消当前操作\n"
    "遇到紧急危险请直接拨打 110，医疗急救 120。"
)
MENU_BUTTONS = (
    Button("咨询政策", "qa:prompt"),
    Button("我要反映问题", "intake:start"),
    Button("查询办理进度", "status:mine"),
    Button("订阅条例学习", "sub:menu"),
)
# ─────────────────────────────────────────────────────────────────────────────


def menu() -> tuple[tuple[Button, ...], ...]:
    return rows(*MENU_BUTTONS)


@router.command("start")
async def start(ctx: Context, _payload: str) -> None:
    # a deep-link payload a feature claims (e.g. c_<campaign>) never reaches here: see Assistant
    ctx.say(GREETING, menu())


@router.command("help", "menu")
async def help_(ctx: Context, _args: str) -> None:
    ctx.say(HELP, menu())


_PAYLOAD_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


def valid_payload(payload: str) -> bool:
    """Deep-link payloads are `[A-Za-z0-9_-]{1,64}` (Telegram's rule); anything else is ignored."""
    return 1 <= len(payload) <= 64 and set(payload) <= _PAYLOAD_CHARS
