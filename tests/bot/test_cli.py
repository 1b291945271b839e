"""The `xinfang` command as a user runs it (a real subprocess)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.auxil.paths import REPO, dev_file


def xinfang(*args: str, cwd: Path, stdin: str = "", env: dict | None = None) -> subprocess.CompletedProcess:
    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{cwd / 'x.db'}",
        "XINFANG_DATA_DIR": str(cwd / "data"),
        **(env or {}),
    }
    environment.pop("TELEGRAM_BOT_TOKEN", None)
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env={**environment, "PYTHONPATH": str(REPO)},
    )


def test_chat_answers_in_the_terminal(tmp_path: Path) -> None:
    result = xinfang("chat", cwd=tmp_path, stdin="信访事项多久办结？\n1\n/quit\n")
    assert result.returncode == 0, result.stderr
    assert "60 日" in result.stdout
    assert "依据：《信访工作条例》第三十四条" in result.stdout
    assert "Traceback" not in result.stderr


def test_eval_qa_prints_accuracy_and_misses(tmp_path: Path) -> None:
    result = xinfang("eval", "qa", str(dev_file("qa_dev.jsonl")), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "top-1 准确率" in result.stdout and "top-3 准确率" in result.stdout


def test_db_upgrade_then_current(tmp_path: Path) -> None:
    assert xinfang("db", "upgrade", cwd=tmp_path).returncode == 0
    current = xinfang("db", "current", cwd=tmp_path)
    assert current.stdout.strip() and "尚未" not in current.stdout


def test_eval_of_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    result = xinfang("eval", "qa", str(tmp_path / "nope.jsonl"), cwd=tmp_path)
    assert result.returncode == 2
    assert "找不到文件" in result.stderr


def test_run_switches_for_several_processes(tmp_path: Path) -> None:
    import pytest

    from bot.cli import build_parser
    from bot.commands import run_config
    from bot.config import Config

    parser = build_parser()
    base = Config(_env_file=None)
    front = run_config(parser.parse_args(["run", "--no-workers", "--port", "8081"]), base)
    assert (front.run_workers, front.serve_citizens, front.port) == (False, True, 8081)
    back = run_config(parser.parse_args(["run", "--workers-only"]), base)
    assert (back.run_workers, back.serve_citizens) == (True, False)
    assert run_config(parser.parse_args(["run", "--no-telegram"]), base).run_telegram is False
    with pytest.raises(SystemExit):
        parser.parse_args(["run", "--no-workers", "--workers-only"])
