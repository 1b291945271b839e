"""The `xinfang` command line (commands fixed in DESIGN.md)."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from knowledge import KnowledgeError

from .config import Config
from .logs import setup_logging


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="xinfang", description="信访助手")
    parser.add_argument("-v", "--verbose", action="store_true", help="更详细的日志")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="升级数据库并启动网页服务（设置了 TELEGRAM_BOT_TOKEN 时同时启动 Telegram）")
    sub.add_parser("chat", help="在终端里和助手对话")
    db = sub.add_parser("db", help="数据库")
    db.add_argument("action", choices=["upgrade", "current"])
    ev = sub.add_parser("eval", help="在标注文件上评测准确率")
    ev.add_argument("kind", choices=["routing", "qa", "steer"])
    ev.add_argument("file", type=Path)
    staff = sub.add_parser("staff", help="工作人员账号")
    staff.add_argument("action", choices=["add"])
    staff.add_argument("name")
    staff.add_argument("--role", required=True, choices=["admin", "dispatcher", "officer", "leader"])
    staff.add_argument("--department", help="所属部门 id（officer 必填）")
    staff.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码")
    staff.add_argument("--display-name", help="显示名（默认同账号名）")
    demo = sub.add_parser("demo", help="演示数据")
    demo.add_argument("action", choices=["load"])
    demo.add_argument(
        "--data-dir", type=Path, help="演示数据所在目录（含 past_cases_with_replies.csv、messages_with_likes.csv）"
    )
    demo.add_argument("--file", type=Path, help="past_cases_with_replies.csv 的路径（默认在数据目录中）")
    demo.add_argument("--limit", type=int, default=0, help="最多导入多少条（0 为全部）")
    routing = sub.add_parser("routing", help="关键词路由表")
    routing.add_argument("action", choices=["learn"])
    routing.add_argument("file", type=Path, help="带标注的 CSV（text,label）")
    routing.add_argument("--out", type=Path, help="写到哪里（默认 knowledge/data/routing_keywords.toml）")
    routing.add_argument(
        "--with-corrections", action="store_true", help="同时学习工作人员改派过的案件（数据库中的纠正记录）"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # the terminal chat is for a person: only warnings interrupt the conversation
    quiet = args.command in ("chat", "eval")
    setup_logging(logging.DEBUG if args.verbose else logging.WARNING if quiet else logging.INFO)
    try:
        config = Config()
    except Exception as exc:  # pydantic's ValidationError: a bad environment variable
        print(f"配置有误：{exc}", file=sys.stderr)
        return 2
    from .commands import COMMANDS  # imported late: `xinfang --help` need not load the app

    key = args.command if args.command not in ("db", "staff", "demo", "routing") else f"{args.command} {args.action}"
    try:
        return COMMANDS[key](args, config)
    except KnowledgeError as exc:
        print(f"知识库文件有误，无法启动：{exc}", file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
