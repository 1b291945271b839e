"""The README's commands are the ones CI runs, and the documented CLI exists."""

from __future__ import annotations

import re

from bot.cli import build_parser
from tests.auxil.paths import REPO


def test_ci_runs_the_readme_test_command() -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    ci = (REPO / ".ci" / "run").read_text("utf-8")
    blocks = re.findall(r"```sh\n(.+?)\n```", readme, re.S)
    assert blocks[0] == "pip install -e . && xinfang run"
    install, test = blocks[1].split(" && ")
    assert install.replace('"', "") == "pip install -e .[test]"
    assert 'python -m pip install --quiet -e ".[test]"' in ci
    assert ci.rstrip().endswith(test)


def test_documented_commands_parse() -> None:
    parser = build_parser()
    for argv in (
        ["run"],
        ["chat"],
        ["db", "upgrade"],
        ["eval", "qa", "f.jsonl"],
        ["eval", "routing", "f.csv"],
        ["eval", "steer", "f.jsonl"],
        ["staff", "add", "li", "--role", "officer", "--department", "d"],
    ):
        parser.parse_args(argv)


def test_every_command_in_the_readme_table_exists() -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    parser = build_parser()
    for line in re.findall(r"^\| `xinfang ([^`]+)`", readme, re.M):
        argv = line.replace("\\|", "|").split()
        words = [w for w in argv if re.fullmatch(r"[a-z]+", w)]  # the sub-commands, not the placeholders
        if words[:2] == ["staff", "add"]:
            words = ["staff", "add", "someone", "--role", "admin"]
        elif words and words[0] in ("eval", "routing"):
            words = [*words, "f.csv"]
        parser.parse_args(words)


def test_every_benchmark_in_the_readme_exists() -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    for name in re.findall(r"bench\.(\w+)", readme):
        assert (REPO / "bench" / f"{name}.py").exists(), name
